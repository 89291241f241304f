#ifndef GCR_CCURL_SHIM_H
#define GCR_CCURL_SHIM_H
#include <curl/curl.h>
#include <stddef.h>

/// Typed wrappers around curl_easy_setopt, whose variadic signature Swift cannot call.
CURLcode gcr_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode gcr_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode gcr_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode gcr_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

/// Makes `handle` upload `length` bytes from `data` (CURLOPT_UPLOAD with a read callback over memory).
/// `cursor` must stay alive until the transfer ends; it is set up by this call.
typedef struct {
    const char *data;
    size_t length;
    size_t offset;
} gcr_curl_upload;
CURLcode gcr_curl_upload_from_memory(CURL *handle, gcr_curl_upload *cursor, const char *data, size_t length);

/// Makes `handle` collect the response body into a growing buffer; free it with gcr_curl_buffer_free.
typedef struct {
    char *data;
    size_t length;
    size_t limit;
} gcr_curl_buffer;
CURLcode gcr_curl_collect_body(CURL *handle, gcr_curl_buffer *buffer, size_t limit);
void gcr_curl_buffer_free(gcr_curl_buffer *buffer);
/// Makes `handle` collect the response headers (raw lines) into `buffer`.
CURLcode gcr_curl_collect_headers(CURL *handle, gcr_curl_buffer *buffer, size_t limit);

#endif
