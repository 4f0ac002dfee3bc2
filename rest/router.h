/*
 * REST routing: matches a method and a request path against a table of path patterns such as
 * "/connectors/{connector}/tasks/{task}/status". Pure code, no I/O.
 *
 * Rules (Jersey's, as Java Connect serves them): the query string is not part of the path; one
 * trailing slash is ignored; each segment is percent-decoded before it is compared or captured, and a
 * segment that decodes to a '/' or a NUL never matches; a "{name}" segment captures any non-empty
 * segment. A path that matches no pattern is 404; a path some pattern matches under other methods is
 * 405 with the allowed methods (HEAD is allowed wherever GET is, OPTIONS everywhere).
 *
 * Memory: kc_route_match holds its captured parameters in fixed buffers (no allocation).
 * Threads: any; tables are immutable.
 */
#ifndef KC_REST_ROUTER_H
#define KC_REST_ROUTER_H

#include <stddef.h>

#define KC_ROUTE_MAX_PARAMS 4
#define KC_ROUTE_MAX_PATH 4096

typedef enum kc_http_method {
    KC_HTTP_GET = 1 << 0,
    KC_HTTP_POST = 1 << 1,
    KC_HTTP_PUT = 1 << 2,
    KC_HTTP_DELETE = 1 << 3,
    KC_HTTP_PATCH = 1 << 4,
    KC_HTTP_HEAD = 1 << 5,
    KC_HTTP_OPTIONS = 1 << 6,
    KC_HTTP_OTHER = 1 << 7
} kc_http_method;

typedef struct kc_route {
    kc_http_method method;
    const char *pattern;   /* "/connectors/{connector}/config" */
} kc_route;

typedef struct kc_route_match {
    int index;                                   /* the route's index in the table, -1 if none */
    unsigned allowed;                            /* methods the path allows (404: 0) */
    int param_count;
    char params[KC_ROUTE_MAX_PARAMS][KC_ROUTE_MAX_PATH];
} kc_route_match;

/* Returns 200 with m->index set, 404 when no pattern matches the path, or 405 when patterns match
 * the path but not the method (m->allowed lists those that do). A HEAD request matches a GET route. */
int kc_router_match(const kc_route *routes, size_t count, kc_http_method method, const char *path,
                    kc_route_match *m);

/* "GET", "POST", ... for one method bit. */
const char *kc_http_method_name(kc_http_method method);

/* Writes the Allow list for a mask, e.g. "DELETE, GET, HEAD, OPTIONS, PUT" (sorted, as Jersey). */
void kc_http_allow_list(unsigned allowed, char *buf, size_t len);

/* Percent-decodes src into dst (len bytes with NUL). Returns the decoded length, or -1 on a bad escape
 * or when it does not fit. ('+' is not a space in a path.) */
int kc_url_decode(const char *src, size_t src_len, char *dst, size_t len);

#endif
