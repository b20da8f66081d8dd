#define CURL_DISABLE_TYPECHECK
#include "CCurl.h"
#include "CLoader.h"
#include <dlfcn.h>

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

static int find(gp_loader *loader, void *library) {
#define FIND(symbol, field) \
    if (!gp_loader_find(loader, library, symbol, (void **)&curl.field)) return 0;
#define FIND_FUNCTION(ret, name, params, args) FIND(#name, f_##name)
    GP_CURL_FUNCTIONS(FIND_FUNCTION)
#undef FIND_FUNCTION
    FIND("curl_global_init", global_init)
    FIND("curl_easy_setopt", easy_setopt)
    FIND("curl_easy_getinfo", easy_getinfo)
    FIND("curl_multi_setopt", multi_setopt)
#undef FIND
    CURLcode code = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) return gp_loader_fail(loader, "curl_global_init failed: %s", curl.f_curl_easy_strerror(code));
    return 1;
}

static const char *const names[] = {"libcurl.so.4", NULL};
static gp_loader loader = GP_LOADER("libcurl (libcurl.so.4)", names, RTLD_NOW | RTLD_LOCAL, find);

const char *gp_curl_load(void) { return gp_loader_load(&loader); }

static void need(void) { gp_loader_need(&loader); }

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
