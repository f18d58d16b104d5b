#ifndef CURB_CURL_H
#define CURB_CURL_H
#include <stddef.h>
#include <stdint.h>

/// How to reach the collector (NULL or 0: libcurl's default; the system trust store verifies TLS).
typedef struct {
    const char *ca_file;
    const char *client_cert;
    const char *client_key;
    const char *proxy;
    long connect_timeout_ms;
    long total_timeout_ms;
} curb_curl_options;

/// What came back: an HTTP status (0 when none), Retry-After in seconds (-1 when absent), and libcurl's
/// error text when the request failed.
typedef struct {
    long status;
    long retry_after_seconds;
    int curl_code;
    char error[256];
} curb_curl_result;

/// libcurl's one-time global setup (call once before any thread posts).
int curb_curl_global_init(void);

/// POSTs `body` to `url` with `header_count` "Name: value" lines; returns 0 when an HTTP answer came.
/// libcurl's setopt is variadic, which Swift cannot call, hence this shim.
int curb_curl_post(const char *url, const uint8_t *body, size_t body_length, const char *const *headers,
                   size_t header_count, const curb_curl_options *options, curb_curl_result *result);
#endif
