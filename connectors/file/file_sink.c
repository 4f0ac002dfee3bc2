/* FileStreamSinkConnector and FileStreamSinkTask; see file.h. */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/api/log.h"

static const kc_config_key sink_keys[] = {
    KC_CONFIG_KEY("file", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_HIGH,
                  .documentation = "Destination filename. If not specified, the standard output will be used"),
};

/* ---- connector ------------------------------------------------------------------------------- */

typedef struct sink_connector {
    kc_props *config;
} sink_connector;

static void *connector_create(void) { return calloc(1, sizeof(sink_connector)); }

static int connector_start(void *self, kc_connector_context *ctx, const kc_props *config, kc_error *err)
{
    (void)ctx;
    sink_connector *c = self;
    kc_props_free(c->config);
    if (!(c->config = kc_props_copy(config)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    const char *file = kc_props_get(config, "file");
    kc_log(KC_LOG_INFO, "org.apache.kafka.connect.file.FileStreamSinkConnector",
           "Starting file sink connector writing to %s", file ? file : "standard output");
    return 0;
}

static int connector_task_configs(void *self, int max_tasks, kc_task_configs *out, kc_error *err)
{
    sink_connector *c = self;
    for (int i = 0; i < max_tasks; i++) {
        kc_props *p = kc_props_copy(c->config);
        if (!p || kc_task_configs_add(out, p) != 0)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    return 0;
}

static void connector_stop(void *self) { (void)self; }

static void connector_destroy(void *self)
{
    sink_connector *c = self;
    if (c)
        kc_props_free(c->config);
    free(c);
}

/* The sink keeps no offsets of its own: any change is fine (Java returns true). */
static int sink_alter_offsets(const kc_props *config, const kc_value *offsets, kc_error *err)
{
    (void)config;
    (void)offsets;
    (void)err;
    return 1;
}

/* ---- task ------------------------------------------------------------------------------------ */

typedef struct sink_task {
    char *filename;  /* NULL: standard output */
    FILE *out;
} sink_task;

static void *task_create(void) { return calloc(1, sizeof(sink_task)); }

static int task_start(void *self, kc_sink_task_context *ctx, const kc_props *config, kc_error *err)
{
    (void)ctx;
    sink_task *t = self;
    const char *file = kc_props_get(config, "file");
    if (!file) {
        t->out = stdout;
        return 0;
    }
    if (!(t->filename = strdup(file)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    if (!(t->out = fopen(file, "ae")))
        return kc_error_set(err, KC_ERR_IO, "Couldn't find or create file '%s' for FileStreamSinkTask: %s", file,
                            strerror(errno));
    return 0;
}

static int task_put(void *self, kc_record *const *records, size_t n, kc_error *err)
{
    sink_task *t = self;
    for (size_t i = 0; i < n; i++) {
        const kc_value *v = records[i]->value;
        size_t len;
        if (!v || kc_value_is_null(v)) {
            fputs("null\n", t->out);
            continue;
        }
        if (kc_value_get_type(v) == KC_VALUE_STRING) { /* the common case, without a copy */
            const char *s = kc_value_get_string(v, &len);
            fwrite(s, 1, len, t->out);
            fputc('\n', t->out);
            continue;
        }
        char *text = kc_value_to_java_string(v, false, &len, err);
        if (!text)
            return -1;
        fwrite(text, 1, len, t->out);
        fputc('\n', t->out);
        free(text);
    }
    if (ferror(t->out))
        return kc_error_set(err, KC_ERR_IO, "Error writing to %s: %s", t->filename ? t->filename : "stdout",
                            strerror(errno));
    return 0;
}

static int task_flush(void *self, const kc_partition_offset *offsets, size_t n, kc_error *err)
{
    (void)offsets;
    (void)n;
    sink_task *t = self;
    if (fflush(t->out) != 0)
        return kc_error_set(err, KC_ERR_IO, "Error flushing %s: %s", t->filename ? t->filename : "stdout",
                            strerror(errno));
    return 0;
}

static void task_stop(void *self)
{
    sink_task *t = self;
    if (t->out && t->out != stdout)
        fclose(t->out);
    else if (t->out)
        fflush(t->out);
    t->out = NULL;
}

static void task_destroy(void *self)
{
    sink_task *t = self;
    if (!t)
        return;
    if (t->out)
        task_stop(t);
    free(t->filename);
    free(t);
}

static const kc_sink_task_plugin sink_task_plugin = {
    .create = task_create,
    .start = task_start,
    .put = task_put,
    .flush = task_flush,
    .stop = task_stop,
    .destroy = task_destroy,
};

const kc_connector_plugin kc_file_sink_connector = {
    .kind = KC_PLUGIN_SINK,
    .class_name = "org.apache.kafka.connect.file.FileStreamSinkConnector",
    .config = sink_keys,
    .config_count = sizeof sink_keys / sizeof sink_keys[0],
    .create = connector_create,
    .start = connector_start,
    .task_configs = connector_task_configs,
    .stop = connector_stop,
    .destroy = connector_destroy,
    .alter_offsets = sink_alter_offsets,
    .sink_task = &sink_task_plugin,
};

static const kc_plugin_desc file_plugins[] = {
    {KC_PLUGIN_SOURCE, "org.apache.kafka.connect.file.FileStreamSourceConnector", NULL, &kc_file_source_connector},
    {KC_PLUGIN_SINK, "org.apache.kafka.connect.file.FileStreamSinkConnector", NULL, &kc_file_sink_connector},
};

int kc_file_connectors_register(kc_error *err)
{
    for (size_t i = 0; i < sizeof file_plugins / sizeof file_plugins[0]; i++)
        if (kc_plugins_register(&file_plugins[i], err) != 0)
            return -1;
    return 0;
}
