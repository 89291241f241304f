#ifndef GCR_CCURL_SHIM_H
#define GCR_CCURL_SHIM_H
#include <curl/curl.h>

/// Typed wrappers around curl_easy_setopt, whose variadic signature Swift cannot call.
CURLcode gcr_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode gcr_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode gcr_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode gcr_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

#endif
