// OpenSSL's libcrypto (libssl-dev): the EVP digest interface, which runs
// SHA-256 on the CPU's SHA extensions where it has them.
#ifndef GANPREP_CCRYPTO_SHIM_H
#define GANPREP_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#endif
