/*
 * Single Message Transforms and predicates (Java's Transformation<R> and Predicate<R>).
 *
 * A plugin is a static vtable registered under its Java class name (the registry resolves Java's
 * aliases, see plugin.h). The worker creates one instance per task and per alias in `transforms` /
 * `predicates`, configures it with the alias's keys (prefix stripped: `transforms.<alias>.`),
 * then calls apply / test on the task thread, record by record, and close at the end.
 *
 * apply takes the record and returns:
 *   - the same pointer, possibly modified in place;
 *   - another record (the input was freed by apply);
 *   - NULL with err->code == KC_ERR_NONE: the record is dropped (the input was freed by apply);
 *   - NULL with err set: the transform failed (the input was freed by apply); the worker applies
 *     errors.tolerance and counts the failure.
 * test returns 1 / 0, or -1 with err set.
 *
 * Threads: an instance is used by one task thread; plugins keep no global mutable state.
 * Memory: create returns the instance, close frees it (close(NULL) is a no-op).
 */
#ifndef KC_API_TRANSFORM_H
#define KC_API_TRANSFORM_H

#include "connect/api/error.h"
#include "connect/api/record.h"
#include "connect/config/config_def.h"
#include "connect/config/properties.h"

typedef struct kc_transform_plugin {
    const char *class_name;            /* "org.apache.kafka.connect.transforms.InsertField$Value" */
    const char *version;               /* NULL = kconnect's version */
    const kc_config_key *config;       /* the plugin's ConfigDef table */
    size_t config_count;
    void *(*create)(void);
    int (*configure)(void *self, const kc_props *props, kc_error *err);
    kc_record *(*apply)(void *self, kc_record *record, kc_error *err);
    void (*close)(void *self);
} kc_transform_plugin;

typedef struct kc_predicate_plugin {
    const char *class_name;            /* "org.apache.kafka.connect.transforms.predicates.HasHeaderKey" */
    const char *version;
    const kc_config_key *config;
    size_t config_count;
    void *(*create)(void);
    int (*configure)(void *self, const kc_props *props, kc_error *err);
    int (*test)(void *self, const kc_record *record, kc_error *err);
    void (*close)(void *self);
} kc_predicate_plugin;

#endif
