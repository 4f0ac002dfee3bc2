/* Topic creation for source connectors; see topic_creation.h. */
#include "topic_creation.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/api/log.h"
#include "connect/worker/connector_config.h"

#define LOGGER "kconnect.worker.topics"
#define TIMEOUT_MS 30000

typedef struct group {
    char *name;
    char **include, **exclude;  /* regex lists */
    size_t ninclude, nexclude;
    int partitions;             /* -1: broker default */
    int replication;            /* -1: broker default */
    kc_props *configs;          /* topic configs */
} group;

struct kc_topic_creation {
    bool enabled;
    group *groups;              /* in order; "default" last */
    size_t ngroups;
    char **known;               /* topics checked or created */
    size_t nknown;
};

static char **split_list(const char *v, size_t *n)
{
    *n = 0;
    if (!v || !*v)
        return NULL;
    size_t cap = 1;
    for (const char *p = v; *p; p++)
        cap += *p == ',';
    char **out = calloc(cap, sizeof *out);
    char *copy = strdup(v), *save = NULL;
    for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL; tok && out; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        char *end = tok + strlen(tok);
        while (end > tok && end[-1] == ' ')
            *--end = '\0';
        if (*tok)
            out[(*n)++] = strdup(tok);
    }
    free(copy);
    return out;
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

static int parse_int(const char *key, const char *v, int *out, kc_error *err)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < -1 || n > 2147483647L || n == 0)
        return kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration %s: Value must be -1 (the broker's "
                                                 "default) or at least 1", v, key);
    *out = (int)n;
    return 0;
}

/* Reads topic.creation.<name>.* into g. */
static int read_group(group *g, const char *name, const kc_props *cc, kc_error *err)
{
    char prefix[512];
    snprintf(prefix, sizeof prefix, "topic.creation.%s.", name);
    kc_props *sub = kc_props_subset(cc, prefix, 1);
    if (!sub || !(g->name = strdup(name)) || !(g->configs = kc_props_new())) {
        kc_props_free(sub);
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    g->partitions = g->replication = -1;
    int rc = 0;
    for (size_t i = 0; i < kc_props_count(sub) && rc == 0; i++) {
        const char *k = kc_props_key_at(sub, i), *v = kc_props_value_at(sub, i);
        char full[700];
        snprintf(full, sizeof full, "%s%s", prefix, k);
        if (strcmp(k, "partitions") == 0)
            rc = parse_int(full, v, &g->partitions, err);
        else if (strcmp(k, "replication.factor") == 0)
            rc = parse_int(full, v, &g->replication, err);
        else if (strcmp(k, "include") == 0)
            g->include = split_list(v, &g->ninclude);
        else if (strcmp(k, "exclude") == 0)
            g->exclude = split_list(v, &g->nexclude);
        else
            rc = kc_props_set(g->configs, k, v) ? kc_error_set(err, KC_ERR_INTERNAL, "out of memory") : 0;
    }
    kc_props_free(sub);
    return rc;
}

kc_topic_creation *kc_topic_creation_new(const kc_props *cc, bool worker_enabled, kc_error *err)
{
    kc_topic_creation *tc = calloc(1, sizeof *tc);
    if (!tc) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    tc->enabled = worker_enabled && kc_props_get(cc, "topic.creation.default.replication.factor") &&
                  kc_props_get(cc, "topic.creation.default.partitions");
    if (!tc->enabled)
        return tc;
    size_t nnames = 0;
    char **names = split_list(kc_props_get(cc, "topic.creation.groups"), &nnames);
    tc->groups = calloc(nnames + 1, sizeof *tc->groups);
    int rc = tc->groups ? 0 : kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    for (size_t i = 0; rc == 0 && i < nnames; i++) {
        if (strcmp(names[i], "default") == 0)
            continue;
        rc = read_group(&tc->groups[tc->ngroups++], names[i], cc, err);
    }
    if (rc == 0)
        rc = read_group(&tc->groups[tc->ngroups++], "default", cc, err);
    free_list(names, nnames);
    if (rc != 0) {
        kc_topic_creation_free(tc);
        return NULL;
    }
    return tc;
}

void kc_topic_creation_free(kc_topic_creation *tc)
{
    if (!tc)
        return;
    for (size_t i = 0; i < tc->ngroups; i++) {
        free(tc->groups[i].name);
        free_list(tc->groups[i].include, tc->groups[i].ninclude);
        free_list(tc->groups[i].exclude, tc->groups[i].nexclude);
        kc_props_free(tc->groups[i].configs);
    }
    free(tc->groups);
    free_list(tc->known, tc->nknown);
    free(tc);
}

static int any_match(char **regexes, size_t n, const char *topic)
{
    for (size_t i = 0; i < n; i++) {
        kc_error e;
        if (kc_connector_config_regex_matches(regexes[i], topic, &e) == 1)
            return 1;
    }
    return 0;
}

static const group *group_for(const kc_topic_creation *tc, const char *topic)
{
    for (size_t i = 0; i + 1 < tc->ngroups; i++) {
        const group *g = &tc->groups[i];
        if (any_match(g->include, g->ninclude, topic) && !any_match(g->exclude, g->nexclude, topic))
            return g;
    }
    return &tc->groups[tc->ngroups - 1];
}

static int remember(kc_topic_creation *tc, const char *topic)
{
    char **grown = realloc(tc->known, (tc->nknown + 1) * sizeof *grown);
    if (!grown)
        return -1;
    tc->known = grown;
    return (tc->known[tc->nknown] = strdup(topic)) ? (int)(tc->nknown++, 0) : -1;
}

int kc_topic_exists(rd_kafka_t *rk, const char *topic, kc_error *err)
{
    const struct rd_kafka_metadata *md = NULL;
    /* all topics: asking for one would make a broker with auto.create.topics.enable create it */
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 1, NULL, &md, TIMEOUT_MS);
    if (e)
        return kc_error_set(err, KC_ERR_UNREACHABLE, "Unable to list topics to create %s: %s", topic,
                            rd_kafka_err2str(e));
    int found = 0;
    for (int i = 0; i < md->topic_cnt && !found; i++)
        found = strcmp(md->topics[i].topic, topic) == 0 && md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR;
    rd_kafka_metadata_destroy(md);
    return found;
}

int kc_topic_create(rd_kafka_t *rk, const char *topic, int partitions, int replication, const kc_props *configs,
                    kc_error *err)
{
    char errstr[512];
    rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, partitions, replication, errstr, sizeof errstr);
    if (!nt)
        return kc_error_set(err, KC_ERR_INVALID, "Cannot create topic %s: %s", topic, errstr);
    for (size_t i = 0; configs && i < kc_props_count(configs); i++)
        rd_kafka_NewTopic_set_config(nt, kc_props_key_at(configs, i), kc_props_value_at(configs, i));
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
    rd_kafka_NewTopic_destroy(nt);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, TIMEOUT_MS + 5000);
    int rc = 0;
    if (!ev) {
        rc = kc_error_set(err, KC_ERR_TIMEOUT, "Timed out creating topic %s", topic);
    } else {
        size_t n = 0;
        const rd_kafka_CreateTopics_result_t *res = rd_kafka_event_CreateTopics_result(ev);
        const rd_kafka_topic_result_t **results = res ? rd_kafka_CreateTopics_result_topics(res, &n) : NULL;
        rd_kafka_resp_err_t e = rd_kafka_event_error(ev);
        if (!e && n)
            e = rd_kafka_topic_result_error(results[0]);
        if (e && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
            rc = kc_error_set(err, KC_ERR_IO, "Unable to create topic '%s': %s", topic,
                              n ? rd_kafka_topic_result_error_string(results[0]) : rd_kafka_event_error_string(ev));
        rd_kafka_event_destroy(ev);
    }
    rd_kafka_queue_destroy(q);
    return rc;
}

int kc_topic_creation_ensure(kc_topic_creation *tc, rd_kafka_t *rk, const char *topic, kc_error *err)
{
    if (!tc || !tc->enabled)
        return 0;
    for (size_t i = 0; i < tc->nknown; i++)
        if (strcmp(tc->known[i], topic) == 0)
            return 0;
    int exists = kc_topic_exists(rk, topic, err);
    if (exists < 0)
        return -1;
    if (!exists) {
        const group *g = group_for(tc, topic);
        if (kc_topic_create(rk, topic, g->partitions, g->replication, g->configs, err) != 0)
            return -1;
        kc_log(KC_LOG_INFO, LOGGER, "Created topic '%s' using creation group %s (partitions %d, replication "
                                    "factor %d)", topic, g->name, g->partitions, g->replication);
    }
    return remember(tc, topic) ? kc_error_set(err, KC_ERR_INTERNAL, "out of memory") : 0;
}
