/* Filter: drops every record (used with a predicate, possibly negated). */
#include <stdlib.h>

#include "connect/worker/transforms/smt.h"

static void *create(void) { return malloc(1); }

static int configure(void *self, const kc_props *props, kc_error *err)
{
    (void)self;
    (void)props;
    (void)err;
    return 0;
}

static kc_record *apply(void *self, kc_record *r, kc_error *err)
{
    (void)self;
    kc_error_clear(err);
    kc_record_free(r);
    return NULL;
}

static void close_(void *self) { free(self); }

const kc_transform_plugin kc_smt_filter = {
    .class_name = "org.apache.kafka.connect.transforms.Filter",
    .config = NULL,
    .config_count = 0,
    .create = create,
    .configure = configure,
    .apply = apply,
    .close = close_,
};
