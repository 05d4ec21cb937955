#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

/* libcurl is loaded the first time it is used (dlopen), not linked into shots: its dependency
   chain (TLS, Kerberos, LDAP, IDN...) costs every process about 8 ms to start, and most verbs
   (merge, catalog, build) never fetch anything. Swift calls libcurl only through these shims;
   curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call anyway. */
static inline void *shots_curl_symbol(const char *name) {
    static void *library;
    if (!library) library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    return library ? dlsym(library, name) : NULL;
}

static inline CURL *shots_curl_easy_init(void) {
    CURL *(*function)(void) = (CURL *(*)(void))shots_curl_symbol("curl_easy_init");
    return function ? function() : NULL;
}
static inline void shots_curl_easy_cleanup(CURL *handle) {
    void (*function)(CURL *) = (void (*)(CURL *))shots_curl_symbol("curl_easy_cleanup");
    if (function) function(handle);
}
static inline CURLcode shots_curl_easy_perform(CURL *handle) {
    CURLcode (*function)(CURL *) = (CURLcode (*)(CURL *))shots_curl_symbol("curl_easy_perform");
    return function ? function(handle) : CURLE_FAILED_INIT;
}
static inline const char *shots_curl_easy_strerror(CURLcode code) {
    const char *(*function)(CURLcode) = (const char *(*)(CURLcode))shots_curl_symbol("curl_easy_strerror");
    return function ? function(code) : "libcurl is not available";
}
/* CURLVERSION_NOW is a macro Swift cannot import. */
static inline curl_version_info_data *shots_curl_version_info(void) {
    curl_version_info_data *(*function)(CURLversion) = (curl_version_info_data *(*)(CURLversion))shots_curl_symbol("curl_version_info");
    return function ? function(CURLVERSION_NOW) : NULL;
}

typedef CURLcode (*shots_curl_setopt_function)(CURL *, CURLoption, ...);
typedef CURLcode (*shots_curl_getinfo_function)(CURL *, CURLINFO, ...);

static inline CURLcode shots_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    shots_curl_setopt_function function = (shots_curl_setopt_function)shots_curl_symbol("curl_easy_setopt");
    return function ? function(handle, option, value) : CURLE_FAILED_INIT;
}
static inline CURLcode shots_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    shots_curl_setopt_function function = (shots_curl_setopt_function)shots_curl_symbol("curl_easy_setopt");
    return function ? function(handle, option, value) : CURLE_FAILED_INIT;
}
static inline CURLcode shots_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    shots_curl_setopt_function function = (shots_curl_setopt_function)shots_curl_symbol("curl_easy_setopt");
    return function ? function(handle, option, value) : CURLE_FAILED_INIT;
}
static inline CURLcode shots_curl_setopt_write(CURL *handle, curl_write_callback callback) {
    shots_curl_setopt_function function = (shots_curl_setopt_function)shots_curl_symbol("curl_easy_setopt");
    return function ? function(handle, CURLOPT_WRITEFUNCTION, callback) : CURLE_FAILED_INIT;
}
static inline CURLcode shots_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    shots_curl_getinfo_function function = (shots_curl_getinfo_function)shots_curl_symbol("curl_easy_getinfo");
    return function ? function(handle, info, value) : CURLE_FAILED_INIT;
}
static inline CURLcode shots_curl_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    shots_curl_getinfo_function function = (shots_curl_getinfo_function)shots_curl_symbol("curl_easy_getinfo");
    return function ? function(handle, info, value) : CURLE_FAILED_INIT;
}

/* For the object stores: request headers, streamed request and response bodies. */
typedef size_t (*shots_curl_data_callback)(char *buffer, size_t size, size_t count, void *context);

static inline CURLcode shots_curl_setopt_callback(CURL *handle, CURLoption option, shots_curl_data_callback callback) {
    shots_curl_setopt_function function = (shots_curl_setopt_function)shots_curl_symbol("curl_easy_setopt");
    return function ? function(handle, option, callback) : CURLE_FAILED_INIT;
}
static inline CURLcode shots_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    shots_curl_setopt_function function = (shots_curl_setopt_function)shots_curl_symbol("curl_easy_setopt");
    return function ? function(handle, option, value) : CURLE_FAILED_INIT;
}
static inline void shots_curl_easy_reset(CURL *handle) {
    void (*function)(CURL *) = (void (*)(CURL *))shots_curl_symbol("curl_easy_reset");
    if (function) function(handle);
}
static inline struct curl_slist *shots_curl_slist_append(struct curl_slist *list, const char *text) {
    struct curl_slist *(*function)(struct curl_slist *, const char *) =
        (struct curl_slist *(*)(struct curl_slist *, const char *))shots_curl_symbol("curl_slist_append");
    return function ? function(list, text) : NULL;
}
static inline void shots_curl_slist_free_all(struct curl_slist *list) {
    void (*function)(struct curl_slist *) = (void (*)(struct curl_slist *))shots_curl_symbol("curl_slist_free_all");
    if (function) function(list);
}
