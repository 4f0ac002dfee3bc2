/*
 * Private to connect/worker/transforms/: what the built-in transformations and predicates share
 * (Java's util/Requirements, util/SchemaUtil, util/SimpleConfig, the LRU schema caches, and the
 * pieces of Java behaviour whose output bytes depend on it: HashMap iteration order, Number
 * conversions, SimpleDateFormat, Object.toString of a record).
 *
 * Memory: as stated per function; "borrowed" results live as long as their argument.
 * Threads: no shared state; an instance (and its schema cache) belongs to one task thread.
 */
#ifndef KC_WORKER_TRANSFORMS_SMT_H
#define KC_WORKER_TRANSFORMS_SMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connect/api/data.h"
#include "connect/api/error.h"
#include "connect/api/record.h"
#include "connect/api/transform.h"
#include "connect/config/config_def.h"
#include "connect/config/properties.h"

/* The common documentation of replace.null.with.default. */
#define KC_SMT_REPLACE_NULL_DOC                                                                    \
    "Whether to replace fields that have a default value and that are null to the default value. " \
    "When set to true, the default value is used, otherwise null is used."

/* ---- configuration (SimpleConfig) ------------------------------------------------------------ */

/* A plugin's table parsed against its (prefix-stripped) properties. */
typedef struct kc_smt_config {
    kc_config_def *def;
    kc_config_parsed *parsed;
} kc_smt_config;

/* Builds the def from keys and parses props strictly (Java's first ConfigException). 0 or -1. */
int kc_smt_config_parse(kc_smt_config *c, const kc_config_key *keys, size_t count, const kc_props *props,
                        kc_error *err);
void kc_smt_config_clear(kc_smt_config *c);

/* A copy of a parsed LIST (NULL list -> empty). 0 or -1 on OOM. Free with kc_config_strs_clear. */
int kc_smt_config_list(const kc_smt_config *c, const char *name, kc_config_strs *out);

/* String.split(":") as Java does it (trailing empty strings removed; "" is [""]). *parts (malloc'd
 * array) points into *copy (malloc'd); free both, also on failure. The count, or -1 on OOM. */
long kc_smt_split_colon(const char *s, char **copy, char ***parts);

/* A copy of a STRING value, NULL for null (*out NULL). 0, or -1 on OOM. */
int kc_smt_config_string(const kc_smt_config *c, const char *name, char **out);

/* ---- record sides (the $Key / $Value variants) ----------------------------------------------- */

typedef enum kc_smt_side { KC_SMT_KEY = 0, KC_SMT_VALUE = 1 } kc_smt_side;

const kc_schema *kc_smt_schema(const kc_record *r, kc_smt_side side);   /* borrowed */
kc_value *kc_smt_value(const kc_record *r, kc_smt_side side);           /* borrowed, NULL = null */
/* Replaces the side's schema and value; takes both (schema: a reference or NULL). */
void kc_smt_set(kc_record *r, kc_smt_side side, const kc_schema *schema, kc_value *value);
/* Takes the side's value out of the record (the record keeps its schema and a null value). */
kc_value *kc_smt_take(kc_record *r, kc_smt_side side);

/* ---- Requirements (Java's exact DataException texts) ------------------------------------------ */

/* Class.getName() of a value's Java class: "java.lang.String", "[B", "null" for null. Static. */
const char *kc_smt_class_name(const kc_value *v);
/* "Only Struct objects supported for [<purpose>], found: <class>" unless v is a struct. */
int kc_smt_require_struct(const kc_value *v, const char *purpose, kc_error *err);
/* "Only Map objects supported in absence of schema for [<purpose>], found: <class>". */
int kc_smt_require_map(const kc_value *v, const char *purpose, kc_error *err);
/* "Only SinkRecord supported for [<purpose>], found: org.apache.kafka.connect.source.SourceRecord" */
int kc_smt_require_sink_record(const kc_record *r, const char *purpose, kc_error *err);

/* ---- schemas --------------------------------------------------------------------------------- */

/* SchemaUtil.copySchemaBasics(source, builder): name, version, doc and parameters of source are
 * set on b. Returns b (errors are kept in the builder). */
kc_schema_builder *kc_smt_copy_basics(const kc_schema *source, kc_schema_builder *b);

/* The per-instance schema cache (Java's SynchronizedCache(LRUCache(16)), keyed by schema equality). */
#define KC_SMT_CACHE_SIZE 16
typedef struct kc_smt_schema_cache {
    const kc_schema *in[KC_SMT_CACHE_SIZE];  /* references */
    const kc_schema *out[KC_SMT_CACHE_SIZE]; /* references */
    uint64_t used[KC_SMT_CACHE_SIZE];
    uint64_t tick;
    size_t count;
} kc_smt_schema_cache;

/* The cached output for in (borrowed), or NULL. */
const kc_schema *kc_smt_cache_get(kc_smt_schema_cache *c, const kc_schema *in);
/* Stores in -> out, taking one new reference to in and taking over out's reference. Returns out
 * (borrowed from the cache from now on). The least recently used entry makes room. */
const kc_schema *kc_smt_cache_put(kc_smt_schema_cache *c, const kc_schema *in, const kc_schema *out);
void kc_smt_cache_clear(kc_smt_schema_cache *c);

/* ---- values ---------------------------------------------------------------------------------- */

/* Struct.get(field) (with the schema default) or getWithoutDefault, as replace.null.with.default
 * says. Borrowed; the null singleton for null. */
const kc_value *kc_smt_struct_get(const kc_value *st, const char *field, bool with_default);

/* A copy of v (NULL, the null singleton, stays null). -1 with err on OOM; *out may be NULL. */
int kc_smt_copy(const kc_value *v, kc_value **out, kc_error *err);

/* How a java.util.HashMap was created, which decides its table size and so its iteration order. */
typedef enum kc_smt_hashmap_kind {
    KC_SMT_HASHMAP_DEFAULT = 0, /* new HashMap<>() */
    KC_SMT_HASHMAP_CAPACITY,    /* new HashMap<>(n) */
    KC_SMT_HASHMAP_COPY         /* new HashMap<>(map of n entries) / new HashSet<>(collection of n) */
} kc_smt_hashmap_kind;

/* Reorders the entries of *map into the iteration order of a java.util.HashMap created as kind
 * says (with n) and then filled with the entries in their current order. The map is rebuilt (a
 * new value replaces *map). Keys without a reproducible Java hash leave the order alone.
 * 0, or -1 with err on OOM. */
int kc_smt_hashmap_order(kc_value **map, kc_smt_hashmap_kind kind, size_t n, kc_error *err);

/* The same order for a list of strings (a HashSet<String> built from the list): reorders items. */
int kc_smt_hashset_order(kc_config_strs *items, kc_error *err);

/* Java's Number conversions of a numeric value (INT8..FLOAT64, DECIMAL): longValue(),
 * doubleValue() (with JLS narrowing: saturating, NaN -> 0). false when v is not a number. */
bool kc_smt_number_long(const kc_value *v, int64_t *out);
bool kc_smt_number_double(const kc_value *v, double *out);
bool kc_smt_number_float(const kc_value *v, float *out);
/* (long) / (int) of a double as Java narrows it. */
int64_t kc_smt_d2l(double d);
int32_t kc_smt_d2i(double d);

/* Java's Long.parseLong-style integer parsing (optional sign, ASCII digits, no spaces) into
 * [min, max]. false on any NumberFormatException case. */
bool kc_smt_parse_integer(const char *s, int64_t min, int64_t max, int64_t *out);
/* Java's Double.parseDouble / Float.parseFloat (trimmed; NaN, Infinity, f/d suffixes, hex). */
bool kc_smt_parse_double(const char *s, double *out);
bool kc_smt_parse_float(const char *s, float *out);
/* new BigDecimal(s).longValue() / doubleValue(); false when s is not a BigDecimal. */
bool kc_smt_bigdecimal_long(const char *s, int64_t *out);
bool kc_smt_bigdecimal_double(const char *s, double *out);

/* Base64.getEncoder().encodeToString: a new string (free()), NULL on OOM. */
char *kc_smt_base64(const uint8_t *data, size_t len);

/* ---- SimpleDateFormat (UTC) ------------------------------------------------------------------ */

/* A compiled java.text.SimpleDateFormat pattern. Letters implemented: y M d H h k K m s S E a D u,
 * with Java's quoting ('text', ''). Other letters Java knows (G w W F z Z X Y L) are refused with a
 * message naming them; letters Java does not know give Java's "Illegal pattern character 'q'". */
typedef struct kc_smt_date_format kc_smt_date_format;
kc_smt_date_format *kc_smt_date_format_new(const char *pattern, kc_error *err);
void kc_smt_date_format_free(kc_smt_date_format *f);
/* Formats epoch milliseconds in UTC. A new string (free()), NULL on OOM. */
char *kc_smt_date_format_apply(const kc_smt_date_format *f, int64_t epoch_millis);
/* Values.dateFormatFor(d).format(d) in UTC: time, date or timestamp ISO form. New string. */
char *kc_smt_iso_date_string(int64_t epoch_millis);

/* ---- Object.toString --------------------------------------------------------------------------- */

/* Java's SourceRecord / SinkRecord toString (a sink record is one with kafka_offset >= 0). New
 * string (free()), NULL on OOM. */
char *kc_smt_record_to_string(const kc_record *r);

/* ---- the built-in plugins (one file per family; registered by builtin.c) ------------------------ */

extern const kc_transform_plugin kc_smt_insert_field_key, kc_smt_insert_field_value;
extern const kc_transform_plugin kc_smt_replace_field_key, kc_smt_replace_field_value;
extern const kc_transform_plugin kc_smt_mask_field_key, kc_smt_mask_field_value;
extern const kc_transform_plugin kc_smt_value_to_key;
extern const kc_transform_plugin kc_smt_extract_field_key, kc_smt_extract_field_value;
extern const kc_transform_plugin kc_smt_cast_key, kc_smt_cast_value;
extern const kc_transform_plugin kc_smt_timestamp_router;
extern const kc_transform_plugin kc_smt_regex_router;
extern const kc_transform_plugin kc_smt_filter;
extern const kc_transform_plugin kc_smt_header_from_key, kc_smt_header_from_value;
extern const kc_transform_plugin kc_smt_insert_header;
extern const kc_transform_plugin kc_smt_drop_headers;
extern const kc_predicate_plugin kc_smt_topic_name_matches;
extern const kc_predicate_plugin kc_smt_has_header_key;
extern const kc_predicate_plugin kc_smt_record_is_tombstone;

#endif
