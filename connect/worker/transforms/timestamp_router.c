/* TimestampRouter: topic = topic.format with ${topic} and ${timestamp} (the record timestamp in
 * UTC, formatted with a java.text.SimpleDateFormat pattern) substituted. */
#include <stdlib.h>
#include <string.h>

#include "connect/worker/transforms/smt.h"

static const kc_config_key timestamp_router_config[] = {
    KC_CONFIG_KEY("topic.format", KC_CONFIG_STRING, .default_value = "${topic}-${timestamp}",
                  .importance = KC_CONFIG_HIGH,
                  .documentation = "Format string which can contain <code>${topic}</code> and "
                                   "<code>${timestamp}</code> as placeholders for the topic and timestamp, "
                                   "respectively."),
    KC_CONFIG_KEY("timestamp.format", KC_CONFIG_STRING, .default_value = "yyyyMMdd", .importance = KC_CONFIG_HIGH,
                  .documentation = "Format string for the timestamp that is compatible with "
                                   "<code>java.text.SimpleDateFormat</code>."),
};

typedef struct timestamp_router {
    char *topic_format;
    kc_smt_date_format *format;
} timestamp_router;

static void *create(void) { return calloc(1, sizeof(timestamp_router)); }

static void reset(timestamp_router *t)
{
    free(t->topic_format);
    t->topic_format = NULL;
    kc_smt_date_format_free(t->format);
    t->format = NULL;
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
    timestamp_router *t = self;
    kc_smt_config c;
    reset(t);
    if (kc_smt_config_parse(&c, timestamp_router_config,
                            sizeof timestamp_router_config / sizeof timestamp_router_config[0], props, err) < 0)
        return -1;
    int rc = -1;
    const char *pattern = kc_config_get_string(c.parsed, "timestamp.format");
    if (kc_smt_config_string(&c, "topic.format", &t->topic_format) < 0) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto out;
    }
    /* Java builds the SimpleDateFormat lazily and so fails on the first record; failing here says
     * the same earlier */
    if (!(t->format = kc_smt_date_format_new(pattern, err))) {
        if (err->code == KC_ERR_INVALID)
            kc_error_prefix(err, "Invalid value %s for configuration timestamp.format", pattern);
        goto out;
    }
    rc = 0;
out:
    kc_smt_config_clear(&c);
    return rc;
}

/* Pattern.compile(literal).matcher(s).replaceAll(with): every occurrence, left to right. */
static char *replace_all(const char *s, const char *literal, const char *with)
{
    size_t ll = strlen(literal), wl = strlen(with), n = 0;
    for (const char *p = strstr(s, literal); p; p = strstr(p + ll, literal))
        n++;
    char *out = malloc(strlen(s) + n * wl + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = s;;) {
        const char *hit = strstr(p, literal);
        if (!hit) {
            strcpy(o, p);
            break;
        }
        memcpy(o, p, (size_t)(hit - p));
        o += hit - p;
        memcpy(o, with, wl);
        o += wl;
        p = hit + ll;
    }
    return out;
}

static kc_record *apply(void *self, kc_record *r, kc_error *err)
{
    timestamp_router *t = self;
    if (r->timestamp == KC_NO_TIMESTAMP) {
        char *text = kc_smt_record_to_string(r);
        kc_error_set(err, KC_ERR_INVALID, "Timestamp missing on record: %s", text ? text : "(out of memory)");
        free(text);
        kc_record_free(r);
        return NULL;
    }
    char *formatted = kc_smt_date_format_apply(t->format, r->timestamp);
    char *step1 = formatted ? replace_all(t->topic_format, "${topic}", r->topic) : NULL;
    char *topic = step1 ? replace_all(step1, "${timestamp}", formatted) : NULL;
    int rc = topic ? kc_record_set_topic(r, topic) : -1;
    free(formatted);
    free(step1);
    free(topic);
    if (rc < 0) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        kc_record_free(r);
        return NULL;
    }
    return r;
}

const kc_transform_plugin kc_smt_timestamp_router = {
    .class_name = "org.apache.kafka.connect.transforms.TimestampRouter",
    .config = timestamp_router_config,
    .config_count = sizeof timestamp_router_config / sizeof timestamp_router_config[0],
    .create = create,
    .configure = configure,
    .apply = apply,
    .close = close_,
};
