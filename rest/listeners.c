/* Listener URLs, advertised URL and response header rules; see listeners.h. */
#include "listeners.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void trim(const char **s, size_t *len)
{
    while (*len && isspace((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && isspace((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

static int host_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '%' || c == '.' || c == '_' || c == ':';
}

/* One item against Java's ^(.*)://\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+) (whole-string match). */
static int parse_one(const char *s, size_t len, kc_rest_listener *l, kc_error *err)
{
    static const char bad_format[] = "Listener doesn't have the right format (protocol://hostname:port).";
    /* the protocol group is greedy: take the last "://" that still leaves a valid rest */
    const char *sep = NULL;
    for (size_t i = 0; i + 3 <= len; i++)
        if (memcmp(s + i, "://", 3) == 0)
            sep = s + i;
    if (!sep)
        return kc_error_set(err, KC_ERR_INVALID, bad_format);
    const char *rest = sep + 3;
    size_t rlen = len - (size_t)(rest - s);
    /* port: the digits (with an optional '-') after the last ':' */
    const char *colon = NULL;
    for (size_t i = 0; i < rlen; i++)
        if (rest[i] == ':')
            colon = rest + i;
    if (!colon)
        return kc_error_set(err, KC_ERR_INVALID, bad_format);
    const char *port = colon + 1;
    size_t plen = rlen - (size_t)(port - rest);
    size_t digits_from = plen && port[0] == '-' ? 1 : 0;
    if (plen == digits_from)
        return kc_error_set(err, KC_ERR_INVALID, bad_format);
    for (size_t i = digits_from; i < plen; i++)
        if (!isdigit((unsigned char)port[i]))
            return kc_error_set(err, KC_ERR_INVALID, bad_format);
    const char *host = rest;
    size_t hlen = (size_t)(colon - rest);
    if (hlen && host[0] == '[') {
        host++;
        hlen--;
    }
    if (hlen && host[hlen - 1] == ']')
        hlen--;
    for (size_t i = 0; i < hlen; i++)
        if (!host_char(host[i]))
            return kc_error_set(err, KC_ERR_INVALID, bad_format);
    size_t protolen = (size_t)(sep - s);
    if (protolen == 4 && strncasecmp(s, "http", 4) == 0)
        l->https = 0;
    else if (protolen == 5 && strncasecmp(s, "https", 5) == 0)
        l->https = 1;
    else
        return kc_error_set(err, KC_ERR_INVALID, "Listener protocol must be either \"http\" or \"https\".");
    long p = strtol(port, NULL, 10);
    if (p < 0 || p > 65535 || plen > 6)
        return kc_error_set(err, KC_ERR_INVALID, "Invalid port %.*s in listener %.*s: a port is 0 to 65535",
                            (int)plen, port, (int)len, s);
    if (hlen >= sizeof l->host)
        return kc_error_set(err, KC_ERR_INVALID, bad_format);
    memcpy(l->host, host, hlen);
    l->host[hlen] = '\0';
    l->port = (int)p;
    return 0;
}

int kc_rest_listeners_parse(const char *key, const char *value, kc_rest_listener *out, size_t max,
                            kc_error *err)
{
    int admin = strcmp(key, "admin.listeners") == 0;
    const char *v = value ? value : "";
    size_t vlen = strlen(v);
    trim(&v, &vlen);
    if (vlen == 0) {
        if (admin)
            return 0;
        return kc_error_set(err, KC_ERR_INVALID, "Invalid value for listeners, at least one URL is expected, "
                                                 "ex: http://localhost:8080,https://localhost:8443.");
    }
    int count = 0;
    const char *p = v, *end = v + vlen;
    while (p <= end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *item_end = comma ? comma : end;
        const char *item = p;
        size_t ilen = (size_t)(item_end - item);
        trim(&item, &ilen);
        if (ilen == 0)
            return kc_error_set(err, KC_ERR_INVALID, "Empty URL found when parsing %s list.", key);
        if ((size_t)count == max)
            return kc_error_set(err, KC_ERR_INVALID, "%s: at most %zu listeners are supported", key, max);
        if (parse_one(item, ilen, &out[count], err) != 0)
            return -1;
        count++;
        if (!comma)
            break;
        p = comma + 1;
    }
    return count;
}

int kc_rest_advertised_url(const char *raw_listeners, const kc_rest_listener *listeners,
                           const int *bound_ports, size_t count, const char *advertised_listener,
                           const char *advertised_host, int advertised_port, const char *fallback_host,
                           char *url, size_t url_len, kc_error *err)
{
    int https;
    if (advertised_listener && *advertised_listener) {
        if (strcasecmp(advertised_listener, "http") == 0)
            https = 0;
        else if (strcasecmp(advertised_listener, "https") == 0)
            https = 1;
        else
            return kc_error_set(err, KC_ERR_INVALID,
                                "Invalid value %s for configuration rest.advertised.listener: String must be one of: HTTP, HTTPS",
                                advertised_listener);
    } else {
        https = !strcasestr(raw_listeners ? raw_listeners : "", "http://") &&
                strcasestr(raw_listeners ? raw_listeners : "", "https://");
    }
    const kc_rest_listener *chosen = NULL;
    int port = 0;
    for (size_t i = 0; i < count; i++) {
        if (listeners[i].https == https) {
            chosen = &listeners[i];
            port = listeners[i].port > 0 ? listeners[i].port : bound_ports[i];
            break;
        }
    }
    const char *host = advertised_host && *advertised_host ? advertised_host
                       : chosen && chosen->host[0]     ? chosen->host
                                                       : fallback_host;
    if (advertised_port >= 0)
        port = advertised_port;
    if (!chosen && advertised_port < 0)
        return kc_error_set(err, KC_ERR_INVALID, "no %s listener to advertise", https ? "https" : "http");
    int ipv6 = strchr(host, ':') != NULL;
    int n = snprintf(url, url_len, "%s://%s%s%s:%d/", https ? "https" : "http", ipv6 ? "[" : "", host,
                     ipv6 ? "]" : "", port);
    if (n < 0 || (size_t)n >= url_len)
        return kc_error_set(err, KC_ERR_INVALID, "advertised URL too long");
    return 0;
}

/* Jetty's StringUtil.csvSplit: items separated by ',', surrounding white space dropped, an item may
 * be double-quoted (then commas are kept and \" escapes a quote). Returns the count or -1. */
static int csv_split(const char *s, char items[][640], size_t max)
{
    size_t n = 0;
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        char buf[640];
        size_t o = 0;
        if (*p == '"') {
            p++;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1])
                    p++;
                if (o + 1 < sizeof buf)
                    buf[o++] = *p;
                p++;
            }
            if (*p == '"')
                p++;
            while (*p && *p != ',')
                p++;
        } else {
            while (*p && *p != ',') {
                if (o + 1 < sizeof buf)
                    buf[o++] = *p;
                p++;
            }
            while (o && (buf[o - 1] == ' ' || buf[o - 1] == '\t'))
                o--;
        }
        buf[o] = '\0';
        if (n == max)
            return -1;
        memcpy(items[n++], buf, o + 1);
        if (*p == ',')
            p++;
    }
    return (int)n;
}

int kc_rest_header_rules_parse(const char *value, kc_header_rule *out, size_t max, kc_error *err)
{
    char items[KC_REST_MAX_HEADER_RULES][640];
    if (!value)
        return 0;
    int n = csv_split(value, items, KC_REST_MAX_HEADER_RULES);
    if (n < 0 || (size_t)n > max)
        return kc_error_set(err, KC_ERR_INVALID, "response.http.headers.config: at most %d rules are supported",
                            KC_REST_MAX_HEADER_RULES);
    for (int i = 0; i < n; i++) {
        const char *rule = items[i];
        const char *a = rule;
        while (isspace((unsigned char)*a))
            a++;
        const char *a_end = a;
        while (*a_end && !isspace((unsigned char)*a_end))
            a_end++;
        const char *rest = a_end;
        while (isspace((unsigned char)*rest))
            rest++;
        if (a_end == a || !*rest)
            return kc_error_set(err, KC_ERR_INVALID,
                                "Invalid format of header config '%s'. Expected: '[action] [header name]:[header value]'",
                                rule);
        size_t alen = (size_t)(a_end - a);
        kc_header_rule *r = &out[i];
        if (alen == 3 && strncasecmp(a, "set", 3) == 0)
            r->action = KC_HEADER_SET;
        else if (alen == 3 && strncasecmp(a, "add", 3) == 0)
            r->action = KC_HEADER_ADD;
        else if (alen == 7 && strncasecmp(a, "setDate", 7) == 0)
            r->action = KC_HEADER_SET_DATE;
        else if (alen == 7 && strncasecmp(a, "addDate", 7) == 0)
            r->action = KC_HEADER_ADD_DATE;
        else
            return kc_error_set(err, KC_ERR_INVALID,
                                "Invalid header config action: '%.*s'. Expected one of [set, add, setDate, addDate]",
                                (int)alen, a);
        /* Java splits the pair on every ':' and wants exactly two parts */
        const char *colon = strchr(rest, ':');
        size_t rlen = strlen(rest);
        while (rlen && isspace((unsigned char)rest[rlen - 1]))
            rlen--;
        if (!colon || strchr(colon + 1, ':') || colon == rest + rlen - 1 || colon == rest)
            return kc_error_set(err, KC_ERR_INVALID,
                                "Invalid format of header name and header value pair '%.*s'. Expected: '[header name]:[header value]'",
                                (int)rlen, rest);
        const char *name = rest;
        size_t nlen = (size_t)(colon - rest);
        size_t name_trim = nlen;
        while (name_trim && isspace((unsigned char)name[name_trim - 1]))
            name_trim--;
        for (size_t k = 0; k < name_trim; k++)
            if (isspace((unsigned char)name[k]))
                return kc_error_set(err, KC_ERR_INVALID,
                                    "Invalid header name '%.*s'. The '[header name]' cannot contain whitespace",
                                    (int)name_trim, name);
        if (name_trim == 0 || name_trim >= sizeof r->name)
            return kc_error_set(err, KC_ERR_INVALID,
                                "Invalid header name '%.*s'. The '[header name]' cannot contain whitespace",
                                (int)name_trim, name);
        memcpy(r->name, name, name_trim);
        r->name[name_trim] = '\0';
        const char *val = colon + 1;
        while (isspace((unsigned char)*val))
            val++;
        size_t vlen = (size_t)(rest + rlen - val);
        if (vlen >= sizeof r->value)
            vlen = sizeof r->value - 1;
        memcpy(r->value, val, vlen);
        r->value[vlen] = '\0';
    }
    return n;
}

const char *kc_rest_tls_setting(const kc_props *worker, const char *prefix, const char *key)
{
    if (!worker)
        return NULL;
    char name[256];
    for (size_t i = 0; i < kc_props_count(worker); i++)
        if (strncmp(kc_props_key_at(worker, i), prefix, strlen(prefix)) == 0) {
            snprintf(name, sizeof name, "%s%s", prefix, key);
            return kc_props_get(worker, name);
        }
    return kc_props_get(worker, key);
}

int kc_rest_tls_password_cb(char *buf, int size, int rwflag, void *userdata)
{
    (void)rwflag;
    const char *password = userdata;
    int n = (int)strlen(password);
    if (n >= size)
        return 0;
    memcpy(buf, password, (size_t)n);
    return n;
}
