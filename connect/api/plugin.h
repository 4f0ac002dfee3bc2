/*
 * The plugin registry: every connector, converter, header converter, transformation and predicate
 * kconnect offers, under its Java class name, resolvable by the aliases Java accepts.
 *
 * Aliases (Java's PluginUtils / Plugins, REST spec §9.2): the fully-qualified class name; the simple
 * class name (after the last '.', and for nested classes the part after '$' is kept: InsertField$Value);
 * the simple name without the type suffix ("Connector" for connectors; "Converter",
 * "HeaderConverter", "Transformation", "Predicate" for the others). An alias that two different
 * classes of one kind would share is ambiguous and not accepted.
 *
 * Built-in plugins register at start-up (kc_plugins_register_builtins); connectors from shared
 * objects in `plugin.path` register through kc_plugins_register as well.
 * Threads: registration happens before any worker thread starts; lookups are read-only afterwards
 * and may come from any thread. Memory: descriptors are static (or live as long as the process,
 * for loaded shared objects); the registry copies nothing it returns.
 */
#ifndef KC_API_PLUGIN_H
#define KC_API_PLUGIN_H

#include <stddef.h>

#include "connect/api/error.h"

typedef enum kc_plugin_kind {
    KC_PLUGIN_SINK = 0,          /* Java's listing order: sink, source, transformation, predicate, */
    KC_PLUGIN_SOURCE,            /* converter, header_converter */
    KC_PLUGIN_TRANSFORMATION,
    KC_PLUGIN_PREDICATE,
    KC_PLUGIN_CONVERTER,
    KC_PLUGIN_HEADER_CONVERTER,
    KC_PLUGIN_KIND_COUNT
} kc_plugin_kind;

typedef struct kc_plugin_desc {
    kc_plugin_kind kind;
    const char *class_name;
    const char *version;        /* NULL: kconnect's version */
    const void *vtable;         /* kc_source_connector_plugin, kc_transform_plugin, ... by kind */
} kc_plugin_desc;

/* Java's type name: "sink", "source", "transformation", "predicate", "converter", "header_converter". */
const char *kc_plugin_kind_name(kc_plugin_kind kind);

/* Adds a plugin. -1 with err when the registry is full or the class is already registered. */
int kc_plugins_register(const kc_plugin_desc *desc, kc_error *err);

/* Finds a plugin of one kind by class name or alias. NULL with err (KC_ERR_NOT_FOUND) and Java's
 * message for connectors ("Failed to find any class that implements Connector and which name
 * matches <x>, available connectors are: <list>") when none matches. For connectors, kind may be
 * KC_PLUGIN_SOURCE or KC_PLUGIN_SINK and both kinds are searched. */
const kc_plugin_desc *kc_plugins_find(kc_plugin_kind kind, const char *name, kc_error *err);

/* Finds a plugin of any kind by class name or alias (GET /connector-plugins/{p}/config). */
const kc_plugin_desc *kc_plugins_find_any(const char *name);

/* Class names that CLASS-type config values may name besides plugins (e.g. MirrorMaker 2's
 * replication policies and filters): validation accepts them; they are not listed as plugins.
 * names must be static strings. -1 with err when the table is full. */
int kc_plugins_register_class_names(const char *const *names, size_t count, kc_error *err);
/* 1 when name (exactly) was registered with kc_plugins_register_class_names. */
int kc_plugins_class_name_known(const char *name);

/* Every plugin in Java's listing order (kind, then class name). Returns the count; fills up to max. */
size_t kc_plugins_list(const kc_plugin_desc **out, size_t max);

/* Removes every plugin (tests). */
void kc_plugins_reset(void);

#endif
