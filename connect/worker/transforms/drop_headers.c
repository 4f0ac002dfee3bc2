/* DropHeaders: remove every header whose key is listed. */
#include <stdlib.h>

#include "connect/worker/transforms/smt.h"

static const kc_config_key drop_headers_config[] = {
    KC_CONFIG_KEY("headers", KC_CONFIG_LIST, .validator = KC_CONFIG_LIST_NO_DUPLICATES(false, false),
                  .importance = KC_CONFIG_HIGH, .documentation = "The name of the headers to be removed."),
};

typedef struct drop_headers {
    kc_config_strs headers;
} drop_headers;

static void *create(void) { return calloc(1, sizeof(drop_headers)); }

static void close_(void *self)
{
    drop_headers *t = self;
    if (!t)
        return;
    kc_config_strs_clear(&t->headers);
    free(t);
}

static int configure(void *self, const kc_props *props, kc_error *err)
{
    drop_headers *t = self;
    kc_smt_config c;
    kc_config_strs_clear(&t->headers);
    if (kc_smt_config_parse(&c, drop_headers_config, sizeof drop_headers_config / sizeof drop_headers_config[0],
                            props, err) < 0)
        return -1;
    int rc = kc_smt_config_list(&c, "headers", &t->headers);
    if (rc)
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    kc_smt_config_clear(&c);
    return rc;
}

static kc_record *apply(void *self, kc_record *r, kc_error *err)
{
    drop_headers *t = self;
    (void)err;
    for (size_t i = 0; i < t->headers.count; i++)
        kc_headers_remove(&r->headers, t->headers.items[i]);
    return r;
}

const kc_transform_plugin kc_smt_drop_headers = {
    .class_name = "org.apache.kafka.connect.transforms.DropHeaders",
    .config = drop_headers_config,
    .config_count = sizeof drop_headers_config / sizeof drop_headers_config[0],
    .create = create,
    .configure = configure,
    .apply = apply,
    .close = close_,
};
