#define CURL_DISABLE_TYPECHECK
#include "CCurl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// Every libcurl function ganprep calls: return type, name, parameters, arguments.
#define GP_CURL_FUNCTIONS(X)                                                                                      \
    X(CURL *, curl_easy_init, (void), ())                                                                         \
    X(void, curl_easy_cleanup, (CURL *handle), (handle))                                                          \
    X(const char *, curl_easy_strerror, (CURLcode code), (code))                                                  \
    X(CURLM *, curl_multi_init, (void), ())                                                                       \
    X(CURLMcode, curl_multi_cleanup, (CURLM *multi), (multi))                                                     \
    X(CURLMcode, curl_multi_add_handle, (CURLM *multi, CURL *handle), (multi, handle))                            \
    X(CURLMcode, curl_multi_remove_handle, (CURLM *multi, CURL *handle), (multi, handle))                         \
    X(CURLMcode, curl_multi_perform, (CURLM *multi, int *running), (multi, running))                              \
    X(CURLMcode, curl_multi_poll, (CURLM *multi, struct curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms, int *ret), \
      (multi, extra_fds, extra_nfds, timeout_ms, ret))                                                            \
    X(CURLMsg *, curl_multi_info_read, (CURLM *multi, int *queued), (multi, queued))                              \
    X(struct curl_slist *, curl_slist_append, (struct curl_slist *list, const char *data), (list, data))          \
    X(void, curl_slist_free_all, (struct curl_slist *list), (list))

static struct {
#define FIELD(ret, name, params, args) __typeof__(&name) f_##name;
    GP_CURL_FUNCTIONS(FIELD)
#undef FIELD
    __typeof__(&curl_global_init) global_init;
    __typeof__(&curl_easy_setopt) easy_setopt;
    __typeof__(&curl_easy_getinfo) easy_getinfo;
    __typeof__(&curl_multi_setopt) multi_setopt;
} curl;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static char failure[512];

static int is_loaded(void) { return __atomic_load_n(&loaded, __ATOMIC_ACQUIRE); }

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(failure, sizeof failure, "cannot load libcurl (libcurl.so.4): %s", dlerror());
        return;
    }
#define FIND(symbol, field)                                                                             \
    if (!(*(void **)&curl.field = dlsym(library, symbol))) {                                            \
        snprintf(failure, sizeof failure, "libcurl lacks %s", symbol);                                  \
        return;                                                                                         \
    }
#define FIND_FUNCTION(ret, name, params, args) FIND(#name, f_##name)
    GP_CURL_FUNCTIONS(FIND_FUNCTION)
#undef FIND_FUNCTION
    FIND("curl_global_init", global_init)
    FIND("curl_easy_setopt", easy_setopt)
    FIND("curl_easy_getinfo", easy_getinfo)
    FIND("curl_multi_setopt", multi_setopt)
#undef FIND
    CURLcode code = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
        snprintf(failure, sizeof failure, "curl_global_init failed: %s", curl.f_curl_easy_strerror(code));
        return;
    }
    __atomic_store_n(&loaded, 1, __ATOMIC_RELEASE);
}

const char *gp_curl_load(void) {
    pthread_once(&once, load);
    return is_loaded() ? NULL : failure;
}

static void need(void) {
    if (is_loaded() || gp_curl_load() == NULL) return;
    fprintf(stderr, "ganprep: %s\n", failure);
    abort();
}

#define WRAPPER(ret, name, params, args) ret gp_##name params { need(); return curl.f_##name args; }
GP_CURL_FUNCTIONS(WRAPPER)
#undef WRAPPER

CURLcode gp_curl_easy_setopt_long(CURL *h, CURLoption o, long v) { need(); return curl.easy_setopt(h, o, v); }
CURLcode gp_curl_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { need(); return curl.easy_setopt(h, o, v); }
CURLcode gp_curl_easy_setopt_string(CURL *h, CURLoption o, const char *v) { need(); return curl.easy_setopt(h, o, v); }
CURLcode gp_curl_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { need(); return curl.easy_setopt(h, o, v); }
CURLcode gp_curl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { need(); return curl.easy_setopt(h, o, v); }
CURLcode gp_curl_easy_setopt_write_function(CURL *h, CURLoption o, curl_write_callback f) { need(); return curl.easy_setopt(h, o, f); }
CURLcode gp_curl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { need(); return curl.easy_getinfo(h, i, v); }
CURLcode gp_curl_easy_getinfo_string(CURL *h, CURLINFO i, char **v) { need(); return curl.easy_getinfo(h, i, v); }
CURLMcode gp_curl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { need(); return curl.multi_setopt(m, o, v); }
