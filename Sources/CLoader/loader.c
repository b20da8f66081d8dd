#include "CLoader.h"
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int is_loaded(gp_loader *loader) { return __atomic_load_n(&loader->state, __ATOMIC_ACQUIRE) == 1; }

void gp_loader_init(gp_loader *loader, const char *what, const char *const *names, int flags,
                    int (*find)(gp_loader *loader, void *library)) {
    loader->what = what;
    loader->names = names;
    loader->flags = flags;
    loader->find = find;
    pthread_mutex_init(&loader->lock, NULL);
    loader->state = 0;
    loader->failure[0] = 0;
}

const char *gp_loader_load(gp_loader *loader) {
    if (is_loaded(loader)) return NULL;
    pthread_mutex_lock(&loader->lock);
    if (loader->state == 0) {
        void *library = NULL;
        for (const char *const *name = loader->names; *name && !library; name++) library = dlopen(*name, loader->flags);
        int ok = 0;
        if (!library) {
            snprintf(loader->failure, sizeof loader->failure, "cannot load %s: %s", loader->what, dlerror());
        } else {
            ok = loader->find(loader, library);
        }
        __atomic_store_n(&loader->state, ok ? 1 : -1, __ATOMIC_RELEASE);
    }
    int loaded = loader->state == 1;
    pthread_mutex_unlock(&loader->lock);
    return loaded ? NULL : loader->failure;
}

void gp_loader_need(gp_loader *loader) {
    if (is_loaded(loader) || gp_loader_load(loader) == NULL) return;
    fprintf(stderr, "ganprep: %s\n", loader->failure);
    abort();
}

int gp_loader_find(gp_loader *loader, void *library, const char *symbol, void **slot) {
    if ((*slot = dlsym(library, symbol))) return 1;
    snprintf(loader->failure, sizeof loader->failure, "%s lacks %s", loader->what, symbol);
    return 0;
}

int gp_loader_fail(gp_loader *loader, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(loader->failure, sizeof loader->failure, format, arguments);
    va_end(arguments);
    return 0;
}
