/*
 * Kafka wire protocol: framing, primitive codecs, request/response headers, and the messages
 * kconnect speaks itself (ApiVersions, SaslHandshake, SaslAuthenticate; the group APIs later).
 *
 * A frame is `int32 size` + header + body (spec/connect-group-protocol.md §1). Requests carry
 * header v1 (api_key, api_version, correlation_id, client_id as a classic nullable string) or v2
 * (v1 + tagged fields) when the request version is flexible; responses carry header v0
 * (correlation_id) or v1 (+ tagged fields), except ApiVersions whose response header is always v0.
 * Field layouts follow Apache Kafka's clients/src/main/resources/common/message/<Name>*.json.
 *
 * Writing: kc_kbuf is a growable byte buffer with a hard maximum (Bounded everything); a write past
 * the maximum or an allocation failure sets a sticky `failed` flag instead of growing, so a whole
 * request is written and checked once. Reading: kc_kreader walks a borrowed byte range; a read
 * past the end sets a sticky `bad` flag and returns zero/NULL, so a whole body is parsed and
 * checked once. Strings and byte fields read are borrowed pointers into the reader's range.
 *
 * Memory: a kc_kbuf owns its data (kc_kbuf_free); parsed responses borrow from the frame they were
 * parsed from. Threads: any; nothing is shared. Secrets: these functions never log; a SASL
 * payload they carry may contain a password (PLAIN) and must not be logged by callers either.
 */
#ifndef KC_KAFKA_PROTOCOL_H
#define KC_KAFKA_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "connect/api/error.h"

/* Responses larger than this are refused (a TLS/plaintext mismatch reads as a huge size). */
#define KC_KAFKA_FRAME_MAX (100 * 1024 * 1024)

#define KC_API_SASL_HANDSHAKE 17
#define KC_API_API_VERSIONS 18
#define KC_API_SASL_AUTHENTICATE 36

#define KC_KAFKA_ERR_NONE 0
#define KC_KAFKA_ERR_UNSUPPORTED_SASL_MECHANISM 33
#define KC_KAFKA_ERR_ILLEGAL_SASL_STATE 34
#define KC_KAFKA_ERR_UNSUPPORTED_VERSION 35
#define KC_KAFKA_ERR_SASL_AUTHENTICATION_FAILED 58

/* ---- output buffer -------------------------------------------------------------------------- */

typedef struct kc_kbuf {
    unsigned char *data;
    size_t len;
    size_t cap;
    size_t max;        /* hard limit of len */
    int failed;        /* sticky: out of memory or past max */
} kc_kbuf;

/* An empty buffer that never grows past max bytes. */
void kc_kbuf_init(kc_kbuf *b, size_t max);
/* Frees the data (wiping it first: it may hold a SASL payload) and leaves b empty and usable. */
void kc_kbuf_free(kc_kbuf *b);

void kc_kw_raw(kc_kbuf *b, const void *data, size_t len);
void kc_kw_i8(kc_kbuf *b, int8_t v);
void kc_kw_i16(kc_kbuf *b, int16_t v);
void kc_kw_i32(kc_kbuf *b, int32_t v);
void kc_kw_i64(kc_kbuf *b, int64_t v);
void kc_kw_uvarint(kc_kbuf *b, uint64_t v);
/* Classic string: int16 length + bytes; NULL writes length -1. */
void kc_kw_string(kc_kbuf *b, const char *s);
/* Classic bytes: int32 length + bytes; NULL writes length -1. */
void kc_kw_bytes(kc_kbuf *b, const void *data, size_t len);
/* Compact (flexible) string and bytes: uvarint (length + 1) + bytes; NULL writes 0. */
void kc_kw_cstring(kc_kbuf *b, const char *s);
void kc_kw_cbytes(kc_kbuf *b, const void *data, size_t len);
/* An empty tagged-field section (one 0x00 byte). */
void kc_kw_no_tags(kc_kbuf *b);

/* ---- input reader --------------------------------------------------------------------------- */

typedef struct kc_kreader {
    const unsigned char *p;
    size_t len;
    size_t pos;
    int bad;           /* sticky: read past the end or a malformed length */
} kc_kreader;

void kc_kr_init(kc_kreader *r, const void *data, size_t len);
int8_t kc_kr_i8(kc_kreader *r);
int16_t kc_kr_i16(kc_kreader *r);
int32_t kc_kr_i32(kc_kreader *r);
int64_t kc_kr_i64(kc_kreader *r);
uint64_t kc_kr_uvarint(kc_kreader *r);
/* Classic nullable string: *s borrows the bytes (not NUL-terminated), *len their count;
 * a null string gives *s = NULL, *len = 0. Returns 0, or -1 with r->bad set. */
int kc_kr_string(kc_kreader *r, const char **s, size_t *len);
int kc_kr_bytes(kc_kreader *r, const unsigned char **data, size_t *len);
int kc_kr_cstring(kc_kreader *r, const char **s, size_t *len);
int kc_kr_cbytes(kc_kreader *r, const unsigned char **data, size_t *len);
/* Skips a tagged-field section. */
int kc_kr_skip_tags(kc_kreader *r);
size_t kc_kr_remaining(const kc_kreader *r);

/* ---- framing and headers -------------------------------------------------------------------- */

/* 1 when this request version uses the flexible encoding (request header v2). */
int kc_kafka_request_flexible(int16_t api_key, int16_t api_version);
/* 1 when the response to this request carries response header v1 (tagged fields). */
int kc_kafka_response_header_flexible(int16_t api_key, int16_t api_version);

/* Starts a request frame in b (size placeholder + header v1 or v2 by kc_kafka_request_flexible)
 * and returns the offset of the size field, for kc_kafka_request_end. */
size_t kc_kafka_request_begin(kc_kbuf *b, int16_t api_key, int16_t api_version, int32_t correlation_id,
                              const char *client_id);
/* Patches the size of the frame begun at start. 0, or -1 when b failed (too large / no memory). */
int kc_kafka_request_end(kc_kbuf *b, size_t start);

/* Reads the 4-byte size prefix. 0 with *size (the bytes that follow), or -1 with err when the
 * size is below 4 or above max. */
int kc_kafka_frame_size(const unsigned char prefix[4], size_t max, size_t *size, kc_error *err);

/* Reads the response header at the start of a frame payload (after the size) for a response to
 * (api_key, api_version) and leaves r at the body. 0 with *correlation_id, or -1 with err. */
int kc_kafka_response_begin(kc_kreader *r, const void *payload, size_t len, int16_t api_key,
                            int16_t api_version, int32_t *correlation_id, kc_error *err);

/* ---- messages ------------------------------------------------------------------------------- */

/* ApiVersions v0..v3 request. v3 carries the client software name and version, which must match
 * [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?. Returns 0, or -1 when b failed. */
int kc_kafka_api_versions_request(kc_kbuf *b, int16_t version, int32_t correlation_id, const char *client_id,
                                  const char *software_name, const char *software_version);

typedef struct kc_kafka_api_range {
    int16_t api_key;
    int16_t min_version;
    int16_t max_version;
} kc_kafka_api_range;

#define KC_KAFKA_MAX_APIS 128

typedef struct kc_kafka_api_versions {
    int16_t error_code;
    size_t count;
    kc_kafka_api_range apis[KC_KAFKA_MAX_APIS];  /* keys past KC_KAFKA_MAX_APIS are dropped */
} kc_kafka_api_versions;

/* Parses an ApiVersions response body for a request of the given version. An error response
 * (UNSUPPORTED_VERSION to a version the broker does not know) is always in the v0 layout, which
 * is recognised. 0, or -1 with err (KC_ERR_IO) when malformed. */
int kc_kafka_api_versions_response(kc_kreader *r, int16_t version, kc_kafka_api_versions *out, kc_error *err);

/* The broker's highest version of api_key, or -1 when it does not list it. */
int kc_kafka_api_max_version(const kc_kafka_api_versions *v, int16_t api_key);

/* SaslHandshake v1 (v0 was removed in Kafka 4) naming the mechanism. */
int kc_kafka_sasl_handshake_request(kc_kbuf *b, int32_t correlation_id, const char *client_id,
                                    const char *mechanism);

typedef struct kc_kafka_sasl_handshake {
    int16_t error_code;
    char mechanisms[256];      /* the broker's enabled mechanisms, comma separated (truncated) */
} kc_kafka_sasl_handshake;

int kc_kafka_sasl_handshake_response(kc_kreader *r, kc_kafka_sasl_handshake *out, kc_error *err);

/* SaslAuthenticate v0..v2 carrying auth_bytes (v2 is flexible). */
int kc_kafka_sasl_authenticate_request(kc_kbuf *b, int16_t version, int32_t correlation_id,
                                       const char *client_id, const void *auth_bytes, size_t len);

typedef struct kc_kafka_sasl_authenticate {
    int16_t error_code;
    const char *error_message;         /* borrowed, not NUL-terminated; NULL when null */
    size_t error_message_len;
    const unsigned char *auth_bytes;   /* borrowed */
    size_t auth_len;
    int64_t session_lifetime_ms;       /* v1+; 0 when the broker does not expire sessions */
} kc_kafka_sasl_authenticate;

int kc_kafka_sasl_authenticate_response(kc_kreader *r, int16_t version, kc_kafka_sasl_authenticate *out,
                                        kc_error *err);

#endif
