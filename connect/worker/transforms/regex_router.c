/* RegexRouter: when the whole topic matches `regex`, the topic becomes Matcher.replaceFirst of
 * `replacement` ($1, ${name}, \x). Java regular expressions run on POSIX regex (java_regex.h lists
 * what is supported). */
#include <stdlib.h>
#include <string.h>

#include "connect/worker/transforms/java_regex.h"
#include "connect/worker/transforms/smt.h"

/* RegexValidator: "Invalid regex: <PatternSyntaxException message>" */
static int check_regex(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    (void)opaque;
    if (value->is_null)
        return 0;
    kc_error e;
    kc_java_regex *re = kc_java_regex_new(value->string, &e);
    if (!re) {
        if (e.code != KC_ERR_INVALID) {
            *err = e;
            return -1;
        }
        return kc_config_error_invalid(err, name, value, "Invalid regex: %s", e.msg);
    }
    kc_java_regex_free(re);
    return 0;
}

static const kc_config_key regex_router_config[] = {
    KC_CONFIG_KEY("regex", KC_CONFIG_STRING, .validator = KC_CONFIG_CHECK(check_regex, NULL, "valid regex"),
                  .importance = KC_CONFIG_HIGH, .documentation = "Regular expression to use for matching."),
    KC_CONFIG_KEY("replacement", KC_CONFIG_STRING, .importance = KC_CONFIG_HIGH,
                  .documentation = "Replacement string."),
};

typedef struct regex_router {
    kc_java_regex *regex;
    char *replacement;
} regex_router;

static void *create(void) { return calloc(1, sizeof(regex_router)); }

static void reset(regex_router *t)
{
    kc_java_regex_free(t->regex);
    t->regex = NULL;
    free(t->replacement);
    t->replacement = NULL;
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
    regex_router *t = self;
    kc_smt_config c;
    reset(t);
    if (kc_smt_config_parse(&c, regex_router_config, sizeof regex_router_config / sizeof regex_router_config[0],
                            props, err) < 0)
        return -1;
    int rc = -1;
    if (!(t->regex = kc_java_regex_new(kc_config_get_string(c.parsed, "regex"), err)))
        goto out;
    if (kc_smt_config_string(&c, "replacement", &t->replacement) < 0) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto out;
    }
    rc = 0;
out:
    kc_smt_config_clear(&c);
    return rc;
}

static kc_record *apply(void *self, kc_record *r, kc_error *err)
{
    regex_router *t = self;
    char *topic = NULL;
    int rc = kc_java_regex_replace(t->regex, r->topic, t->replacement, &topic, err);
    if (rc == 1 && kc_record_set_topic(r, topic) < 0)
        rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    free(topic);
    if (rc < 0) {
        kc_record_free(r);
        return NULL;
    }
    return r;
}

const kc_transform_plugin kc_smt_regex_router = {
    .class_name = "org.apache.kafka.connect.transforms.RegexRouter",
    .config = regex_router_config,
    .config_count = sizeof regex_router_config / sizeof regex_router_config[0],
    .create = create,
    .configure = configure,
    .apply = apply,
    .close = close_,
};
