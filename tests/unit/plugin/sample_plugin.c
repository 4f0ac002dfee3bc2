/* A connector plugin in a shared object, as a third party would build one: it registers a source
 * connector class with kconnect's plugin registry from kc_plugin_register. Used by
 * tests/unit/test_plugin_loader.c through plugin.path. */
#include <stdlib.h>

#include "connect/api/connector.h"

static void *create(void) { return calloc(1, 1); }
static void destroy(void *self) { free(self); }
static int start(void *self, kc_connector_context *ctx, const kc_props *config, kc_error *err)
{
    (void)self;
    (void)ctx;
    (void)config;
    (void)err;
    return 0;
}
static int task_configs(void *self, int max_tasks, kc_task_configs *out, kc_error *err)
{
    (void)self;
    (void)max_tasks;
    (void)out;
    (void)err;
    return 0;
}
static void stop(void *self) { (void)self; }

static const kc_connector_plugin sample = {
    .kind = KC_PLUGIN_SOURCE,
    .class_name = "com.example.SampleSourceConnector",
    .version = "1.2.3",
    .create = create,
    .start = start,
    .task_configs = task_configs,
    .stop = stop,
    .destroy = destroy,
};

static const kc_plugin_desc desc = {KC_PLUGIN_SOURCE, "com.example.SampleSourceConnector", "1.2.3", &sample};

int kc_plugin_register(kc_error *err)
{
    return kc_plugins_register(&desc, err);
}
