/*
 * Private parts of the ConfigDef module, shared by config_def*.c. Not for other modules.
 * Threads and ownership as in config_def.h.
 */
#ifndef KC_CONFIG_CONFIG_DEF_INTERNAL_H
#define KC_CONFIG_CONFIG_DEF_INTERNAL_H

#include "connect/config/config_def.h"

struct kc_config_def {
    size_t count;
    kc_config_key *keys;          /* deep copies: every string owned by the def */
    kc_config_value *defaults;    /* parsed defaults */
    bool *has_default;
    size_t *by_name;              /* key indices sorted by name (bsearch) */
    kc_config_strs groups;
    kc_config_strs undefined;     /* dependents no key defines, in order of discovery */
    bool *has_parent;             /* key i is somebody's dependent */
    int (*class_exists)(const char *class_name, void *opaque);
    void *class_opaque;
};

struct kc_config_parsed {
    const kc_config_def *def;
    kc_config_value *values;      /* def->count */
    bool *set;                    /* values[i] was put (Java's parsed.put) */
};

struct kc_config_validation {
    const kc_config_def *def;
    kc_config_parsed parsed;
    kc_config_result *results;    /* def->count */
    kc_config_result **extras;
    size_t extra_count;
    size_t extra_cap;
};

/* "[hidden]": Java's Password.toString(). */
#define KC_CONFIG_HIDDEN "[hidden]"

/* Java's String.trim() bounds of s: *len receives the trimmed length; returns its start. */
const char *kc_config_trim(const char *s, size_t *len);

/* ConfigDef.parseType of raw (untrimmed) text for key name of type: 0 with out filled, or -1 with
 * err set to Java's message. class lookup as in def (may be NULL). */
int kc_config_parse_type(const kc_config_def *def, const char *name, const char *raw,
                         kc_config_type type, kc_config_value *out, kc_error *err);

void kc_config_value_clear(kc_config_value *v);
/* Deep copy; 0, or -1 when out of memory (dst then null). */
int kc_config_value_copy(kc_config_value *dst, const kc_config_value *src);
/* A null value of type. */
void kc_config_value_null(kc_config_value *v, kc_config_type type);

/* Checks that validator v can handle values of type; -1 with err set when not. */
int kc_config_validator_applies(const kc_config_validator *v, kc_config_type type, const char *name,
                                kc_error *err);

/* Java's String.hashCode over the UTF-16 form of the UTF-8 string s. */
int32_t kc_config_java_hash(const char *s);

/* printf into a new string (free()); NULL when out of memory. */
char *kc_config_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
