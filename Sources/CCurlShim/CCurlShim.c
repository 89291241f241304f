#include "CCurlShim.h"
#include <stdlib.h>
#include <string.h>

CURLcode gcr_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode gcr_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode gcr_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode gcr_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static size_t gcr_read_memory(char *buffer, size_t size, size_t count, void *userdata) {
    gcr_curl_upload *cursor = (gcr_curl_upload *)userdata;
    size_t room = size * count;
    size_t left = cursor->length - cursor->offset;
    size_t n = left < room ? left : room;
    memcpy(buffer, cursor->data + cursor->offset, n);
    cursor->offset += n;
    return n;
}

CURLcode gcr_curl_upload_from_memory(CURL *handle, gcr_curl_upload *cursor, const char *data, size_t length) {
    cursor->data = data;
    cursor->length = length;
    cursor->offset = 0;
    CURLcode code = curl_easy_setopt(handle, CURLOPT_READFUNCTION, gcr_read_memory);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_READDATA, cursor);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, (curl_off_t)length);
    return code;
}

static size_t gcr_write_memory(char *data, size_t size, size_t count, void *userdata) {
    gcr_curl_buffer *buffer = (gcr_curl_buffer *)userdata;
    size_t n = size * count;
    if (buffer->length + n > buffer->limit) return 0;  /* too large: abort the transfer */
    char *grown = realloc(buffer->data, buffer->length + n + 1);
    if (!grown) return 0;
    buffer->data = grown;
    memcpy(buffer->data + buffer->length, data, n);
    buffer->length += n;
    buffer->data[buffer->length] = 0;
    return n;
}

static CURLcode gcr_collect(CURL *handle, CURLoption function, CURLoption data, gcr_curl_buffer *buffer, size_t limit) {
    buffer->data = NULL;
    buffer->length = 0;
    buffer->limit = limit;
    CURLcode code = curl_easy_setopt(handle, function, gcr_write_memory);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, data, buffer);
    return code;
}

CURLcode gcr_curl_collect_body(CURL *handle, gcr_curl_buffer *buffer, size_t limit) {
    return gcr_collect(handle, CURLOPT_WRITEFUNCTION, CURLOPT_WRITEDATA, buffer, limit);
}

CURLcode gcr_curl_collect_headers(CURL *handle, gcr_curl_buffer *buffer, size_t limit) {
    return gcr_collect(handle, CURLOPT_HEADERFUNCTION, CURLOPT_HEADERDATA, buffer, limit);
}

void gcr_curl_buffer_free(gcr_curl_buffer *buffer) {
    free(buffer->data);
    buffer->data = NULL;
    buffer->length = 0;
}
