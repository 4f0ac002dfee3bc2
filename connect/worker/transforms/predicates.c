/* The built-in predicates: TopicNameMatches, HasHeaderKey, RecordIsTombstone. */
#include <stdlib.h>
#include <string.h>

#include "connect/worker/transforms/java_regex.h"
#include "connect/worker/transforms/smt.h"

/* ---- TopicNameMatches ------------------------------------------------------------------------ */

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

static const kc_config_key topic_name_matches_config[] = {
    KC_CONFIG_KEY("pattern", KC_CONFIG_STRING,
                  .validator = KC_CONFIG_ALL_OF(KC_CONFIG_NON_EMPTY_STRING,
                                                KC_CONFIG_CHECK(check_regex, NULL, "valid regex")),
                  .importance = KC_CONFIG_MEDIUM,
                  .documentation = "A Java regular expression for matching against the name of a record's topic."),
};

static void *tnm_create(void) { return calloc(1, sizeof(kc_java_regex *)); }

static void tnm_close(void *self)
{
    if (!self)
        return;
    kc_java_regex_free(*(kc_java_regex **)self);
    free(self);
}

static int tnm_configure(void *self, const kc_props *props, kc_error *err)
{
    kc_java_regex **re = self;
    kc_smt_config c;
    kc_java_regex_free(*re);
    *re = NULL;
    if (kc_smt_config_parse(&c, topic_name_matches_config,
                            sizeof topic_name_matches_config / sizeof topic_name_matches_config[0], props, err) < 0)
        return -1;
    const char *pattern = kc_config_get_string(c.parsed, "pattern");
    kc_error e;
    int rc = 0;
    if (!(*re = kc_java_regex_new(pattern, &e))) {
        if (e.code == KC_ERR_INVALID)
            rc = kc_error_set(err, KC_ERR_INVALID,
                              "Invalid value %s for configuration pattern: entry must be a Java-compatible regular "
                              "expression: %s", pattern, e.msg);
        else
            rc = kc_error_set(err, e.code, "%s", e.msg);
    }
    kc_smt_config_clear(&c);
    return rc;
}

static int tnm_test(void *self, const kc_record *r, kc_error *err)
{
    kc_java_regex **re = self;
    return r->topic ? kc_java_regex_matches(*re, r->topic, err) : 0;
}

const kc_predicate_plugin kc_smt_topic_name_matches = {
    .class_name = "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
    .config = topic_name_matches_config,
    .config_count = sizeof topic_name_matches_config / sizeof topic_name_matches_config[0],
    .create = tnm_create,
    .configure = tnm_configure,
    .test = tnm_test,
    .close = tnm_close,
};

/* ---- HasHeaderKey ---------------------------------------------------------------------------- */

static const kc_config_key has_header_key_config[] = {
    KC_CONFIG_KEY("name", KC_CONFIG_STRING, .validator = KC_CONFIG_NON_EMPTY_STRING, .importance = KC_CONFIG_MEDIUM,
                  .documentation = "The header name."),
};

static void *hhk_create(void) { return calloc(1, sizeof(char *)); }

static void hhk_close(void *self)
{
    if (!self)
        return;
    free(*(char **)self);
    free(self);
}

static int hhk_configure(void *self, const kc_props *props, kc_error *err)
{
    char **name = self;
    kc_smt_config c;
    free(*name);
    *name = NULL;
    if (kc_smt_config_parse(&c, has_header_key_config, sizeof has_header_key_config / sizeof has_header_key_config[0],
                            props, err) < 0)
        return -1;
    int rc = kc_smt_config_string(&c, "name", name);
    if (rc)
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    kc_smt_config_clear(&c);
    return rc;
}

static int hhk_test(void *self, const kc_record *r, kc_error *err)
{
    (void)err;
    return kc_headers_last(&r->headers, *(char **)self) != NULL;
}

const kc_predicate_plugin kc_smt_has_header_key = {
    .class_name = "org.apache.kafka.connect.transforms.predicates.HasHeaderKey",
    .config = has_header_key_config,
    .config_count = sizeof has_header_key_config / sizeof has_header_key_config[0],
    .create = hhk_create,
    .configure = hhk_configure,
    .test = hhk_test,
    .close = hhk_close,
};

/* ---- RecordIsTombstone ----------------------------------------------------------------------- */

static void *rit_create(void) { return malloc(1); }

static int rit_configure(void *self, const kc_props *props, kc_error *err)
{
    (void)self;
    (void)props;
    (void)err;
    return 0;
}

static int rit_test(void *self, const kc_record *r, kc_error *err)
{
    (void)self;
    (void)err;
    return kc_value_is_null(r->value);
}

static void rit_close(void *self) { free(self); }

const kc_predicate_plugin kc_smt_record_is_tombstone = {
    .class_name = "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone",
    .create = rit_create,
    .configure = rit_configure,
    .test = rit_test,
    .close = rit_close,
};
