/*
 * Private to connect/api/data_*.c and values.c: the layout of schemas and values, and a small
 * bounded string buffer. Nothing outside the data model includes this header.
 */
#ifndef KC_API_DATA_INTERNAL_H
#define KC_API_DATA_INTERNAL_H

#include <stdatomic.h>

#include "connect/api/data.h"

struct kc_field {
    char *name;
    int index;
    const kc_schema *schema; /* one reference */
};

struct kc_schema {
    atomic_int refs;
    bool is_static;   /* predefined: never counted, never freed */
    kc_schema_type type;
    bool optional;
    int depth;        /* 1 + deepest child schema (a primitive schema has depth 1) */
    kc_value *default_value; /* owned, NULL when none */
    char *name;
    bool has_version;
    int32_t version;
    char *doc;
    size_t nparams;
    char **param_keys;
    char **param_values;
    size_t nfields;
    kc_field *fields;
    const kc_schema *key_schema;   /* one reference or NULL */
    const kc_schema *value_schema; /* one reference or NULL */
};

typedef struct kc_value_map {
    kc_value **keys;
    kc_value **vals;
    size_t len, cap;
    uint32_t *index; /* open addressing over entry positions + 1 (0 = empty); NULL when small */
    size_t index_cap;
} kc_value_map;

struct kc_value {
    kc_value_type type;
    int depth; /* 0 for scalars, 1 + deepest child for containers */
    union {
        int64_t i;   /* INT8..INT64, TIMESTAMP */
        float f;
        double d;
        bool b;
        struct {
            char *data; /* NUL-terminated for strings and bytes alike */
            size_t len;
        } s;
        struct {
            kc_value **items;
            size_t len, cap;
        } arr;
        kc_value_map map;
        struct {
            const kc_schema *schema; /* one reference */
            kc_value **vals;         /* nfields entries; NULL = null */
        } st;
        struct {
            uint8_t *unscaled; /* minimal two's complement, big-endian, len >= 1 */
            size_t len;
            int32_t scale;
        } dec;
    } u;
};

/* The struct value's schema fields are reached through these. */
const kc_schema *kc__schema_new_raw(kc_schema_type type, bool optional, const kc_schema *key,
                                    const kc_schema *value);

/* Validation with an explicit location text (Java's private validateValue). */
int kc__validate_value(const kc_schema *schema, const kc_value *value, const char *location,
                       kc_error *err);

/* Records that child goes into parent: updates parent's depth; -1 when the result would nest
 * deeper than KC_DATA_MAX_DEPTH. */
int kc__value_child_depth(kc_value *parent, const kc_value *child);

/* Reorders a map: new position i holds the entry that was at order[i]. 0 or -1 (OOM). */
int kc__map_permute(kc_value *map, const size_t *order);

/* Decimal helpers shared by data_decimal.c and values.c. */
/* Parses BigDecimal text; on success *out is a new decimal value. */
int kc__decimal_parse(const char *text, size_t len, kc_value **out, kc_error *err);
/* Unscaled value as decimal digits (with '-' when negative). New string, NULL on OOM. */
char *kc__bigint_to_string(const uint8_t *twos, size_t len);
/* Number of decimal digits of |unscaled| (BigDecimal.precision; 1 for zero). */
size_t kc__bigint_digits(const uint8_t *twos, size_t len);

/* ---- A growable, bounded string buffer ------------------------------------------------------ */

#define KC_SBUF_MAX ((size_t)256 * 1024 * 1024)

typedef struct kc_sbuf {
    char *data;
    size_t len, cap;
    bool failed; /* out of memory or past KC_SBUF_MAX */
} kc_sbuf;

int kc__sbuf_put(kc_sbuf *b, const void *data, size_t len);
int kc__sbuf_puts(kc_sbuf *b, const char *s);
int kc__sbuf_putc(kc_sbuf *b, char c);
int kc__sbuf_printf(kc_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the NUL-terminated text over (caller frees); NULL if the buffer failed. */
char *kc__sbuf_take(kc_sbuf *b, size_t *len);
void kc__sbuf_free(kc_sbuf *b);

/* Formats epoch millis with a SimpleDateFormat-like pattern subset in UTC: used by Values and
 * Date.toString. kind: 0 "yyyy-MM-dd", 1 "HH:mm:ss.SSS'Z'", 2 "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
 * 3 "EEE MMM dd HH:mm:ss zzz yyyy" (java.util.Date.toString with zone UTC). */
int kc__format_millis(kc_sbuf *b, int64_t millis, int kind);
/* Days since 1970-01-01 of a proleptic Gregorian date (month and day may be out of range; they
 * roll over as in a lenient calendar). */
int64_t kc__days_from_civil(int64_t y, int64_t m, int64_t d);

#endif
