/* The provenance header kc.mm2.origin (spec/mirrormaker2.md 8.4); see provenance.h. */
#include "connectors/mirror/provenance.h"

#include <string.h>

bool kc_provenance_is_header(const char *name) { return name && strcmp(name, KC_PROVENANCE_HEADER) == 0; }

/* True when one ','-separated element of s (n > 0 bytes) is exactly id (idlen bytes). */
static bool chain_has(const char *s, size_t n, const char *id, size_t idlen)
{
    const char *p = s, *end = s + n;
    for (;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end;
        if ((size_t)(e - p) == idlen && memcmp(p, id, idlen) == 0)
            return true;
        if (!comma)
            return false;
        p = comma + 1;
    }
}

/* True when the last ','-separated element of s (n > 0 bytes) is exactly id (idlen bytes). */
static bool chain_ends_with(const char *s, size_t n, const char *id, size_t idlen)
{
    size_t start = n;
    while (start > 0 && s[start - 1] != ',')
        start--;
    return n - start == idlen && memcmp(s + start, id, idlen) == 0;
}

kc_provenance_verdict kc_provenance_decide_value(const char *origin, size_t origin_len, const char *id_source,
                                                 const char *id_target, char *buf, size_t cap, size_t *value_len)
{
    size_t n = origin ? origin_len : 0; /* an empty chain: no header, a null or an empty value */
    size_t ls = strlen(id_source), lt = strlen(id_target);
    bool append_source = n == 0 || !chain_ends_with(origin, n, id_source, ls);
    if ((n > 0 && chain_has(origin, n, id_target, lt)) ||
        (append_source && ls == lt && memcmp(id_source, id_target, ls) == 0))
        return KC_PROVENANCE_DROP;
    size_t len = n + (append_source ? (n > 0) + ls : 0) + 1 + lt;
    *value_len = len;
    if (len > cap)
        return KC_PROVENANCE_FORWARD;
    char *p = buf;
    if (n > 0) {
        memcpy(p, origin, n);
        p += n;
    }
    if (append_source) {
        if (n > 0)
            *p++ = ',';
        memcpy(p, id_source, ls);
        p += ls;
    }
    *p++ = ',';
    memcpy(p, id_target, lt);
    return KC_PROVENANCE_FORWARD;
}

kc_provenance_verdict kc_provenance_decide(const rd_kafka_headers_t *hdrs, const char *id_source,
                                           const char *id_target, char *buf, size_t cap, size_t *value_len)
{
    const void *v = NULL;
    size_t size = 0;
    if (!hdrs || rd_kafka_header_get_last(hdrs, KC_PROVENANCE_HEADER, &v, &size) != RD_KAFKA_RESP_ERR_NO_ERROR)
        v = NULL;
    return kc_provenance_decide_value(v, v ? size : 0, id_source, id_target, buf, cap, value_len);
}

int kc_provenance_copy_headers(const rd_kafka_headers_t *in, const char *value, size_t value_len, kc_headers *out)
{
    const char *name;
    const void *val;
    size_t size;
    for (size_t i = 0; in && rd_kafka_header_get_all(in, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; i++) {
        if (kc_provenance_is_header(name))
            continue;
        kc_value *hv = val ? kc_value_bytes(val, size) : NULL;
        if ((val && !hv) || kc_headers_add_new(out, name, kc_schema_bytes(), hv) != 0)
            return -1;
    }
    kc_value *pv = kc_value_bytes(value, value_len);
    if (!pv || kc_headers_add_new(out, KC_PROVENANCE_HEADER, kc_schema_bytes(), pv) != 0)
        return -1;
    return 0;
}
