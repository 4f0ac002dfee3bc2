/* Client and topic settings of the internal-topic stores; see store_clients.h. */
#include "storage/store_clients.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/api/log.h"

#define DISTRIBUTED_CONFIG_LOGGER "org.apache.kafka.connect.runtime.distributed.DistributedConfig"

/* Java's String.trim().isEmpty(). */
static int blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if ((unsigned char)*s > ' ')
            return 0;
    return 1;
}

char *kc_store_client_id_base(const kc_worker_config *wc, char *buf, size_t size)
{
    const char *group = wc->group_id ? wc->group_id : "connect";
    const char *client = wc->parsed ? kc_config_get_string(wc->parsed, "client.id") : NULL;
    if (blank(client))
        snprintf(buf, size, "%s-", group);
    else
        snprintf(buf, size, "%s-%s-", group, client);
    return buf;
}

char *kc_store_client_id(const kc_worker_config *wc, const char *base, const char *suffix, char *buf,
                         size_t size)
{
    char java[512];
    if (!base)
        base = kc_store_client_id_base(wc, java, sizeof java);
    size_t n = strlen(base);
    snprintf(buf, size, "%s%s%s", base, n && base[n - 1] == '-' ? "" : "-", suffix);
    return buf;
}

kc_props *kc_store_client_props_new(const kc_worker_config *wc, const char *client_id, kc_error *err)
{
    kc_props *p = kc_props_new();
    if (!p)
        goto oom;
    for (size_t i = 0; i < kc_props_count(wc->originals); i++) {
        const char *key = kc_props_key_at(wc->originals, i);
        if (strncmp(key, "producer.", 9) == 0 || strncmp(key, "consumer.", 9) == 0 ||
            strncmp(key, "admin.", 6) == 0 || strncmp(key, "partitioner", 11) == 0 ||
            strcmp(key, "config.providers") == 0)
            continue;
        if (kc_props_set(p, key, kc_props_value_at(wc->originals, i)) < 0)
            goto oom;
    }
    if (client_id && kc_props_set(p, "client.id", client_id) < 0)
        goto oom;
    return p;
oom:
    kc_props_free(p);
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return NULL;
}

kc_props *kc_store_topic_settings_new(const kc_worker_config *wc, const char *prefix, kc_error *err)
{
    kc_props *p = kc_props_subset(wc->originals, prefix, 1);
    if (!p) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    if (strcmp(prefix, "config.storage.") == 0 && kc_props_get(p, "partitions"))
        kc_log(KC_LOG_WARN, DISTRIBUTED_CONFIG_LOGGER,
               "Ignoring '%spartitions=%s' setting, since config topic partitions is always 1", prefix,
               kc_props_get(p, "partitions"));
    const char *policy = kc_props_get(p, "cleanup.policy");
    if (policy)
        kc_log(KC_LOG_WARN, DISTRIBUTED_CONFIG_LOGGER,
               "Ignoring '%scleanup.policy=%s' setting, since compaction is always used", prefix, policy);
    kc_props_remove(p, "cleanup.policy");
    kc_props_remove(p, "topic");
    kc_props_remove(p, "replication.factor");
    kc_props_remove(p, "partitions");
    return p;
}

/* A positive int of the originals, or dflt when absent or not a number. */
static int original_int(const kc_worker_config *wc, const char *key, int dflt)
{
    const char *v = kc_props_get(wc->originals, key);
    if (!v)
        return dflt;
    char *end = NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    while (end && (*end == ' ' || *end == '\t'))
        end++;
    if (errno || end == v || (end && *end) || n <= 0 || n > 0x7fffffffL)
        return dflt;
    return (int)n;
}

void kc_store_topic_spec_timeouts(const kc_worker_config *wc, kc_kafka_log_topic_spec *spec)
{
    spec->create_timeout_ms = original_int(wc, "default.api.timeout.ms", 60000);
    spec->retry_backoff_ms = original_int(wc, "retry.backoff.ms", 100);
}
