/*
 * A JSON writer that produces the exact bytes Jackson's ObjectMapper.writeValueAsBytes writes for a
 * JsonNode tree (Jackson 2.16 UTF8JsonGenerator defaults, as Kafka Connect's JsonConverter uses
 * them; spec/connect-storage-formats.md §1.2-§1.3):
 *   - no whitespace at all;
 *   - strings: `"` and `\` escaped, \b \t \n \f \r, other controls as \u00XX with upper-case hex,
 *     `/` and DEL not escaped, BMP characters as raw UTF-8, characters outside the BMP as two
 *     escaped surrogates (U+1F600 -> \uD83D\uDE00); invalid UTF-8 input is an error;
 *   - doubles as Java's Double.toString, floats as Float.toString, NaN and infinities quoted
 *     ("NaN", "Infinity", "-Infinity");
 *   - bytes as standard padded Base64 in a string.
 *
 * Owns: a growable buffer with a hard maximum size and a nesting depth limit of
 * KC_JSON_MAX_DEPTH (Jackson's StreamWriteConstraints default). Errors are sticky: the first one is
 * kept, later calls do nothing, and kc_json_writer_take reports it. Commas and colons are inserted
 * by the writer; the caller only says begin/end, key and value.
 * Threads: a writer belongs to one thread.
 */
#ifndef KC_WORKER_JSON_WRITER_H
#define KC_WORKER_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connect/api/error.h"

#define KC_JSON_MAX_DEPTH 1000
#define KC_JSON_DEFAULT_MAX_BYTES ((size_t)64 * 1024 * 1024)

typedef struct kc_json_writer {
    char *buf;
    size_t len, cap, max;
    int depth;
    bool need_comma[KC_JSON_MAX_DEPTH + 1]; /* per level: a value was already written */
    bool after_key;                         /* the next value follows a "key": */
    bool failed;
    kc_error err;
} kc_json_writer;

/* Prepares w (no allocation yet). max_bytes 0 means KC_JSON_DEFAULT_MAX_BYTES. */
void kc_json_writer_init(kc_json_writer *w, size_t max_bytes);
/* Frees the buffer (when not taken). */
void kc_json_writer_free(kc_json_writer *w);
/* Hands the written bytes over: a malloc'd buffer (NUL-terminated, not counted in *len) the caller
 * frees with free(). NULL with err set to the first error if any write failed or the document is
 * incomplete. The writer is left empty either way (free it or init it again). */
char *kc_json_writer_take(kc_json_writer *w, size_t *len, kc_error *err);
/* Records an error of the caller's own (for example a conversion failure); returns -1. */
int kc_json_writer_fail(kc_json_writer *w, kc_error_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Values. Each returns 0, or -1 once the writer has failed. */
int kc_json_write_null(kc_json_writer *w);
int kc_json_write_bool(kc_json_writer *w, bool v);
int kc_json_write_int64(kc_json_writer *w, int64_t v);
int kc_json_write_double(kc_json_writer *w, double v); /* Double.toString, non-finite quoted */
int kc_json_write_float(kc_json_writer *w, float v);   /* Float.toString, non-finite quoted */
/* A pre-encoded JSON value written exactly as given (a BigDecimal.toString number); the caller
 * vouches for it being one valid JSON value. */
int kc_json_write_raw(kc_json_writer *w, const char *json, size_t len);
int kc_json_write_string(kc_json_writer *w, const char *s, size_t len);
int kc_json_write_base64(kc_json_writer *w, const void *data, size_t len);
int kc_json_begin_object(kc_json_writer *w);
int kc_json_end_object(kc_json_writer *w);
int kc_json_begin_array(kc_json_writer *w);
int kc_json_end_array(kc_json_writer *w);
/* An object member name; the next call writes its value. */
int kc_json_write_key(kc_json_writer *w, const char *key, size_t len);

/* Appends Jackson's escaped form of UTF-8 text s (without quotes) to w's buffer. Used by the
 * string and key writers; -1 on invalid UTF-8 (the error names the byte offset). */
int kc_json_write_escaped(kc_json_writer *w, const char *s, size_t len);

/* Standard Base64 (RFC 4648, padded) of len bytes into out, which needs 4*((len+2)/3)+1 bytes.
 * Returns the length written (NUL-terminated). */
size_t kc_base64_encode(const void *data, size_t len, char *out);
/* Decodes standard padded Base64 as Jackson's MIME-NO-LINEFEEDS variant does for a JSON string
 * (padding required; whitespace only between 4-character units). *out is malloc'd (free()); -1 with
 * a message naming the problem. */
int kc_base64_decode(const char *s, size_t len, uint8_t **out, size_t *out_len, kc_error *err);

#endif
