// SHA-256 block compression: x86 SHA extensions when the CPU has them
// (about ten times faster), portable C otherwise.
#ifndef GANPREP_CSHA256_H
#define GANPREP_CSHA256_H
#include <stddef.h>
#include <stdint.h>

/// Compresses `blocks` 64-byte blocks of `data` into `state` (8 words).
void gp_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

/// The portable C path alone, whatever the CPU (for tests).
void gp_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks);

/// 1 when the SHA extensions path is used.
int gp_sha256_uses_sha_extensions(void);
#endif
