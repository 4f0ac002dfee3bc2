/* InsertHeader: add a header whose value is value.literal parsed as Values.parseString does. */
#include <stdlib.h>
#include <string.h>

#include "connect/api/values.h"
#include "connect/worker/transforms/smt.h"

static const kc_config_key insert_header_config[] = {
    KC_CONFIG_KEY("header", KC_CONFIG_STRING, .validator = KC_CONFIG_NON_NULL, .importance = KC_CONFIG_HIGH,
                  .documentation = "The name of the header."),
    KC_CONFIG_KEY("value.literal", KC_CONFIG_STRING, .validator = KC_CONFIG_NON_NULL, .importance = KC_CONFIG_HIGH,
                  .documentation = "The literal value that is to be set as the header value on all records."),
};

typedef struct insert_header {
    char *header;
    kc_schema_and_value literal;
} insert_header;

static void *create(void) { return calloc(1, sizeof(insert_header)); }

static void reset(insert_header *t)
{
    free(t->header);
    t->header = NULL;
    kc_schema_and_value_clear(&t->literal);
}

static void close_(void *self)
{
    if (!self)
        return;
    reset(self);
    free(self);
}

static int configure(void *self, const kc_props *props, kc_error *err)
{
    insert_header *t = self;
    kc_smt_config c;
    reset(t);
    if (kc_smt_config_parse(&c, insert_header_config, sizeof insert_header_config / sizeof insert_header_config[0],
                            props, err) < 0)
        return -1;
    int rc = 0;
    const char *literal = kc_config_get_string(c.parsed, "value.literal");
    if (kc_smt_config_string(&c, "header", &t->header) < 0)
        rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    else
        rc = kc_values_parse_string(literal, strlen(literal), &t->literal, err);
    kc_smt_config_clear(&c);
    return rc;
}

static kc_record *apply(void *self, kc_record *r, kc_error *err)
{
    insert_header *t = self;
    kc_value *v;
    if (kc_smt_copy(t->literal.value, &v, err) < 0 ||
        kc_headers_add_new(&r->headers, t->header, kc_schema_ref(t->literal.schema), v) < 0) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        kc_record_free(r);
        return NULL;
    }
    return r;
}

const kc_transform_plugin kc_smt_insert_header = {
    .class_name = "org.apache.kafka.connect.transforms.InsertHeader",
    .config = insert_header_config,
    .config_count = sizeof insert_header_config / sizeof insert_header_config[0],
    .create = create,
    .configure = configure,
    .apply = apply,
    .close = close_,
};
