/*
 * Private to connect/api/values*.c: the parser state of Values.parseString and the steps shared
 * between the parser (values_parse.c) and the conversions it uses (values_convert.c).
 */
#ifndef KC_API_VALUES_INTERNAL_H
#define KC_API_VALUES_INTERNAL_H

#include "connect/api/data_internal.h"
#include "connect/api/values.h"

/* Results of the parser steps: Java's normal return, a DataException (caught by an enclosing
 * parse and turned into "treat as a string"), a fatal error (out of memory), and nesting beyond
 * KC_DATA_MAX_DEPTH (Java's stack overflow: not caught by the parser). */
enum { VP_OK = 0, VP_DATA = -1, VP_FATAL = -2, VP_TOO_DEEP = -3 };

typedef struct tok {
    size_t start, len;
} tok;

typedef struct vparser {
    const char *s;
    size_t len;
    size_t index;
    bool has_next;
    tok next_tok;
    bool has_prev;
    tok prev_tok;
    int depth; /* nested arrays/maps being parsed */
    kc_error *err;
} vparser;

/* A parse result: Java null (no SchemaAndValue) when !present. */
typedef struct sv {
    bool present;
    const kc_schema *schema;
    kc_value *value;
} sv;

/* Result helpers. kc__vp_make takes value (NULL means out of memory). */
void kc__vp_sv_clear(sv *r);
int kc__vp_fatal(vparser *p);
int kc__vp_make(vparser *p, sv *out, const kc_schema *schema, kc_value *value);
int kc__vp_data_error(vparser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Number of UTF-16 units in s[0..n) (Java's String.length()). */
size_t kc__vp_utf16_len(const char *s, size_t n);
/* Values.parseAsTemporal / parseAsNumber: *found tells whether text was one. */
int kc__vp_parse_as_temporal(vparser *p, const char *text, size_t n, sv *out, bool *found);
int kc__vp_parse_as_number(vparser *p, const char *text, size_t n, sv *out, bool *found);
/* Values.convertTo(to, null, v) for the cases parseString's alignment reaches. */
int kc__vp_convert_to(vparser *p, const kc_schema *to, const kc_value *v, kc_value **out);

#endif
