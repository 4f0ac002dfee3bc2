/* Connector configuration files; see connector_file.h. */
#include "connector_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

kc_props *kc_connector_json_parse(const char *text, size_t len, const char *origin, kc_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, 0, &jerr);
    if (!root || !json_is_object(root)) {
        kc_error_set(err, KC_ERR_INVALID, "%s: a connector configuration must be a JSON object%s%s (line %d)", origin,
                     root ? "" : ": ", root ? "" : jerr.text, root ? 1 : jerr.line);
        json_decref(root);
        return NULL;
    }
    kc_props *p = kc_props_new();
    if (!p) {
        json_decref(root);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    json_t *config = json_object_get(root, "config");
    json_t *src = json_is_object(config) ? config : root;
    const char *key;
    json_t *v;
    json_object_foreach(src, key, v) {
        if (json_is_object(v) || json_is_array(v)) {
            kc_error_set(err, KC_ERR_INVALID, "%s: the value of %s must be a string, not a JSON %s", origin, key,
                         json_is_object(v) ? "object" : "array");
            kc_props_free(p);
            json_decref(root);
            return NULL;
        }
        if (json_is_string(v)) {
            kc_props_set(p, key, json_string_value(v));
        } else if (!json_is_null(v)) {
            char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
            kc_props_set(p, key, t ? t : "");
            free(t);
        }
    }
    json_t *name = json_object_get(root, "name");
    if (json_is_object(config) && json_is_string(name) && !kc_props_get(p, "name"))
        kc_props_set(p, "name", json_string_value(name));
    json_decref(root);
    return p;
}

kc_props *kc_connector_file_load(const char *path, kc_error *err)
{
    size_t n = strlen(path);
    if (n < 5 || strcmp(path + n - 5, ".json") != 0) {
        kc_props *p = kc_props_new();
        if (!p) {
            kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            return NULL;
        }
        if (kc_props_load_file(p, path, err) != 0) {
            kc_props_free(p);
            return NULL;
        }
        return p;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        kc_error_set(err, KC_ERR_IO, "cannot read %s", path);
        return NULL;
    }
    char *buf = malloc(KC_PROPS_MAX_BYTES + 1);
    size_t got = buf ? fread(buf, 1, KC_PROPS_MAX_BYTES + 1, f) : 0;
    fclose(f);
    if (!buf || got > KC_PROPS_MAX_BYTES) {
        free(buf);
        kc_error_set(err, KC_ERR_INVALID, "%s is larger than %u bytes", path, KC_PROPS_MAX_BYTES);
        return NULL;
    }
    kc_props *p = kc_connector_json_parse(buf, got, path, err);
    free(buf);
    return p;
}
