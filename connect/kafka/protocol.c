/* Kafka wire codecs; see protocol.h. */
#include "protocol.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* ---- output buffer -------------------------------------------------------------------------- */

void kc_kbuf_init(kc_kbuf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

void kc_kbuf_free(kc_kbuf *b)
{
    if (b->data) {
        OPENSSL_cleanse(b->data, b->cap);
        free(b->data);
    }
    size_t max = b->max;
    kc_kbuf_init(b, max);
}

static unsigned char *reserve(kc_kbuf *b, size_t n)
{
    if (b->failed)
        return NULL;
    if (n > b->max || b->len > b->max - n) {
        b->failed = 1;
        return NULL;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n)
            cap = cap > b->max / 2 ? b->max : cap * 2;
        /* grow by copy so that no stale copy of a payload is left behind by realloc */
        unsigned char *data = malloc(cap);
        if (!data) {
            b->failed = 1;
            return NULL;
        }
        if (b->data) {
            memcpy(data, b->data, b->len);
            OPENSSL_cleanse(b->data, b->cap);
            free(b->data);
        }
        b->data = data;
        b->cap = cap;
    }
    unsigned char *p = b->data + b->len;
    b->len += n;
    return p;
}

void kc_kw_raw(kc_kbuf *b, const void *data, size_t len)
{
    unsigned char *p = reserve(b, len);
    if (p && len)
        memcpy(p, data, len);
}

void kc_kw_i8(kc_kbuf *b, int8_t v)
{
    unsigned char *p = reserve(b, 1);
    if (p)
        p[0] = (unsigned char)v;
}

void kc_kw_i16(kc_kbuf *b, int16_t v)
{
    unsigned char *p = reserve(b, 2);
    if (p) {
        uint16_t u = (uint16_t)v;
        p[0] = (unsigned char)(u >> 8);
        p[1] = (unsigned char)u;
    }
}

void kc_kw_i32(kc_kbuf *b, int32_t v)
{
    unsigned char *p = reserve(b, 4);
    if (p) {
        uint32_t u = (uint32_t)v;
        for (int i = 0; i < 4; i++)
            p[i] = (unsigned char)(u >> (24 - 8 * i));
    }
}

void kc_kw_i64(kc_kbuf *b, int64_t v)
{
    unsigned char *p = reserve(b, 8);
    if (p) {
        uint64_t u = (uint64_t)v;
        for (int i = 0; i < 8; i++)
            p[i] = (unsigned char)(u >> (56 - 8 * i));
    }
}

void kc_kw_uvarint(kc_kbuf *b, uint64_t v)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        unsigned char byte = v & 0x7f;
        v >>= 7;
        tmp[n++] = byte | (v ? 0x80 : 0);
    } while (v);
    kc_kw_raw(b, tmp, n);
}

void kc_kw_string(kc_kbuf *b, const char *s)
{
    if (!s) {
        kc_kw_i16(b, -1);
        return;
    }
    size_t n = strlen(s);
    if (n > 32767) {
        b->failed = 1;
        return;
    }
    kc_kw_i16(b, (int16_t)n);
    kc_kw_raw(b, s, n);
}

void kc_kw_bytes(kc_kbuf *b, const void *data, size_t len)
{
    if (!data) {
        kc_kw_i32(b, -1);
        return;
    }
    if (len > INT32_MAX) {
        b->failed = 1;
        return;
    }
    kc_kw_i32(b, (int32_t)len);
    kc_kw_raw(b, data, len);
}

void kc_kw_cstring(kc_kbuf *b, const char *s)
{
    if (!s) {
        kc_kw_uvarint(b, 0);
        return;
    }
    kc_kw_cbytes(b, s, strlen(s));
}

void kc_kw_cbytes(kc_kbuf *b, const void *data, size_t len)
{
    if (!data) {
        kc_kw_uvarint(b, 0);
        return;
    }
    kc_kw_uvarint(b, (uint64_t)len + 1);
    kc_kw_raw(b, data, len);
}

void kc_kw_no_tags(kc_kbuf *b)
{
    kc_kw_uvarint(b, 0);
}

/* ---- input reader --------------------------------------------------------------------------- */

void kc_kr_init(kc_kreader *r, const void *data, size_t len)
{
    r->p = data;
    r->len = len;
    r->pos = 0;
    r->bad = 0;
}

size_t kc_kr_remaining(const kc_kreader *r)
{
    return r->bad ? 0 : r->len - r->pos;
}

static const unsigned char *take(kc_kreader *r, size_t n)
{
    if (r->bad || n > r->len - r->pos) {
        r->bad = 1;
        return NULL;
    }
    const unsigned char *p = r->p + r->pos;
    r->pos += n;
    return p;
}

int8_t kc_kr_i8(kc_kreader *r)
{
    const unsigned char *p = take(r, 1);
    return p ? (int8_t)p[0] : 0;
}

int16_t kc_kr_i16(kc_kreader *r)
{
    const unsigned char *p = take(r, 2);
    return p ? (int16_t)(uint16_t)((p[0] << 8) | p[1]) : 0;
}

int32_t kc_kr_i32(kc_kreader *r)
{
    const unsigned char *p = take(r, 4);
    if (!p)
        return 0;
    uint32_t u = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
    return (int32_t)u;
}

int64_t kc_kr_i64(kc_kreader *r)
{
    const unsigned char *p = take(r, 8);
    if (!p)
        return 0;
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u = (u << 8) | p[i];
    return (int64_t)u;
}

uint64_t kc_kr_uvarint(kc_kreader *r)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        const unsigned char *p = take(r, 1);
        if (!p)
            return 0;
        v |= (uint64_t)(p[0] & 0x7f) << shift;
        if (!(p[0] & 0x80))
            return v;
    }
    r->bad = 1; /* more than 10 bytes */
    return 0;
}

static int take_span(kc_kreader *r, int64_t n, const void **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (r->bad)
        return -1;
    if (n < 0)
        return 0; /* null */
    const unsigned char *p = take(r, (size_t)n);
    if (!p)
        return -1;
    *out = p;
    *len = (size_t)n;
    return 0;
}

int kc_kr_string(kc_kreader *r, const char **s, size_t *len)
{
    int16_t n = kc_kr_i16(r);
    if (n < -1)
        r->bad = 1;
    return take_span(r, n, (const void **)s, len);
}

int kc_kr_bytes(kc_kreader *r, const unsigned char **data, size_t *len)
{
    int32_t n = kc_kr_i32(r);
    if (n < -1)
        r->bad = 1;
    return take_span(r, n, (const void **)data, len);
}

int kc_kr_cbytes(kc_kreader *r, const unsigned char **data, size_t *len)
{
    uint64_t n = kc_kr_uvarint(r);
    if (n > (uint64_t)KC_KAFKA_FRAME_MAX)
        r->bad = 1;
    return take_span(r, (int64_t)n - 1, (const void **)data, len);
}

int kc_kr_cstring(kc_kreader *r, const char **s, size_t *len)
{
    return kc_kr_cbytes(r, (const unsigned char **)s, len);
}

int kc_kr_skip_tags(kc_kreader *r)
{
    uint64_t n = kc_kr_uvarint(r);
    for (uint64_t i = 0; i < n && !r->bad; i++) {
        (void)kc_kr_uvarint(r); /* tag */
        uint64_t size = kc_kr_uvarint(r);
        if (size > r->len)
            r->bad = 1;
        else
            (void)take(r, (size_t)size);
    }
    return r->bad ? -1 : 0;
}

/* ---- framing and headers -------------------------------------------------------------------- */

int kc_kafka_request_flexible(int16_t api_key, int16_t api_version)
{
    switch (api_key) {
    case KC_API_API_VERSIONS: return api_version >= 3;
    case KC_API_SASL_AUTHENTICATE: return api_version >= 2;
    case KC_API_SASL_HANDSHAKE: return 0;
    default: return 0;
    }
}

int kc_kafka_response_header_flexible(int16_t api_key, int16_t api_version)
{
    if (api_key == KC_API_API_VERSIONS)
        return 0; /* always response header v0, so a client can parse an error to any version */
    return kc_kafka_request_flexible(api_key, api_version);
}

size_t kc_kafka_request_begin(kc_kbuf *b, int16_t api_key, int16_t api_version, int32_t correlation_id,
                              const char *client_id)
{
    size_t start = b->len;
    kc_kw_i32(b, 0); /* size, patched by kc_kafka_request_end */
    kc_kw_i16(b, api_key);
    kc_kw_i16(b, api_version);
    kc_kw_i32(b, correlation_id);
    kc_kw_string(b, client_id); /* int16 length even in header v2 */
    if (kc_kafka_request_flexible(api_key, api_version))
        kc_kw_no_tags(b);
    return start;
}

int kc_kafka_request_end(kc_kbuf *b, size_t start)
{
    if (b->failed || b->len < start + 4)
        return -1;
    size_t size = b->len - start - 4;
    if (size > INT32_MAX)
        return -1;
    uint32_t u = (uint32_t)size;
    for (int i = 0; i < 4; i++)
        b->data[start + i] = (unsigned char)(u >> (24 - 8 * i));
    return 0;
}

int kc_kafka_frame_size(const unsigned char prefix[4], size_t max, size_t *size, kc_error *err)
{
    uint32_t u = ((uint32_t)prefix[0] << 24) | ((uint32_t)prefix[1] << 16) | ((uint32_t)prefix[2] << 8) | prefix[3];
    int32_t n = (int32_t)u;
    if (n < 4 || (size_t)n > max)
        return kc_error_set(err, KC_ERR_IO,
                            "invalid response size %d (is the listener speaking TLS, or another protocol?)", n);
    *size = (size_t)n;
    return 0;
}

int kc_kafka_response_begin(kc_kreader *r, const void *payload, size_t len, int16_t api_key,
                            int16_t api_version, int32_t *correlation_id, kc_error *err)
{
    kc_kr_init(r, payload, len);
    *correlation_id = kc_kr_i32(r);
    if (kc_kafka_response_header_flexible(api_key, api_version))
        kc_kr_skip_tags(r);
    if (r->bad)
        return kc_error_set(err, KC_ERR_IO, "malformed response header (api key %d v%d)", api_key, api_version);
    return 0;
}

/* ---- messages ------------------------------------------------------------------------------- */

int kc_kafka_api_versions_request(kc_kbuf *b, int16_t version, int32_t correlation_id, const char *client_id,
                                  const char *software_name, const char *software_version)
{
    size_t start = kc_kafka_request_begin(b, KC_API_API_VERSIONS, version, correlation_id, client_id);
    if (version >= 3) {
        kc_kw_cstring(b, software_name);
        kc_kw_cstring(b, software_version);
        kc_kw_no_tags(b);
    }
    return kc_kafka_request_end(b, start);
}

static int malformed(kc_error *err, const char *what)
{
    return kc_error_set(err, KC_ERR_IO, "malformed %s response", what);
}

/* The v0 layout: ErrorCode int16, ApiKeys classic array of (int16 key, int16 min, int16 max). */
static int api_versions_v0(kc_kreader *r, kc_kafka_api_versions *out, int with_throttle)
{
    int32_t n = kc_kr_i32(r);
    if (n < -1 || (n > 0 && (size_t)n > kc_kr_remaining(r) / 6))
        r->bad = 1;
    for (int32_t i = 0; i < n && !r->bad; i++) {
        kc_kafka_api_range a;
        a.api_key = kc_kr_i16(r);
        a.min_version = kc_kr_i16(r);
        a.max_version = kc_kr_i16(r);
        if (out->count < KC_KAFKA_MAX_APIS)
            out->apis[out->count++] = a;
    }
    if (with_throttle)
        (void)kc_kr_i32(r);
    return r->bad ? -1 : 0;
}

int kc_kafka_api_versions_response(kc_kreader *r, int16_t version, kc_kafka_api_versions *out, kc_error *err)
{
    memset(out, 0, sizeof *out);
    out->error_code = kc_kr_i16(r);
    if (r->bad)
        return malformed(err, "ApiVersions");
    if (version < 3 || out->error_code == KC_KAFKA_ERR_UNSUPPORTED_VERSION) {
        /* an UNSUPPORTED_VERSION answer is written in the v0 layout whatever was asked */
        if (api_versions_v0(r, out, version >= 1 && out->error_code != KC_KAFKA_ERR_UNSUPPORTED_VERSION))
            return malformed(err, "ApiVersions");
        return 0;
    }
    uint64_t n = kc_kr_uvarint(r);
    if (n == 0 || n - 1 > kc_kr_remaining(r) / 7)
        r->bad = 1;
    for (uint64_t i = 0; i + 1 < n && !r->bad; i++) {
        kc_kafka_api_range a;
        a.api_key = kc_kr_i16(r);
        a.min_version = kc_kr_i16(r);
        a.max_version = kc_kr_i16(r);
        kc_kr_skip_tags(r);
        if (out->count < KC_KAFKA_MAX_APIS)
            out->apis[out->count++] = a;
    }
    (void)kc_kr_i32(r); /* ThrottleTimeMs */
    kc_kr_skip_tags(r);  /* supported/finalized features, epoch: not needed */
    if (r->bad)
        return malformed(err, "ApiVersions");
    return 0;
}

int kc_kafka_api_max_version(const kc_kafka_api_versions *v, int16_t api_key)
{
    for (size_t i = 0; i < v->count; i++)
        if (v->apis[i].api_key == api_key)
            return v->apis[i].max_version;
    return -1;
}

int kc_kafka_sasl_handshake_request(kc_kbuf *b, int32_t correlation_id, const char *client_id,
                                    const char *mechanism)
{
    size_t start = kc_kafka_request_begin(b, KC_API_SASL_HANDSHAKE, 1, correlation_id, client_id);
    kc_kw_string(b, mechanism);
    return kc_kafka_request_end(b, start);
}

int kc_kafka_sasl_handshake_response(kc_kreader *r, kc_kafka_sasl_handshake *out, kc_error *err)
{
    memset(out, 0, sizeof *out);
    out->error_code = kc_kr_i16(r);
    int32_t n = kc_kr_i32(r);
    if (n < -1 || (n > 0 && (size_t)n > kc_kr_remaining(r) / 2))
        r->bad = 1;
    size_t used = 0;
    for (int32_t i = 0; i < n && !r->bad; i++) {
        const char *s;
        size_t len;
        if (kc_kr_string(r, &s, &len))
            break;
        size_t room = sizeof out->mechanisms - 1 - used;
        size_t sep = used ? 1 : 0;
        if (s && len + sep <= room) {
            if (sep)
                out->mechanisms[used++] = ',';
            memcpy(out->mechanisms + used, s, len);
            used += len;
        }
    }
    out->mechanisms[used] = '\0';
    if (r->bad)
        return malformed(err, "SaslHandshake");
    return 0;
}

int kc_kafka_sasl_authenticate_request(kc_kbuf *b, int16_t version, int32_t correlation_id,
                                       const char *client_id, const void *auth_bytes, size_t len)
{
    static const unsigned char empty[1];
    if (!auth_bytes)
        auth_bytes = empty; /* AuthBytes is not nullable */
    size_t start = kc_kafka_request_begin(b, KC_API_SASL_AUTHENTICATE, version, correlation_id, client_id);
    if (version >= 2) {
        kc_kw_cbytes(b, auth_bytes, len);
        kc_kw_no_tags(b);
    } else {
        kc_kw_bytes(b, auth_bytes, len);
    }
    return kc_kafka_request_end(b, start);
}

int kc_kafka_sasl_authenticate_response(kc_kreader *r, int16_t version, kc_kafka_sasl_authenticate *out,
                                        kc_error *err)
{
    memset(out, 0, sizeof *out);
    out->error_code = kc_kr_i16(r);
    if (version >= 2) {
        kc_kr_cstring(r, &out->error_message, &out->error_message_len);
        kc_kr_cbytes(r, &out->auth_bytes, &out->auth_len);
    } else {
        kc_kr_string(r, &out->error_message, &out->error_message_len);
        kc_kr_bytes(r, &out->auth_bytes, &out->auth_len);
    }
    if (version >= 1)
        out->session_lifetime_ms = kc_kr_i64(r);
    if (version >= 2)
        kc_kr_skip_tags(r);
    if (r->bad)
        return malformed(err, "SaslAuthenticate");
    return 0;
}
