#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void kc_error_clear(kc_error *err)
{
    if (!err)
        return;
    err->code = KC_ERR_NONE;
    err->msg[0] = '\0';
}

int kc_error_set(kc_error *err, kc_error_code code, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->code = code;
    return -1;
}

int kc_error_prefix(kc_error *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    char prefix[KC_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    char joined[KC_ERROR_MSG_MAX];
    size_t p = strlen(prefix), m = strlen(err->msg);
    if (p > sizeof joined - 3)
        p = sizeof joined - 3;
    memcpy(joined, prefix, p);
    memcpy(joined + p, ": ", 2);
    if (m > sizeof joined - p - 3)
        m = sizeof joined - p - 3;
    memcpy(joined + p + 2, err->msg, m);
    joined[p + 2 + m] = '\0';
    memcpy(err->msg, joined, sizeof err->msg);
    return -1;
}

const char *kc_error_code_name(kc_error_code code)
{
    switch (code) {
    case KC_ERR_NONE: return "none";
    case KC_ERR_INVALID: return "invalid";
    case KC_ERR_NOT_FOUND: return "not-found";
    case KC_ERR_UNREACHABLE: return "unreachable";
    case KC_ERR_TLS: return "tls";
    case KC_ERR_AUTH: return "auth";
    case KC_ERR_TIMEOUT: return "timeout";
    case KC_ERR_IO: return "io";
    case KC_ERR_CONFLICT: return "conflict";
    case KC_ERR_FORBIDDEN: return "forbidden";
    case KC_ERR_UNAVAILABLE: return "unavailable";
    case KC_ERR_INTERNAL: return "internal";
    case KC_ERR_REDIRECT: return "redirect";
    }
    return "unknown";
}
