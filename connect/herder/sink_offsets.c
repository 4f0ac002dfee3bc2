/* Offsets of sink connectors: the consumer group connect-<name> (KIP-875); see herder_internal.h. */
#include "herder_internal.h"

#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "connect/config/client_config.h"
#include "connect/config/config_def.h"
#include "connect/worker/connector_config.h"

#define TIMEOUT_MS 30000

static rd_kafka_t *group_client(kc_herder *h, kc_connector_entry *c, rd_kafka_type_t type, kc_error *err)
{
    char group[1100];
    kc_worker_config_sink_group_id(c->name, group, sizeof group);
    kc_props *p = type == RD_KAFKA_CONSUMER ? kc_worker_config_consumer_props_new(h->wc, group, NULL, err)
                                            : kc_worker_config_admin_props_new(h->wc, NULL, err);
    if (!p)
        return NULL;
    kc_props_set(p, "group.id", group);
    rd_kafka_conf_t *conf = kc_client_conf_new(p, type == RD_KAFKA_CONSUMER ? KC_CLIENT_CONSUMER : KC_CLIENT_ADMIN,
                                               NULL, NULL, err);
    kc_props_free(p);
    if (!conf)
        return NULL;
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        kc_error_set(err, KC_ERR_INTERNAL, "cannot create a Kafka client: %s", errstr);
    }
    return rk;
}

/* Every partition of the connector's topics (topics or topics.regex). */
static rd_kafka_topic_partition_list_t *connector_partitions(rd_kafka_t *rk, kc_connector_entry *c, kc_error *err)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 1, NULL, &md, TIMEOUT_MS);
    if (e) {
        kc_error_set(err, KC_ERR_UNREACHABLE, "Failed to list the topics of connector %s: %s", c->name,
                     rd_kafka_err2str(e));
        return NULL;
    }
    kc_config_strs topics = {0};
    kc_connector_config_sink_topics(c->config, &topics);
    const char *regex = kc_props_get(c->config, "topics.regex");
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(16);
    for (int t = 0; t < md->topic_cnt; t++) {
        const char *name = md->topics[t].topic;
        int wanted = 0;
        for (size_t i = 0; i < topics.count && !wanted; i++)
            wanted = strcmp(topics.items[i], name) == 0;
        kc_error re;
        if (!wanted && regex && *regex)
            wanted = kc_connector_config_regex_matches(regex, name, &re) == 1;
        for (int p = 0; wanted && p < md->topics[t].partition_cnt; p++)
            rd_kafka_topic_partition_list_add(list, name, md->topics[t].partitions[p].id);
    }
    kc_config_strs_clear(&topics);
    rd_kafka_metadata_destroy(md);
    return list;
}

json_t *kc_herder_sink_offsets_json(kc_herder *h, kc_connector_entry *c, kc_error *err)
{
    rd_kafka_t *rk = group_client(h, c, RD_KAFKA_CONSUMER, err);
    if (!rk)
        return NULL;
    json_t *result = NULL;
    rd_kafka_topic_partition_list_t *list = connector_partitions(rk, c, err);
    if (!list)
        goto out;
    rd_kafka_resp_err_t e = list->cnt ? rd_kafka_committed(rk, list, TIMEOUT_MS) : RD_KAFKA_RESP_ERR_NO_ERROR;
    if (e) {
        kc_error_set(err, KC_ERR_UNREACHABLE, "Failed to read the offsets of sink connector %s: %s", c->name,
                     rd_kafka_err2str(e));
        goto out;
    }
    json_t *arr = json_array();
    for (int i = 0; i < list->cnt; i++) {
        if (list->elems[i].offset < 0)
            continue;
        /* Java's HashMap order: kafka_partition before kafka_topic */
        json_t *entry = json_pack("{s:{s:i,s:s},s:{s:I}}", "partition", "kafka_partition", list->elems[i].partition,
                                  "kafka_topic", list->elems[i].topic, "offset", "kafka_offset",
                                  (json_int_t)list->elems[i].offset);
        json_array_append_new(arr, entry);
    }
    result = json_pack("{s:o}", "offsets", arr);
out:
    if (list)
        rd_kafka_topic_partition_list_destroy(list);
    rd_kafka_destroy(rk);
    return result;
}

/* Waits for one admin result event on q. */
static rd_kafka_event_t *wait_event(rd_kafka_queue_t *q)
{
    return rd_kafka_queue_poll(q, TIMEOUT_MS + 5000);
}

int kc_herder_sink_offsets_alter(kc_herder *h, kc_connector_entry *c, const kc_value *offsets, kc_error *err)
{
    char group[1100];
    kc_worker_config_sink_group_id(c->name, group, sizeof group);
    int rc = -1;
    rd_kafka_t *admin = group_client(h, c, RD_KAFKA_PRODUCER, err);
    if (!admin)
        return -1;
    rd_kafka_queue_t *q = rd_kafka_queue_new(admin);
    if (!offsets) { /* reset: delete the group */
        rd_kafka_DeleteGroup_t *g = rd_kafka_DeleteGroup_new(group);
        rd_kafka_DeleteGroups(admin, &g, 1, NULL, q);
        rd_kafka_DeleteGroup_destroy(g);
        rd_kafka_event_t *ev = wait_event(q);
        const rd_kafka_DeleteGroups_result_t *res = ev ? rd_kafka_event_DeleteGroups_result(ev) : NULL;
        size_t n = 0;
        const rd_kafka_group_result_t **groups = res ? rd_kafka_DeleteGroups_result_groups(res, &n) : NULL;
        const rd_kafka_error_t *ge = n ? rd_kafka_group_result_error(groups[0]) : NULL;
        if (!ev || rd_kafka_event_error(ev))
            kc_error_set(err, KC_ERR_UNREACHABLE, "Failed to reset the offsets of sink connector %s: %s", c->name,
                         ev ? rd_kafka_event_error_string(ev) : "timed out");
        else if (ge && rd_kafka_error_code(ge) != RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND)
            kc_error_set(err, KC_ERR_IO, "Failed to reset the offsets of sink connector %s: %s", c->name,
                         rd_kafka_error_string(ge));
        else
            rc = 0;
        if (ev)
            rd_kafka_event_destroy(ev);
        goto out;
    }
    rd_kafka_topic_partition_list_t *set = rd_kafka_topic_partition_list_new(8);
    rd_kafka_topic_partition_list_t *del = rd_kafka_topic_partition_list_new(8);
    for (size_t i = 0; i < kc_value_array_size(offsets); i++) {
        const kc_value *e = kc_value_array_get(offsets, i);
        const kc_value *p = kc_value_map_get_str(e, "partition"), *o = kc_value_map_get_str(e, "offset");
        const char *topic = kc_value_get_string(kc_value_map_get_str(p, "kafka_topic"), NULL);
        const kc_value *pv = kc_value_map_get_str(p, "kafka_partition");
        int32_t partition = (int32_t)kc_value_get_int64(pv);
        if (!topic)
            continue;
        const kc_value *off = o && !kc_value_is_null(o) ? kc_value_map_get_str(o, "kafka_offset") : NULL;
        if (off)
            rd_kafka_topic_partition_list_add(set, topic, partition)->offset = kc_value_get_int64(off);
        else
            rd_kafka_topic_partition_list_add(del, topic, partition);
    }
    rc = 0;
    if (set->cnt) {
        rd_kafka_AlterConsumerGroupOffsets_t *a = rd_kafka_AlterConsumerGroupOffsets_new(group, set);
        rd_kafka_AlterConsumerGroupOffsets(admin, &a, 1, NULL, q);
        rd_kafka_AlterConsumerGroupOffsets_destroy(a);
        rd_kafka_event_t *ev = wait_event(q);
        if (!ev || rd_kafka_event_error(ev)) {
            kc_error_set(err, KC_ERR_IO, "Failed to alter the offsets of sink connector %s: %s", c->name,
                         ev ? rd_kafka_event_error_string(ev) : "timed out");
            rc = -1;
        }
        if (ev)
            rd_kafka_event_destroy(ev);
    }
    if (rc == 0 && del->cnt) {
        rd_kafka_DeleteConsumerGroupOffsets_t *d = rd_kafka_DeleteConsumerGroupOffsets_new(group, del);
        rd_kafka_DeleteConsumerGroupOffsets(admin, &d, 1, NULL, q);
        rd_kafka_DeleteConsumerGroupOffsets_destroy(d);
        rd_kafka_event_t *ev = wait_event(q);
        if (!ev || (rd_kafka_event_error(ev) && rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND)) {
            kc_error_set(err, KC_ERR_IO, "Failed to reset the offsets of sink connector %s: %s", c->name,
                         ev ? rd_kafka_event_error_string(ev) : "timed out");
            rc = -1;
        }
        if (ev)
            rd_kafka_event_destroy(ev);
    }
    rd_kafka_topic_partition_list_destroy(set);
    rd_kafka_topic_partition_list_destroy(del);
out:
    rd_kafka_queue_destroy(q);
    rd_kafka_destroy(admin);
    return rc;
}
