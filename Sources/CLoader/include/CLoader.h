// Loading a shared library when it is first needed (dlopen) instead of with
// the program: what CHDF5, CCurl, COpenBLAS and CMPI share. Each keeps one
// gp_loader: the sonames to try, and a function that looks up the symbols it
// calls through (gp_loader_find). The first caller loads, callers racing it
// wait, and a failure is kept as a text naming the library and what is missing.
#ifndef GANPREP_CLOADER_H
#define GANPREP_CLOADER_H
#include <pthread.h>

typedef struct gp_loader gp_loader;

struct gp_loader {
    /// The library as the failure names it, e.g. "OpenBLAS (libopenblas.so.0)".
    const char *what;
    /// The sonames tried in order, NULL at the end.
    const char *const *names;
    /// dlopen's flags.
    int flags;
    /// Looks up the symbols in `library` (gp_loader_find), or sets the
    /// failure (gp_loader_find does; gp_loader_fail for others): 1 or 0.
    int (*find)(gp_loader *loader, void *library);
    pthread_mutex_t lock;
    int state; /* 0: not tried, 1: loaded, -1: failed (atomic) */
    char failure[512];
};

#define GP_LOADER(what, names, flags, find) {(what), (names), (flags), (find), PTHREAD_MUTEX_INITIALIZER, 0, {0}}

/// Sets up a loader made at run time (the static ones use GP_LOADER); `what`
/// and `names` must outlive it.
void gp_loader_init(gp_loader *loader, const char *what, const char *const *names, int flags,
                    int (*find)(gp_loader *loader, void *library));
/// Loads the library (once): NULL, or why it could not (a text that stays valid).
const char *gp_loader_load(gp_loader *loader);
/// Before a call through the library: loads it, or prints why it cannot and aborts.
void gp_loader_need(gp_loader *loader);
/// For `find`: `symbol`'s address into *slot, or sets "<what> lacks <symbol>": 1 or 0.
int gp_loader_find(gp_loader *loader, void *library, const char *symbol, void **slot);
/// For `find`: sets the failure (printf-style): always 0.
int gp_loader_fail(gp_loader *loader, const char *format, ...) __attribute__((format(printf, 2, 3)));

#endif
