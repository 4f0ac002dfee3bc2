/* errors.* handling; see errors.h. */
#include "errors.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connect/api/log.h"

const char *kc_error_stage_name(kc_error_stage stage)
{
    static const char *const names[] = {"TASK_POLL", "TRANSFORMATION", "KEY_CONVERTER", "VALUE_CONVERTER",
                                        "HEADER_CONVERTER", "KAFKA_PRODUCE", "KAFKA_CONSUME", "TASK_PUT"};
    return (unsigned)stage < sizeof names / sizeof names[0] ? names[stage] : "UNKNOWN";
}

static int get_bool(const kc_props *c, const char *key, bool def, bool *out, kc_error *err)
{
    const char *v = kc_props_get(c, key);
    if (!v) {
        *out = def;
        return 0;
    }
    while (*v == ' ')
        v++;
    if (strncasecmp(v, "true", 4) == 0 && (v[4] == '\0' || v[4] == ' '))
        *out = true;
    else if (strncasecmp(v, "false", 5) == 0 && (v[5] == '\0' || v[5] == ' '))
        *out = false;
    else
        return kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration %s: Expected value to be "
                                                 "either true or false", v, key);
    return 0;
}

static int get_long(const kc_props *c, const char *key, int64_t def, int64_t *out, kc_error *err)
{
    const char *v = kc_props_get(c, key);
    if (!v) {
        *out = def;
        return 0;
    }
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    while (*end == ' ')
        end++;
    if (errno || end == v || *end)
        return kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration %s: Not a number of type LONG",
                            v, key);
    *out = n;
    return 0;
}

int kc_errors_policy_init(kc_errors_policy *p, const kc_props *c, bool sink, kc_error *err)
{
    memset(p, 0, sizeof *p);
    const char *tolerance = kc_props_get(c, "errors.tolerance");
    if (tolerance && strcasecmp(tolerance, "all") == 0)
        p->tolerate_all = true;
    else if (tolerance && strcasecmp(tolerance, "none") != 0)
        return kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration errors.tolerance: String must "
                                                 "be one of (case insensitive): ALL, NONE", tolerance);
    int64_t rf = 3;
    if (get_long(c, "errors.retry.timeout", 0, &p->retry_timeout_ms, err) ||
        get_long(c, "errors.retry.delay.max.ms", 60000, &p->retry_delay_max_ms, err) ||
        get_bool(c, "errors.log.enable", false, &p->log_enable, err) ||
        get_bool(c, "errors.log.include.messages", false, &p->log_include_messages, err) ||
        get_bool(c, "errors.deadletterqueue.context.headers.enable", false, &p->dlq_context_headers, err) ||
        get_long(c, "errors.deadletterqueue.topic.replication.factor", 3, &rf, err))
        return -1;
    p->dlq_replication_factor = (int)rf;
    const char *dlq = kc_props_get(c, "errors.deadletterqueue.topic.name");
    if (sink && dlq && *dlq && !(p->dlq_topic = strdup(dlq)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return 0;
}

void kc_errors_policy_clear(kc_errors_policy *p)
{
    free(p->dlq_topic);
    p->dlq_topic = NULL;
}

bool kc_errors_handle(kc_errors_policy *p, const char *task, kc_error_stage stage, const char *topic,
                      int32_t partition, int64_t offset, const kc_error *err)
{
    p->failures++;
    if (p->log_enable || !p->tolerate_all) {
        char where[512] = "";
        if (topic)
            snprintf(where, sizeof where, ", where consumed record is {topic='%s', partition=%d, offset=%lld}",
                     topic, partition, (long long)offset);
        kc_log(KC_LOG_ERROR, "org.apache.kafka.connect.runtime.errors.LogReporter",
               "Error encountered in task %s. Executing stage '%s'%s: %s", task, kc_error_stage_name(stage), where,
               err->msg);
    }
    if (!p->tolerate_all)
        return false;
    p->skipped++;
    return true;
}
