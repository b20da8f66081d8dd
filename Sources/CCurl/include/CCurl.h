// libcurl, loaded when first used (dlopen) instead of with the program: with
// its ~25 libraries (TLS, Kerberos, LDAP, ...) it cost every command ~6 ms
// before main, and only fetch needs it. Each call goes through gp_<name>, a
// pointer dlsym found; curl.h gives the types, constants and signatures.
// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic C
// functions that Swift cannot call: typed wrappers take their place.
#ifndef GANPREP_CCURL_H
#define GANPREP_CCURL_H
#include <curl/curl.h>

/// Loads libcurl (once) and runs curl_global_init: NULL, or why it could not
/// (a text that stays valid).
const char *gp_curl_load(void);

// After gp_curl_load returned NULL (a call before it loads the library, and
// aborts with the reason when it cannot):
CURL *gp_curl_easy_init(void);
void gp_curl_easy_cleanup(CURL *handle);
const char *gp_curl_easy_strerror(CURLcode code);
CURLM *gp_curl_multi_init(void);
CURLMcode gp_curl_multi_cleanup(CURLM *multi);
CURLMcode gp_curl_multi_add_handle(CURLM *multi, CURL *handle);
CURLMcode gp_curl_multi_remove_handle(CURLM *multi, CURL *handle);
CURLMcode gp_curl_multi_perform(CURLM *multi, int *running);
CURLMcode gp_curl_multi_poll(CURLM *multi, struct curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms, int *ret);
CURLMsg *gp_curl_multi_info_read(CURLM *multi, int *queued);
struct curl_slist *gp_curl_slist_append(struct curl_slist *list, const char *data);
void gp_curl_slist_free_all(struct curl_slist *list);

CURLcode gp_curl_easy_setopt_long(CURL *h, CURLoption o, long v);
CURLcode gp_curl_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode gp_curl_easy_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode gp_curl_easy_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode gp_curl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
CURLcode gp_curl_easy_setopt_write_function(CURL *h, CURLoption o, curl_write_callback f);
CURLcode gp_curl_easy_getinfo_long(CURL *h, CURLINFO i, long *v);
CURLcode gp_curl_easy_getinfo_string(CURL *h, CURLINFO i, char **v);
CURLMcode gp_curl_multi_setopt_long(CURLM *m, CURLMoption o, long v);

/// CURLMsg's `data` is a union; Swift reads the result code through this.
static inline CURLcode gp_curl_msg_result(const CURLMsg *m) { return m->data.result; }
#endif
