/* Connector configuration validation; see validation.h. */
#include "validation.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connect/config/client_config.h"
#include "connect/config/config_def.h"
#include "connect/worker/connector_config.h"
#include "connect/worker/converters.h"
#include "connect/worker/transformation_chain.h"
#include "connect/worker/worker.h"

char *kc_props_java_string(const kc_props *p)
{
    size_t cap = 64;
    for (size_t i = 0; i < kc_props_count(p); i++)
        cap += strlen(kc_props_key_at(p, i)) + strlen(kc_props_value_at(p, i)) + 12;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    size_t o = 0;
    s[o++] = '{';
    for (size_t i = 0; i < kc_props_count(p); i++) {
        const char *k = kc_props_key_at(p, i);
        const char *v = kc_client_config_is_secret(k) ? "[hidden]" : kc_props_value_at(p, i);
        o += (size_t)snprintf(s + o, cap - o, "%s%s=%s", i ? ", " : "", k, v);
    }
    s[o++] = '}';
    s[o] = '\0';
    return s;
}

/* Validation step 6: each of header/key/value.converter that is set and known is validated with
 * its own ConfigDef against the <prop>.-prefixed keys plus converter.type; its entries are added
 * with prefixed names, counting 1 per key with an error (AbstractHerder.validateConverterConfig). */
static void add_converter_infos(json_t *infos, const kc_props *config, int *error_count)
{
    static const struct { const char *prop, *type; } convs[] = {
        {"header.converter", "header"}, {"key.converter", "key"}, {"value.converter", "value"}};
    json_t *configs = json_object_get(infos, "configs"), *groups = json_object_get(infos, "groups");
    for (size_t c = 0; c < sizeof convs / sizeof convs[0]; c++) {
        const char *cls = kc_props_get(config, convs[c].prop);
        const kc_converter_ops *ops = cls ? kc_converter_find(cls) : NULL;
        if (!ops || !ops->config_count)
            continue;
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s.", convs[c].prop);
        kc_props *sub = kc_props_subset(config, prefix, 1);
        kc_config_table t = {ops->config, ops->config_count};
        kc_error e;
        kc_config_def *def = sub && kc_props_set(sub, "converter.type", convs[c].type) == 0
                                 ? kc_config_def_new(&t, 1, NULL, &e) : NULL;
        kc_config_validation *cv = def ? kc_config_validate(def, sub, NULL, &e) : NULL;
        json_t *part = cv ? kc_config_infos_json_new(cls, cv) : NULL;
        size_t i;
        json_t *entry;
        json_array_foreach(json_object_get(part, "configs"), i, entry) {
            json_t *def_json = json_object_get(entry, "definition"), *val = json_object_get(entry, "value");
            char name[512];
            const char *base = json_string_value(json_object_get(def_json ? def_json : val, "name"));
            snprintf(name, sizeof name, "%s%s", prefix, base ? base : "");
            if (def_json)
                json_object_set_new(def_json, "name", json_string(name));
            if (val)
                json_object_set_new(val, "name", json_string(name));
            if (json_array_size(json_object_get(val, "errors")) > 0)
                (*error_count)++;
            json_array_append(configs, entry);
        }
        json_t *g;
        json_array_foreach(json_object_get(part, "groups"), i, g) {
            size_t k;
            json_t *have;
            bool seen = false;
            json_array_foreach(groups, k, have) seen = seen || json_equal(have, g);
            if (!seen)
                json_array_append(groups, g);
        }
        json_decref(part);
        kc_config_validation_free(cv);
        kc_config_def_free(def);
        kc_props_free(sub);
    }
    json_object_set_new(infos, "error_count", json_integer(*error_count));
}

json_t *kc_validate_connector_config(const kc_props *config, const kc_props *null_keys, const char *override_policy,
                                     int *error_count, const kc_connector_plugin **plugin_out, kc_error *err)
{
    const char *cls = kc_props_get(config, "connector.class");
    if (!cls || !*cls) {
        char *text = kc_props_java_string(config);
        kc_error_set(err, KC_ERR_INVALID, "Connector config %s contains no connector type", text ? text : "{}");
        free(text);
        return NULL;
    }
    const kc_plugin_desc *desc = kc_plugins_find(KC_PLUGIN_SOURCE, cls, err);
    if (!desc)
        return NULL;
    const kc_connector_plugin *plugin = desc->vtable;
    if (plugin_out)
        *plugin_out = plugin;
    bool sink = plugin->kind == KC_PLUGIN_SINK;

    json_t *result = NULL;
    kc_transforms_enrichment *enrich = kc_transforms_enrichment_new(config, false, err);
    if (!enrich)
        return NULL;
    kc_config_table tables[4] = {
        kc_connector_config_common_table(),
        sink ? kc_connector_config_sink_table() : kc_connector_config_source_table(),
        kc_transforms_enrichment_table(enrich),
        {plugin->config, plugin->config_count},
    };
    kc_config_def_opts opts = {.merge = KC_CONFIG_MERGE_OVERRIDE, .class_exists = kc_transforms_class_exists};
    kc_config_def *def = kc_config_def_new(tables, 4, &opts, err);
    kc_config_validation *v = def ? kc_config_validate(def, config, null_keys, err) : NULL;
    if (!v)
        goto out;
    if (sink && kc_connector_config_validate_sink(config, v, err) != 0)
        goto out;
    if (plugin->validate && plugin->validate(config, v, err) != 0)
        goto out;
    for (size_t i = 0; null_keys && i < kc_props_count(null_keys); i++) {
        kc_config_result *r = kc_config_validation_get(v, kc_props_key_at(null_keys, i), true);
        if (r)
            kc_config_result_add_error(r, "Null value can not be supplied as the configuration value.");
    }
    static const char *const prefixes[] = {"producer.override.", "consumer.override.", "admin.override."};
    for (size_t p = 0; p < 3; p++) {
        size_t plen = strlen(prefixes[p]);
        for (size_t i = 0; i < kc_props_count(config); i++) {
            const char *key = kc_props_key_at(config, i);
            if (strncmp(key, prefixes[p], plen) != 0 || kc_worker_override_allowed(override_policy, key + plen))
                continue;
            kc_config_result *r = kc_config_validation_get(v, key, false);
            if (!r)
                r = kc_config_validation_add_extra(v, key, kc_client_config_is_secret(key) ? "[hidden]"
                                                                                          : kc_props_value_at(config, i));
            if (r)
                kc_config_result_add_error(r, "The '%s' policy does not allow '%s' to be overridden in the connector "
                                              "configuration.", kc_worker_override_policy_name(override_policy), key + plen);
        }
    }
    *error_count = kc_config_validation_error_count(v);
    result = kc_config_infos_json_new(cls, v);
    if (!result)
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    else
        add_converter_infos(result, config, error_count);
out:
    kc_config_validation_free(v);
    kc_config_def_free(def);
    kc_transforms_enrichment_free(enrich);
    return result;
}

char *kc_validation_error_message(json_t *infos, int error_count)
{
    size_t cap = 512, o = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    o = (size_t)snprintf(s, cap, "Connector configuration is invalid and contains the following %d error(s):\n",
                         error_count);
    json_t *configs = json_object_get(infos, "configs");
    size_t i;
    json_t *entry;
    json_array_foreach(configs, i, entry) {
        json_t *errors = json_object_get(json_object_get(entry, "value"), "errors");
        size_t j;
        json_t *e;
        json_array_foreach(errors, j, e) {
            const char *text = json_string_value(e);
            size_t n = strlen(text ? text : "");
            if (o + n + 2 >= cap) {
                cap = (o + n + 2) * 2;
                char *g = realloc(s, cap);
                if (!g) {
                    free(s);
                    return NULL;
                }
                s = g;
            }
            memcpy(s + o, text ? text : "", n);
            o += n;
            s[o++] = '\n';
            s[o] = '\0';
        }
    }
    static const char tail[] = "You can also find the above list of errors at the endpoint "
                               "`/connector-plugins/{connectorType}/config/validate`";
    char *g = realloc(s, o + sizeof tail + 1);
    if (!g) {
        free(s);
        return NULL;
    }
    memcpy(g + o, tail, sizeof tail);
    return g;
}
