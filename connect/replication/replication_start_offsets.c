/*
 * Start offset "latest" as stored Connect offsets (replication_start_offsets.h).
 */
#include "connect/replication/replication_start_offsets.h"

#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "connect/config/client_config.h"
#include "connect/worker/offsets.h"
#include "connectors/mirror/filters.h"
#include "connectors/mirror/mirror_records.h"

/* Puts the offset end - 1 of (connector, alias, topic, partition) into out. */
static int put_offset(kc_offset_map *out, const char *connector, const char *alias, const char *topic,
                      int32_t partition, int64_t end, kc_error *err)
{
    kc_value *part = kc_mirror_source_partition_new(alias, topic, partition);
    kc_value *off = kc_mirror_offset_new(end - 1);
    char *k = NULL, *v = NULL;
    size_t kl = 0, vl = 0;
    int rc = part && off ? 0 : kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    if (rc == 0)
        rc = kc_offsets_key_bytes(connector, part, &k, &kl, err);
    if (rc == 0)
        rc = kc_offsets_value_bytes(off, &v, &vl, err);
    if (rc == 0)
        rc = kc_offset_map_put(out, k, kl, v, vl, err);
    free(k);
    free(v);
    kc_value_free(part);
    kc_value_free(off);
    return rc;
}

/* The offsets of one source connector: every selected partition of its source cluster. */
static int connector_offsets(const kc_replication_connector *c, const kc_replication_connector *before,
                             const kc_props *client, int timeout_ms, kc_offset_map *out, size_t *partitions,
                             kc_error *err)
{
    kc_mirror_topic_filter *filter = kc_mirror_topic_filter_new(c->config, err), *old = NULL;
    if (filter && before && !(old = kc_mirror_topic_filter_new(before->config, err))) {
        kc_mirror_topic_filter_free(filter);
        return -1;
    }
    if (!filter)
        return -1;
    rd_kafka_conf_t *conf = kc_client_conf_new(client, KC_CLIENT_ADMIN, NULL, NULL, err);
    rd_kafka_t *rk = NULL;
    char errstr[512];
    if (conf && !(rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr))) {
        rd_kafka_conf_destroy(conf);
        kc_error_set(err, KC_ERR_INVALID, "cannot create a client: %s", errstr);
    }
    if (!rk) {
        kc_mirror_topic_filter_free(filter);
        kc_mirror_topic_filter_free(old);
        return -1;
    }
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 1, NULL, &md, timeout_ms);
    int rc = e == RD_KAFKA_RESP_ERR_NO_ERROR
                 ? 0
                 : kc_error_set(err, KC_ERR_UNAVAILABLE, "cannot list the topics of cluster %s: %s", c->flow_source,
                                rd_kafka_err2str(e));
    for (int t = 0; rc == 0 && t < md->topic_cnt; t++) {
        const struct rd_kafka_metadata_topic *mt = &md->topics[t];
        if (mt->err != RD_KAFKA_RESP_ERR_NO_ERROR)
            continue;
        int sel = kc_mirror_topic_filter_should_replicate(filter, mt->topic, err);
        if (sel > 0 && old) { /* an update: only the topics it adds */
            int was = kc_mirror_topic_filter_should_replicate(old, mt->topic, err);
            sel = was < 0 ? -1 : !was;
        }
        if (sel < 0)
            rc = -1;
        for (int p = 0; sel > 0 && rc == 0 && p < mt->partition_cnt; p++) {
            int64_t low = 0, high = 0;
            e = rd_kafka_query_watermark_offsets(rk, mt->topic, mt->partitions[p].id, &low, &high, timeout_ms);
            if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
                rc = kc_error_set(err, KC_ERR_UNAVAILABLE, "cannot read the end offset of %s-%d on cluster %s: %s",
                                  mt->topic, (int)mt->partitions[p].id, c->flow_source, rd_kafka_err2str(e));
            else if (high > 0 && (rc = put_offset(out, c->name, c->flow_source, mt->topic, mt->partitions[p].id,
                                                  high, err)) == 0)
                (*partitions)++;
        }
    }
    if (md)
        rd_kafka_metadata_destroy(md);
    rd_kafka_destroy(rk);
    kc_mirror_topic_filter_free(filter);
    kc_mirror_topic_filter_free(old);
    return rc;
}

/* The connector called name in conns, or NULL. */
static const kc_replication_connector *find(const kc_replication_connectors *conns, const char *name)
{
    for (size_t i = 0; conns && i < conns->count; i++)
        if (strcmp(conns->items[i].name, name) == 0)
            return &conns->items[i];
    return NULL;
}

int kc_replication_start_offsets(const kc_replication_connectors *conns, const kc_replication_connectors *previous,
                                 kc_replication_client_of client_of, void *ctx, int timeout_ms, kc_offset_map **out,
                                 size_t *partitions, kc_error *err)
{
    *out = kc_offset_map_new();
    *partitions = 0;
    if (!*out)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    for (size_t i = 0; i < conns->count; i++) {
        const kc_replication_connector *c = &conns->items[i];
        if (c->kind != KC_REPLICATION_SOURCE_CONNECTOR)
            continue;
        const kc_props *client = client_of(ctx, c->flow_source);
        if (!client || connector_offsets(c, find(previous, c->name), client, timeout_ms, *out, partitions, err) != 0) {
            if (!client)
                kc_error_set(err, KC_ERR_INTERNAL, "no client settings for cluster %s", c->flow_source);
            kc_offset_map_free(*out);
            *out = NULL;
            return -1;
        }
    }
    return 0;
}
