/* Path-pattern routing; see router.h. */
#include "router.h"

#include <stdio.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int kc_url_decode(const char *src, size_t src_len, char *dst, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < src_len; i++) {
        char c = src[i];
        if (c == '%') {
            if (i + 2 >= src_len)
                return -1;
            int hi = hexval(src[i + 1]), lo = hexval(src[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (o + 1 >= len)
            return -1;
        dst[o++] = c;
    }
    dst[o] = '\0';
    return (int)o;
}

/* Splits path into raw segments (pointers into path, lengths). Returns the count or -1. */
#define MAX_SEGMENTS 16
static int split(const char *path, size_t path_len, const char **seg, size_t *seg_len)
{
    int n = 0;
    size_t i = 0;
    if (path_len == 0 || path[0] != '/')
        return -1;
    /* one trailing slash is ignored ("/connectors/" == "/connectors"); "/" stays the root */
    if (path_len > 1 && path[path_len - 1] == '/')
        path_len--;
    i = 1;
    if (path_len == 1)
        return 0;
    while (i <= path_len) {
        size_t start = i;
        while (i < path_len && path[i] != '/')
            i++;
        if (n == MAX_SEGMENTS)
            return -1;
        seg[n] = path + start;
        seg_len[n] = i - start;
        n++;
        i++;
    }
    return n;
}

static int pattern_matches(const char *pattern, const char **seg, const size_t *seg_len, int nseg,
                           kc_route_match *m)
{
    const char *p = pattern;
    int k = 0, params = 0;
    if (*p == '/')
        p++;
    if (*p == '\0')
        return nseg == 0;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t plen = end ? (size_t)(end - p) : strlen(p);
        if (k >= nseg)
            return 0;
        char decoded[KC_ROUTE_MAX_PATH];
        int n = seg_len[k] ? kc_url_decode(seg[k], seg_len[k], decoded, sizeof decoded) : -1;
        if (n <= 0)
            return 0;
        size_t dlen = (size_t)n;
        /* an encoded '/' never addresses anything (Jetty refuses %2F), nor does an encoded NUL */
        if (memchr(decoded, '/', dlen) || memchr(decoded, '\0', dlen))
            return 0;
        if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (params == KC_ROUTE_MAX_PARAMS)
                return 0;
            if (m)
                memcpy(m->params[params], decoded, dlen + 1);
            params++;
        } else if (plen != dlen || memcmp(p, decoded, plen) != 0) {
            return 0;
        }
        k++;
        p += plen;
        if (*p == '/')
            p++;
    }
    if (k != nseg)
        return 0;
    if (m)
        m->param_count = params;
    return 1;
}

int kc_router_match(const kc_route *routes, size_t count, kc_http_method method, const char *path,
                    kc_route_match *m)
{
    m->index = -1;
    m->allowed = 0;
    m->param_count = 0;
    const char *q = strchr(path, '?');
    size_t path_len = q ? (size_t)(q - path) : strlen(path);
    if (path_len >= KC_ROUTE_MAX_PATH)
        return 404;
    const char *seg[MAX_SEGMENTS];
    size_t seg_len[MAX_SEGMENTS];
    int nseg = split(path, path_len, seg, seg_len);
    if (nseg < 0)
        return 404;
    kc_http_method want = method == KC_HTTP_HEAD ? KC_HTTP_GET : method;
    for (size_t i = 0; i < count; i++) {
        if (!pattern_matches(routes[i].pattern, seg, seg_len, nseg, NULL))
            continue;
        m->allowed |= routes[i].method;
        if (routes[i].method == want && m->index < 0) {
            pattern_matches(routes[i].pattern, seg, seg_len, nseg, m);
            m->index = (int)i;
        }
    }
    if (!m->allowed)
        return 404;
    if (m->allowed & KC_HTTP_GET)
        m->allowed |= KC_HTTP_HEAD;
    m->allowed |= KC_HTTP_OPTIONS;
    if (m->index >= 0)
        return 200;
    return 405;
}

const char *kc_http_method_name(kc_http_method method)
{
    switch (method) {
    case KC_HTTP_GET: return "GET";
    case KC_HTTP_POST: return "POST";
    case KC_HTTP_PUT: return "PUT";
    case KC_HTTP_DELETE: return "DELETE";
    case KC_HTTP_PATCH: return "PATCH";
    case KC_HTTP_HEAD: return "HEAD";
    case KC_HTTP_OPTIONS: return "OPTIONS";
    default: return "OTHER";
    }
}

void kc_http_allow_list(unsigned allowed, char *buf, size_t len)
{
    /* alphabetical, as Jersey builds the Allow header */
    static const kc_http_method order[] = {KC_HTTP_DELETE, KC_HTTP_GET, KC_HTTP_HEAD, KC_HTTP_OPTIONS,
                                           KC_HTTP_PATCH, KC_HTTP_POST, KC_HTTP_PUT};
    size_t o = 0;
    if (len)
        buf[0] = '\0';
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (!(allowed & order[i]))
            continue;
        int n = snprintf(buf + o, len - o, "%s%s", o ? ", " : "", kc_http_method_name(order[i]));
        if (n < 0 || (size_t)n >= len - o)
            return;
        o += (size_t)n;
    }
}
