/* The plugin registry; see connect/api/plugin.h. */
#include "connect/api/plugin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PLUGINS 256

#define MAX_CLASS_NAMES 64

static const kc_plugin_desc *plugins[MAX_PLUGINS];
static size_t plugin_count;
static const char *class_names[MAX_CLASS_NAMES];
static size_t class_name_count;

const char *kc_plugin_kind_name(kc_plugin_kind kind)
{
    static const char *const names[] = {"sink", "source", "transformation", "predicate", "converter",
                                        "header_converter"};
    return (unsigned)kind < KC_PLUGIN_KIND_COUNT ? names[kind] : "unknown";
}

static const char *simple_name(const char *class_name)
{
    const char *dot = strrchr(class_name, '.');
    return dot ? dot + 1 : class_name;
}

static const char *kind_suffix(kc_plugin_kind kind)
{
    switch (kind) {
    case KC_PLUGIN_SINK:
    case KC_PLUGIN_SOURCE: return "Connector";
    case KC_PLUGIN_TRANSFORMATION: return "Transformation";
    case KC_PLUGIN_PREDICATE: return "Predicate";
    case KC_PLUGIN_CONVERTER: return "Converter";
    case KC_PLUGIN_HEADER_CONVERTER: return "HeaderConverter";
    default: return "";
    }
}

/* 1 when name is one of desc's names: full, simple, or simple minus the kind's suffix. */
static int answers_to(const kc_plugin_desc *d, const char *name)
{
    if (strcmp(d->class_name, name) == 0)
        return 1;
    const char *simple = simple_name(d->class_name);
    if (strcmp(simple, name) == 0)
        return 1;
    const char *suffix = kind_suffix(d->kind);
    size_t sl = strlen(simple), xl = strlen(suffix);
    return sl > xl && strcmp(simple + sl - xl, suffix) == 0 && strlen(name) == sl - xl &&
           strncmp(simple, name, sl - xl) == 0;
}

static int same_family(kc_plugin_kind a, kc_plugin_kind b)
{
    int ca = a == KC_PLUGIN_SOURCE || a == KC_PLUGIN_SINK, cb = b == KC_PLUGIN_SOURCE || b == KC_PLUGIN_SINK;
    return ca && cb ? 1 : a == b;
}

int kc_plugins_register(const kc_plugin_desc *desc, kc_error *err)
{
    for (size_t i = 0; i < plugin_count; i++)
        if (plugins[i]->kind == desc->kind && strcmp(plugins[i]->class_name, desc->class_name) == 0)
            return kc_error_set(err, KC_ERR_INVALID, "plugin %s is registered twice", desc->class_name);
    if (plugin_count == MAX_PLUGINS)
        return kc_error_set(err, KC_ERR_INTERNAL, "too many plugins (max %d)", MAX_PLUGINS);
    plugins[plugin_count++] = desc;
    return 0;
}

int kc_plugins_register_class_names(const char *const *names, size_t count, kc_error *err)
{
    for (size_t i = 0; i < count; i++) {
        if (kc_plugins_class_name_known(names[i]))
            continue;
        if (class_name_count == MAX_CLASS_NAMES)
            return kc_error_set(err, KC_ERR_INTERNAL, "too many class names (max %d)", MAX_CLASS_NAMES);
        class_names[class_name_count++] = names[i];
    }
    return 0;
}

int kc_plugins_class_name_known(const char *name)
{
    for (size_t i = 0; i < class_name_count; i++)
        if (strcmp(class_names[i], name) == 0)
            return 1;
    return 0;
}

const kc_plugin_desc *kc_plugins_find(kc_plugin_kind kind, const char *name, kc_error *err)
{
    const kc_plugin_desc *found = NULL;
    int matches = 0;
    for (size_t i = 0; i < plugin_count; i++) {
        if (!same_family(plugins[i]->kind, kind) || !answers_to(plugins[i], name))
            continue;
        if (strcmp(plugins[i]->class_name, name) == 0) /* an exact class name always wins */
            return plugins[i];
        if (!found || found->class_name != plugins[i]->class_name)
            matches++;
        found = plugins[i];
    }
    if (matches == 1)
        return found;
    int connector = kind == KC_PLUGIN_SOURCE || kind == KC_PLUGIN_SINK;
    if (matches > 1) {
        kc_error_set(err, KC_ERR_INVALID, "More than one %s matches alias %s. Please use full package and class "
                                          "name instead.", connector ? "connector" : kc_plugin_kind_name(kind), name);
        return NULL;
    }
    if (connector) {
        char list[KC_ERROR_MSG_MAX] = "";
        size_t o = 0;
        for (size_t i = 0; i < plugin_count; i++) {
            if (plugins[i]->kind != KC_PLUGIN_SOURCE && plugins[i]->kind != KC_PLUGIN_SINK)
                continue;
            int n = snprintf(list + o, sizeof list - o, "%s%s", o ? ", " : "", plugins[i]->class_name);
            if (n < 0 || (size_t)n >= sizeof list - o)
                break;
            o += (size_t)n;
        }
        kc_error_set(err, KC_ERR_NOT_FOUND, "Failed to find any class that implements Connector and which name "
                                            "matches %s, available connectors are: %s", name, list);
    } else {
        kc_error_set(err, KC_ERR_NOT_FOUND, "Class %s could not be found.", name);
    }
    return NULL;
}

const kc_plugin_desc *kc_plugins_find_any(const char *name)
{
    for (int k = 0; k < KC_PLUGIN_KIND_COUNT; k++) {
        kc_error err;
        const kc_plugin_desc *d = kc_plugins_find((kc_plugin_kind)k, name, &err);
        if (d)
            return d;
    }
    return NULL;
}

static int by_listing_order(const void *a, const void *b)
{
    const kc_plugin_desc *x = *(const kc_plugin_desc *const *)a, *y = *(const kc_plugin_desc *const *)b;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return strcmp(x->class_name, y->class_name);
}

size_t kc_plugins_list(const kc_plugin_desc **out, size_t max)
{
    const kc_plugin_desc *sorted[MAX_PLUGINS];
    memcpy(sorted, plugins, plugin_count * sizeof *sorted);
    qsort(sorted, plugin_count, sizeof *sorted, by_listing_order);
    for (size_t i = 0; i < plugin_count && i < max; i++)
        out[i] = sorted[i];
    return plugin_count;
}

void kc_plugins_reset(void)
{
    plugin_count = 0;
    class_name_count = 0;
}
