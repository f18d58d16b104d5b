#include "curb_curl.h"
#include <curl/curl.h>
#include <string.h>

int curb_curl_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1; }

// The collector's answer body is not needed: discard it.
static size_t discard(char *data, size_t size, size_t count, void *context) {
    (void)data; (void)context;
    return size * count;
}

int curb_curl_post(const char *url, const uint8_t *body, size_t body_length, const char *const *headers,
                   size_t header_count, const curb_curl_options *options, curb_curl_result *result) {
    memset(result, 0, sizeof *result);
    result->retry_after_seconds = -1;
    CURL *handle = curl_easy_init();
    if (!handle) {
        strncpy(result->error, "curl_easy_init failed", sizeof result->error - 1);
        return -1;
    }
    char error[CURL_ERROR_SIZE] = {0};
    struct curl_slist *list = NULL;
    for (size_t index = 0; index < header_count; index++) list = curl_slist_append(list, headers[index]);
    // No "Expect: 100-continue" round trip for the small bodies sent here.
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(handle, CURLOPT_URL, url);
    curl_easy_setopt(handle, CURLOPT_POST, 1L);
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, (const char *)body);
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_length);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    if (options->ca_file) curl_easy_setopt(handle, CURLOPT_CAINFO, options->ca_file);
    if (options->client_cert) curl_easy_setopt(handle, CURLOPT_SSLCERT, options->client_cert);
    if (options->client_key) curl_easy_setopt(handle, CURLOPT_SSLKEY, options->client_key);
    if (options->proxy) curl_easy_setopt(handle, CURLOPT_PROXY, options->proxy);
    if (options->connect_timeout_ms > 0) curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, options->connect_timeout_ms);
    if (options->total_timeout_ms > 0) curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, options->total_timeout_ms);
    CURLcode code = curl_easy_perform(handle);
    int status = 0;
    if (code == CURLE_OK) {
        curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &result->status);
        curl_off_t retry = -1;
        if (curl_easy_getinfo(handle, CURLINFO_RETRY_AFTER, &retry) == CURLE_OK && retry > 0) result->retry_after_seconds = (long)retry;
    } else {
        result->curl_code = (int)code;
        strncpy(result->error, error[0] ? error : curl_easy_strerror(code), sizeof result->error - 1);
        status = -1;
    }
    curl_slist_free_all(list);
    curl_easy_cleanup(handle);
    return status;
}
