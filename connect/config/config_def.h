/*
 * ConfigDef: typed configuration definitions, declared once per component as a static table.
 *
 * The behaviour is Apache Kafka's org.apache.kafka.common.config.ConfigDef (4.3.1, the test bed's
 * release), and the REST shapes are Connect's ConfigInfos / ConfigKeyInfo / ConfigValueInfo as
 * AbstractHerder.generateResult builds them. Every message text is Java's, byte for byte.
 *
 * A component declares its keys in a file-scope table:
 *
 *     static const kc_config_key connector_keys[] = {
 *         KC_CONFIG_KEY("tasks.max", KC_CONFIG_INT, .default_value = "1",
 *                       .validator = KC_CONFIG_AT_LEAST(1), .importance = KC_CONFIG_HIGH,
 *                       .documentation = "Maximum number of tasks to use for this connector.",
 *                       .group = "Common", .order_in_group = 3, .width = KC_CONFIG_WIDTH_SHORT,
 *                       .display_name = "Tasks max"),
 *     };
 *
 * (the validator and name-list macros are compound literals: static storage at file scope, automatic
 * inside a function, so a table using them is either at file scope or a non-static local) and
 * builds a kc_config_def from one or more tables (base keys + sink keys + connector keys).
 * The same def parses a kc_props strictly (start-up: first error wins), validates one fully
 * (REST validate: every error of every key, recommenders, visibility), renders the ConfigInfos
 * JSON and the Markdown reference.
 *
 * Defaults: .default_value is the text form of the default, parsed by the key's type when the def
 * is built (as Java parses a String default): NULL (the zero value) means "no default" — the key
 * is required —, KC_CONFIG_NULL means a null default (optional, value null). A default that does
 * not parse or fails the validator makes kc_config_def_new fail (Java throws from define()).
 * Display metadata: a key without a group whose order_in_group is 0 reports order -1, as Java's
 * define() without display metadata does; display_name NULL reports the key name.
 *
 * Ownership: every `_new` function returns an object the caller owns and frees with the matching
 * `_free` (char * results with free(), json_t * with json_decref()). kc_config_def_new deep-copies
 * the strings of the tables (tables built at run time may be freed after it returns); validators
 * and recommenders are referenced, not copied, and must outlive the def (they are static in
 * practice). A kc_config_parsed or kc_config_validation references its def: free it before the def.
 * Strings returned by getters are borrowed from the object they were read from.
 * Threads: a kc_config_def is immutable once built and may be shared by any number of threads
 * (validators, recommenders and the class lookup must then be thread-safe). A kc_config_parsed or
 * kc_config_validation belongs to its caller: one thread at a time.
 * Secrets: the value of a PASSWORD key appears as "[hidden]" in every text form — error messages,
 * JSON, docs. Only kc_config_get_password returns the clear text.
 * Limits: a def holds at most KC_CONFIG_MAX_KEYS keys; dependents are followed to a depth of
 * KC_CONFIG_MAX_DEPTH (a cycle is cut, where Java would overflow its stack). Input sizes are those
 * of kc_props (KC_PROPS_MAX_BYTES). Error messages are built in a kc_error and so truncated to
 * KC_ERROR_MSG_MAX - 1 bytes (only a value of several hundred bytes gets there).
 */
#ifndef KC_CONFIG_CONFIG_DEF_H
#define KC_CONFIG_CONFIG_DEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"

#define KC_CONFIG_MAX_KEYS 4096
#define KC_CONFIG_MAX_DEPTH 64

/* ---- enums (zero is "not set" and refused by kc_config_def_new) ------------------------------ */

typedef enum kc_config_type {
    KC_CONFIG_BOOLEAN = 1,
    KC_CONFIG_STRING,
    KC_CONFIG_INT,      /* int32 */
    KC_CONFIG_SHORT,    /* int16 */
    KC_CONFIG_LONG,     /* int64 */
    KC_CONFIG_DOUBLE,
    KC_CONFIG_LIST,     /* of strings */
    KC_CONFIG_CLASS,    /* a (Java) class name; resolved through kc_config_def_opts.class_exists */
    KC_CONFIG_PASSWORD  /* a string never shown: "[hidden]" */
} kc_config_type;

typedef enum kc_config_importance {
    KC_CONFIG_HIGH = 1,
    KC_CONFIG_MEDIUM,
    KC_CONFIG_LOW
} kc_config_importance;

typedef enum kc_config_width {
    KC_CONFIG_WIDTH_NONE = 0,
    KC_CONFIG_WIDTH_SHORT,
    KC_CONFIG_WIDTH_MEDIUM,
    KC_CONFIG_WIDTH_LONG
} kc_config_width;

/* Java's names: "INT", "HIGH", "MEDIUM", ... Static strings. */
const char *kc_config_type_name(kc_config_type type);
const char *kc_config_importance_name(kc_config_importance importance);
const char *kc_config_width_name(kc_config_width width);

/* ---- values ---------------------------------------------------------------------------------- */

/* A growable list of owned strings. Zero-initialise; free with kc_config_strs_clear. */
typedef struct kc_config_strs {
    char **items;
    size_t count;
    size_t cap;
} kc_config_strs;

/* Appends a copy of s. 0, or -1 when out of memory. */
int kc_config_strs_add(kc_config_strs *list, const char *s);
void kc_config_strs_clear(kc_config_strs *list);

/* A typed value. is_null for a null value (null default, a failed parse, a missing key). */
typedef struct kc_config_value {
    kc_config_type type;
    bool is_null;
    bool boolean;         /* BOOLEAN */
    int64_t integer;      /* INT, SHORT, LONG */
    double dbl;           /* DOUBLE */
    char *string;         /* STRING, CLASS, PASSWORD: trimmed text (clear text for PASSWORD) */
    kc_config_strs list;  /* LIST */
} kc_config_value;

/* Java's ConfigDef.convertToString: the text form used in JSON (`value`, `default_value`). New
 * string (free()), or NULL for a null value (JSON null) or when out of memory. LIST joined with
 * ",", PASSWORD "[hidden]", DOUBLE as Java's Double.toString ("1.0", "1.0E7"). */
char *kc_config_value_text_new(const kc_config_value *value);

/* The text Java prints for a value inside an exception message (Object.toString): as above, but
 * "null" for null and a LIST as "[a, b]". New string (free()); NULL only when out of memory. */
char *kc_config_value_display_new(const kc_config_value *value);

/* Java's Double.toString into buf ("0.5", "1.0E-4", "Infinity", "NaN"). Returns buf. */
char *kc_config_java_double(double d, char *buf, size_t size);

/* ---- validators (Java's ConfigDef.Validator implementations) --------------------------------- */

typedef enum kc_config_validator_kind {
    KC_CONFIG_V_RANGE = 1,            /* Range.atLeast / between (numeric types) */
    KC_CONFIG_V_STRING_IN,            /* ValidString.in (STRING) */
    KC_CONFIG_V_STRING_IN_ANY_CASE,   /* CaseInsensitiveValidString.in (STRING) */
    KC_CONFIG_V_LIST_IN,              /* ValidList.in / anyNonDuplicateValues (LIST) */
    KC_CONFIG_V_LIST_MAX_SIZE,        /* ListSize.atMostOfSize (LIST) */
    KC_CONFIG_V_NON_EMPTY_STRING,     /* NonEmptyString (STRING) */
    KC_CONFIG_V_NON_EMPTY_NO_CONTROL, /* NonEmptyStringWithoutControlChars (STRING) */
    KC_CONFIG_V_NON_NULL,             /* NonNullValidator (any type) */
    KC_CONFIG_V_ALL_OF,               /* CompositeValidator.of (each part in turn) */
    KC_CONFIG_V_CHECK                 /* a component-specific function */
} kc_config_validator_kind;

/* A number as Java holds it: an integer bound prints "5", a double bound "5.0". */
typedef struct kc_config_bound {
    bool set;
    bool is_double;
    int64_t i;
    double d;
} kc_config_bound;

/* A custom check: returns 0 when value is valid, or -1 with err->msg set to the full message
 * (use kc_config_error_invalid for Java's "Invalid value ..." form, which prints a PASSWORD value
 * as "[hidden]"; never copy value->string of a PASSWORD into a message). value may be null. */
typedef int (*kc_config_check_fn)(const char *name, const kc_config_value *value, void *opaque,
                                  kc_error *err);

typedef struct kc_config_validator {
    kc_config_validator_kind kind;
    kc_config_bound min, max;                        /* RANGE */
    const char *const *strings;                      /* *_IN: NULL-terminated (LIST_IN: may be empty) */
    bool empty_allowed;                              /* LIST_IN: an empty list is valid */
    bool null_allowed;                               /* LIST_IN: a null list is valid */
    int max_size;                                    /* LIST_MAX_SIZE */
    const struct kc_config_validator *const *parts;  /* ALL_OF: NULL-terminated */
    kc_config_check_fn check;                        /* CHECK */
    void *opaque;                                    /* CHECK */
    const char *description;                         /* CHECK: "valid values" text for the docs */
} kc_config_validator;

/* Constructors for tables (file-scope compound literals: static storage). */
#define KC_CONFIG_AT_LEAST(n) \
    (&(const kc_config_validator){ .kind = KC_CONFIG_V_RANGE, .min = { .set = true, .i = (n) } })
#define KC_CONFIG_BETWEEN(lo, hi)                                                   \
    (&(const kc_config_validator){ .kind = KC_CONFIG_V_RANGE,                       \
                                   .min = { .set = true, .i = (lo) },               \
                                   .max = { .set = true, .i = (hi) } })
#define KC_CONFIG_AT_LEAST_DOUBLE(x)                                                \
    (&(const kc_config_validator){ .kind = KC_CONFIG_V_RANGE,                       \
                                   .min = { .set = true, .is_double = true, .d = (x) } })
#define KC_CONFIG_BETWEEN_DOUBLE(lo, hi)                                            \
    (&(const kc_config_validator){ .kind = KC_CONFIG_V_RANGE,                       \
                                   .min = { .set = true, .is_double = true, .d = (lo) }, \
                                   .max = { .set = true, .is_double = true, .d = (hi) } })
#define KC_CONFIG_NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define KC_CONFIG_IN(...) \
    (&(const kc_config_validator){ .kind = KC_CONFIG_V_STRING_IN, .strings = KC_CONFIG_NAMES(__VA_ARGS__) })
#define KC_CONFIG_IN_ANY_CASE(...)                                                  \
    (&(const kc_config_validator){ .kind = KC_CONFIG_V_STRING_IN_ANY_CASE,          \
                                   .strings = KC_CONFIG_NAMES(__VA_ARGS__) })
/* ValidList.in(...): each element one of the strings; empty list allowed, null refused. */
#define KC_CONFIG_LIST_IN(...)                                                      \
    (&(const kc_config_validator){ .kind = KC_CONFIG_V_LIST_IN, .empty_allowed = true, \
                                   .strings = KC_CONFIG_NAMES(__VA_ARGS__) })
/* ValidList.in(false, ...): as above, but the list must not be empty. */
#define KC_CONFIG_LIST_IN_NON_EMPTY(...)                                            \
    (&(const kc_config_validator){ .kind = KC_CONFIG_V_LIST_IN,                     \
                                   .strings = KC_CONFIG_NAMES(__VA_ARGS__) })
/* ValidList.anyNonDuplicateValues(emptyAllowed, nullAllowed). */
#define KC_CONFIG_LIST_NO_DUPLICATES(empty_ok, null_ok)                             \
    (&(const kc_config_validator){ .kind = KC_CONFIG_V_LIST_IN,                     \
                                   .empty_allowed = (empty_ok), .null_allowed = (null_ok) })
#define KC_CONFIG_LIST_MAX_SIZE(n) \
    (&(const kc_config_validator){ .kind = KC_CONFIG_V_LIST_MAX_SIZE, .max_size = (n) })
#define KC_CONFIG_NON_EMPTY_STRING (&(const kc_config_validator){ .kind = KC_CONFIG_V_NON_EMPTY_STRING })
#define KC_CONFIG_NON_EMPTY_NO_CONTROL \
    (&(const kc_config_validator){ .kind = KC_CONFIG_V_NON_EMPTY_NO_CONTROL })
#define KC_CONFIG_NON_NULL (&(const kc_config_validator){ .kind = KC_CONFIG_V_NON_NULL })
#define KC_CONFIG_ALL_OF(...)                                                       \
    (&(const kc_config_validator){ .kind = KC_CONFIG_V_ALL_OF,                      \
                                   .parts = (const kc_config_validator *const[]){ __VA_ARGS__, NULL } })
#define KC_CONFIG_CHECK(fn, opq, desc) \
    (&(const kc_config_validator){ .kind = KC_CONFIG_V_CHECK, .check = (fn), .opaque = (opq), .description = (desc) })

/* Runs validator v on value as key name would. 0, or -1 with err set to Java's message. */
int kc_config_validator_check(const kc_config_validator *v, const char *name,
                              const kc_config_value *value, kc_error *err);

/* The validator's toString (the "Valid Values" column): "[1,...]", "[none, all]", ... New string
 * (free()), NULL when out of memory. */
char *kc_config_validator_describe_new(const kc_config_validator *v);

/* Fills err with "Invalid value <v> for configuration <name>: <reason>" (v as
 * kc_config_value_display_new prints it, so "[hidden]" for a password). Returns -1. */
int kc_config_error_invalid(kc_error *err, const char *name, const kc_config_value *value,
                            const char *reason_fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- recommenders ---------------------------------------------------------------------------- */

typedef struct kc_config_parsed kc_config_parsed;

/* Java's Recommender. Both functions see the values parsed so far (kc_config_parsed_get).
 * valid_values appends the recommended values, in text form, to out; visible returns 1 or 0.
 * Either may fail: return -1 with err->msg set, which becomes an error of the key (and, as in
 * Java, a failing valid_values skips visible). A NULL function means "none" / "visible". */
typedef struct kc_config_recommender {
    int (*valid_values)(const char *name, const kc_config_parsed *parsed, void *opaque,
                        kc_config_strs *out, kc_error *err);
    int (*visible)(const char *name, const kc_config_parsed *parsed, void *opaque, kc_error *err);
    void *opaque;
} kc_config_recommender;

/* ---- keys, tables, defs ---------------------------------------------------------------------- */

/* Marker for a null default (distinct from NULL, which means "no default": required). */
extern const char kc_config_null_default[];
#define KC_CONFIG_NULL kc_config_null_default

typedef struct kc_config_key {
    const char *name;
    kc_config_type type;
    const char *default_value;              /* NULL: required; KC_CONFIG_NULL: null; else text */
    const kc_config_validator *validator;   /* optional */
    kc_config_importance importance;
    const char *documentation;              /* may be NULL (JSON null) */
    const char *group;                      /* NULL: no group */
    int order_in_group;
    kc_config_width width;
    const char *display_name;               /* NULL: the name */
    const char *const *dependents;          /* NULL-terminated key names (KC_CONFIG_NAMES), or NULL */
    const kc_config_recommender *recommender; /* optional */
    bool internal;                          /* left out of the generated docs */
} kc_config_key;

#define KC_CONFIG_KEY(key_name, key_type, ...) { .name = (key_name), .type = (key_type), __VA_ARGS__ }

typedef struct kc_config_table {
    const kc_config_key *keys;
    size_t count;
} kc_config_table;

#define KC_CONFIG_TABLE(array) ((kc_config_table){ (array), sizeof(array) / sizeof((array)[0]) })

typedef enum kc_config_merge {
    /* A later table's key replaces an earlier key of the same name and takes its position (Java's
     * LinkedHashMap.putAll: a connector key redefining a base key, validation order). */
    KC_CONFIG_MERGE_OVERRIDE = 0,
    /* The first definition wins, in its position (putIfAbsent: GET /connector-plugins/{p}/config
     * with the plugin's table first, then the base). */
    KC_CONFIG_MERGE_KEEP_FIRST
} kc_config_merge;

typedef struct kc_config_def_opts {
    kc_config_merge merge;
    /* CLASS values: 1 when the trimmed name names a loadable class. NULL accepts any non-empty
     * name. Called from parse and validate, on the caller's thread. */
    int (*class_exists)(const char *class_name, void *opaque);
    void *class_opaque;
} kc_config_def_opts;

typedef struct kc_config_def kc_config_def;

/* Builds a def from ntables tables in order. opts may be NULL (OVERRIDE, no class lookup). A name
 * defined twice within one table is refused ("Configuration <name> is defined twice."), as is a key
 * without name, type or importance, a validator that does not apply to the type, or a default that
 * Java would refuse. Groups are listed in order of first definition (replaced keys included).
 * NULL with err set (KC_ERR_INVALID, or KC_ERR_INTERNAL when out of memory). */
kc_config_def *kc_config_def_new(const kc_config_table *tables, size_t ntables,
                                 const kc_config_def_opts *opts, kc_error *err);
void kc_config_def_free(kc_config_def *def);

size_t kc_config_def_count(const kc_config_def *def);
/* The i-th key in definition order (0 <= i < count). Borrowed from the def. */
const kc_config_key *kc_config_def_key_at(const kc_config_def *def, size_t i);
/* Index of name, or -1. */
long kc_config_def_find(const kc_config_def *def, const char *name);
/* The parsed default of key i, or NULL when the key has no default (required). */
const kc_config_value *kc_config_def_default_at(const kc_config_def *def, size_t i);
size_t kc_config_def_group_count(const kc_config_def *def);
const char *kc_config_def_group_at(const kc_config_def *def, size_t i);

/* ---- strict parse (start-up) ----------------------------------------------------------------- */

/* Java's ConfigDef.parse: every key in definition order is parsed (trimmed, by type), defaulted or
 * found missing, then validated; the first failure is returned in err (KC_ERR_INVALID, Java's text,
 * e.g. "Invalid value abc for configuration tasks.max: Not a number of type INT"). As Java does, a
 * list whose validator is a LIST_IN validator loses its duplicates (first occurrence kept) before
 * validation. Keys of props that the def does not know are ignored. NULL on error. */
kc_config_parsed *kc_config_parse(const kc_config_def *def, const kc_props *props, kc_error *err);
void kc_config_parsed_free(kc_config_parsed *parsed);

/* The value of name, or NULL when name is not defined or (during validation) not parsed yet. */
const kc_config_value *kc_config_parsed_get(const kc_config_parsed *parsed, const char *name);

/* Typed getters. name must be defined with that type; a mismatch is a programming error (asserted
 * in debug builds; 0 / false / NULL otherwise), as is a null value for the scalar getters. */
bool kc_config_get_bool(const kc_config_parsed *parsed, const char *name);
int32_t kc_config_get_int(const kc_config_parsed *parsed, const char *name);
int16_t kc_config_get_short(const kc_config_parsed *parsed, const char *name);
int64_t kc_config_get_long(const kc_config_parsed *parsed, const char *name);
double kc_config_get_double(const kc_config_parsed *parsed, const char *name);
/* STRING or CLASS; NULL for a null value. Borrowed. */
const char *kc_config_get_string(const kc_config_parsed *parsed, const char *name);
/* LIST: the items (borrowed) and their number in *count; NULL for a null list. */
char *const *kc_config_get_list(const kc_config_parsed *parsed, const char *name, size_t *count);
/* PASSWORD: the clear text, borrowed. Never log it. NULL for a null value. */
const char *kc_config_get_password(const kc_config_parsed *parsed, const char *name);

/* ---- full validation (REST validate) --------------------------------------------------------- */

/* Java's ConfigValue: one per defined key, plus definition-less entries. */
typedef struct kc_config_result {
    char *name;
    long key;                   /* index of the definition, -1 when none */
    kc_config_value value;      /* definition-less entries: a STRING holding the text (or null) */
    kc_config_strs recommended; /* text form */
    kc_config_strs errors;
    bool visible;
} kc_config_result;

typedef struct kc_config_validation kc_config_validation;

/* Java's ConfigDef.validateAll: parses every key (a parse error, a missing required key and each
 * validator error become errors of the key; a failed parse leaves the value null and the validator
 * still runs on null, as in Java), following dependents from the keys that are nobody's dependent,
 * then runs recommenders the same way. A dependent that no key defines gets a definition-less entry
 * "<name> is referred in the dependents, but not defined." (not visible).
 * null_keys (optional): keys present with a JSON null value (only the names are read); such a key
 * is parsed as null rather than found missing, as in Java. Unknown keys of props are ignored.
 * NULL only when out of memory (err set). */
kc_config_validation *kc_config_validate(const kc_config_def *def, const kc_props *props,
                                         const kc_props *null_keys, kc_error *err);
void kc_config_validation_free(kc_config_validation *v);

const kc_config_def *kc_config_validation_def(const kc_config_validation *v);
/* The values seen by recommenders (every key reached). Borrowed. */
const kc_config_parsed *kc_config_validation_parsed(const kc_config_validation *v);
/* The result of defined key i (0 <= i < kc_config_def_count). Borrowed; mutable for later rules. */
kc_config_result *kc_config_validation_at(kc_config_validation *v, size_t i);
/* Definition-less entries, in the order they were added. */
size_t kc_config_validation_extra_count(const kc_config_validation *v);
kc_config_result *kc_config_validation_extra_at(kc_config_validation *v, size_t i);
/* The result named name: a defined key's, else a definition-less one; with create, a missing one is
 * added as a definition-less entry with a null value (Java's computeIfAbsent(name, ConfigValue::new)).
 * NULL when absent (or out of memory). */
kc_config_result *kc_config_validation_get(kc_config_validation *v, const char *name, bool create);
/* Adds a definition-less entry whose value has the text value_text (NULL: null), e.g. a value a
 * connector's validate() returned for a key it does not define. NULL when out of memory. */
kc_config_result *kc_config_validation_add_extra(kc_config_validation *v, const char *name,
                                                 const char *value_text);
/* Appends a printf-formatted error to r. 0, or -1 when out of memory. */
int kc_config_result_add_error(kc_config_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* generateResult's error_count: the number of error messages of every entry. */
int kc_config_validation_error_count(const kc_config_validation *v);

/* ---- JSON (jansson) -------------------------------------------------------------------------- */

/* ConfigKeyInfo of key i: {"name","type","required","default_value","importance","documentation",
 * "group","order_in_group","width","display_name","dependents"}. New reference, NULL on OOM. */
json_t *kc_config_key_info_json_new(const kc_config_def *def, size_t i);
/* ConfigValueInfo: {"name","value","recommended_values","errors","visible"}. */
json_t *kc_config_value_info_json_new(const kc_config_validation *v, const kc_config_result *r);
/* ConfigInfos as AbstractHerder.generateResult builds it: {"name","error_count","groups","configs"},
 * configs = the definition-less entries, then one {"definition","value"} per defined key. */
json_t *kc_config_infos_json_new(const char *name, const kc_config_validation *v);
/* The ConfigKeyInfo array of GET /connector-plugins/{p}/config, in definition order. */
json_t *kc_config_key_infos_json_new(const kc_config_def *def);
/* Java's mergeConfigInfos: error counts summed, configs concatenated, groups united in order.
 * Entries of parts may be NULL (skipped). New object; NULL on OOM. */
json_t *kc_config_infos_merge_json_new(const char *name, json_t *const *parts, size_t nparts);
/* Serialises with JSON_COMPACT | JSON_PRESERVE_ORDER: Jackson's bytes. New string (free()). */
char *kc_config_json_dumps(const json_t *json);

/* ---- docs ------------------------------------------------------------------------------------ */

/* A Markdown table (Name, Type, Default, Valid Values, Importance, Description) of the non-internal
 * keys, in Java's documentation order (group, order in group, required first, importance, name);
 * cells follow ConfigDef.toHtmlTable's texts. New string (free()), NULL on OOM. */
char *kc_config_def_markdown_new(const kc_config_def *def);
/* Appends "\n## <title>\n\n" and the Markdown table of one key table to *doc (a malloc'd string,
 * realloc'ed). 0, or -1 when out of memory or the table does not build. */
int kc_config_docs_append(char **doc, const char *title, kc_config_table table);

#endif
