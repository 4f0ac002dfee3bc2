/*
 * MirrorMaker 2 dedicated mode: one distributed herder per source->target pair. See mirror_maker.h.
 */
#include "connect/mirror/mirror_maker.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/error.h"
#include "connect/api/log.h"
#include "connect/config/config_def.h"
#include "connect/config/properties.h"
#include "connect/herder/distributed.h"
#include "connect/herder/standalone.h"
#include "connect/herder/validation.h"
#include "connect/kafka/check_connection.h"
#include "connect/mirror/mirror_maker_config.h"
#include "connect/version.h"
#include "connect/worker/plugin_loader.h"
#include "connect/worker/worker_config.h"
#include "rest/resources.h"
#include "rest/server.h"

#define LOGGER "org.apache.kafka.connect.mirror.MirrorMaker"

enum { MM_OK = 0, MM_FAILED = 1, MM_USAGE = 2, MM_UNREACHABLE = 3 };

#define MM_LEADER_CHECK_MS 100 /* leadership is polled: at 500 ms it was ~0.4 s of the first record's 3.6 s */

/* One source->target herder and what it needs (main thread). */
typedef struct mm_node {
    const kc_mm2_herder *cfg;              /* borrowed from the kc_mm2_config */
    kc_worker_config *wc;
    kc_rest_root_ctx root;                 /* GET / of its REST server */
    kc_rest_server *rest;                  /* NULL without internal REST */
    char *listeners;                       /* its REST listeners (owned) */
    kc_herder *herder;
    bool started;
    bool was_leader;
    bool valid[KC_MM2_CONNECTOR_COUNT];    /* the connector config passed validation */
} mm_node;

static void usage_line(void)
{
    fprintf(stderr, "kconnect: mirror: usage: kconnect mirror mm2.properties [--clusters CLUSTER ...]\n");
}

/* Parses `mm2.properties [--clusters A B ...]` (the option may come first). targets point into argv. */
static int parse_args(int argc, char **argv, const char **file, char ***targets, size_t *ntargets)
{
    *file = NULL;
    *ntargets = 0;
    *targets = calloc((size_t)argc + 1, sizeof **targets);
    if (!*targets)
        return -1;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--clusters") == 0) {
            size_t before = *ntargets;
            while (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0 &&
                   (*file || i + 2 < argc || *ntargets == before))
                (*targets)[(*ntargets)++] = argv[++i];
            if (*ntargets == before) {
                fprintf(stderr, "kconnect: mirror: argument --clusters: expected at least one argument\n");
                return -1;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "kconnect: mirror: unrecognized argument '%s'\n", argv[i]);
            return -1;
        } else if (*file) {
            fprintf(stderr, "kconnect: mirror: unrecognized argument '%s'\n", argv[i]);
            return -1;
        } else {
            *file = argv[i];
        }
    }
    if (!*file) {
        usage_line();
        return -1;
    }
    return 0;
}

/* The listener list with every port + offset ("http://:8083,https://h:9443" -> ":8084", ":9444");
 * a port 0 stays 0. New string, or NULL with err. */
static char *offset_listeners(const char *list, int offset, kc_error *err)
{
    size_t cap = strlen(list) + 64;
    char *out = calloc(1, cap);
    if (!out) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        char item[512];
        if (n >= sizeof item)
            goto bad;
        memcpy(item, p, n);
        item[n] = '\0';
        char *s = item;
        while (*s == ' ' || *s == '\t')
            s++;
        size_t len = strlen(s);
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            s[--len] = '\0';
        if (*s) {
            char *colon = strrchr(s, ':');
            char *end = NULL;
            long port = colon ? strtol(colon + 1, &end, 10) : -1;
            if (!colon || colon == s || colon[-1] == '/' || !end || *end || end == colon + 1 || port < 0 ||
                port + offset > 65535)
                goto bad;
            *colon = '\0';
            size_t used = strlen(out);
            snprintf(out + used, cap - used, "%s%s:%ld", used ? "," : "", s, port ? port + offset : 0);
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return out;
bad:
    free(out);
    kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration listeners: each listener must be "
                 "protocol://host:port", list);
    return NULL;
}

/* Builds node's worker config, checks its target cluster (Java reads the Kafka cluster id of every
 * herder's cluster at construction) and validates its connector configs. */
static int node_prepare(mm_node *n, const kc_props *top, bool rest, int index, kc_error *err)
{
    const kc_mm2_herder *c = n->cfg;
    if (!(n->wc = kc_worker_config_new(KC_WORKER_DISTRIBUTED, c->worker, NULL, err)))
        return kc_error_prefix(err, "herder %s", c->flow);
    if (n->wc->exactly_once_source_support != KC_WORKER_EOS_DISABLED)
        return kc_error_set(err, KC_ERR_INVALID, "herder %s: Invalid value %s for configuration "
                            "exactly.once.source.support: kconnect runs without exactly-once source support; "
                            "use disabled", c->flow, kc_props_get(n->wc->originals, "exactly.once.source.support"));
    kc_props *admin = kc_worker_config_admin_props_new(n->wc, "kconnect-cluster-id", err);
    kc_cluster_info info;
    int rc = admin ? kc_check_connection(admin, 30000, &info, err) : -1;
    kc_props_free(admin);
    if (rc != 0)
        return kc_error_prefix(err, "herder %s: Failed to connect to and describe Kafka cluster %s", c->flow, c->target);
    snprintf(n->root.kafka_cluster_id, sizeof n->root.kafka_cluster_id, "%s", info.cluster_id);
    for (int k = 0; k < KC_MM2_CONNECTOR_COUNT; k++) {
        int errors = 0;
        kc_error verr;
        kc_error_clear(&verr);
        json_t *infos = kc_validate_connector_config(c->connectors[k], NULL,
                                                     n->wc->connector_client_config_override_policy, &errors, NULL,
                                                     &verr);
        if (!infos || errors > 0) {
            char *msg = infos ? kc_validation_error_message(infos, errors) : NULL;
            kc_log(KC_LOG_ERROR, LOGGER, "Failed to configure %s connector for %s: %s",
                   kc_mirror_maker_connector_name((kc_mm2_connector)k), c->flow, msg ? msg : verr.msg);
            free(msg);
        } else {
            n->valid[k] = true;
        }
        json_decref(infos);
    }
    if (!rest)
        return 0;
    const char *listeners = kc_props_get(top, "listeners");
    if (!(n->listeners = offset_listeners(listeners ? listeners : "http://:8083", index, err)))
        return -1;
    kc_rest_config rc_conf;
    kc_worker_config_rest(n->wc, &rc_conf);
    rc_conf.listeners = n->listeners;
    rc_conf.admin_listeners = "";  /* internal use only: no admin endpoints */
    rc_conf.advertised_host = kc_props_get(top, "rest.advertised.host.name");
    rc_conf.advertised_port = -1;
    if (!(n->rest = kc_rest_server_new(&rc_conf, err)) || kc_rest_root_register(n->rest, &n->root, err) != 0)
        return kc_error_prefix(err, "herder %s", c->flow);
    return 0;
}

static int node_start(mm_node *n, kc_error *err)
{
    const kc_mm2_herder *c = n->cfg;
    kc_log(KC_LOG_INFO, LOGGER, "creating herder for %s", c->flow);
    if (!(n->herder = kc_distributed_herder_new(n->wc, err)))
        return kc_error_prefix(err, "herder %s", c->flow);
    if (n->rest) {
        if (kc_distributed_herder_register_rest(n->herder, n->rest, err) != 0 || kc_rest_server_start(n->rest, err) != 0)
            return kc_error_prefix(err, "herder %s", c->flow);
        kc_distributed_herder_set_url(n->herder, kc_rest_server_advertised_url(n->rest));
        kc_log(KC_LOG_INFO, LOGGER, "herder %s: internal REST server at %s", c->flow,
               kc_rest_server_advertised_url(n->rest));
    } else {
        kc_distributed_herder_set_url(n->herder, "NOTUSED");
    }
    kc_standalone_herder_set_worker_id(n->herder, c->flow); /* Java: workerId = sourceAndTarget.toString() */
    if (kc_distributed_herder_start(n->herder, err) != 0)
        return kc_error_prefix(err, "herder %s", c->flow);
    n->started = true;
    return 0;
}

/* MirrorHerder.rebalanceSuccess: on becoming leader, configure the connectors. */
static void node_check_leader(mm_node *n)
{
    bool leader = kc_distributed_herder_is_leader(n->herder);
    if (leader && !n->was_leader) {
        kc_log(KC_LOG_INFO, LOGGER, "This node %s is now a leader for %s. Configuring connectors...", n->cfg->flow,
               n->cfg->flow);
        for (int k = 0; k < KC_MM2_CONNECTOR_COUNT; k++) {
            if (!n->valid[k])
                continue;
            kc_error err;
            kc_error_clear(&err);
            if (kc_distributed_herder_put_connector_if_leader(n->herder,
                                                              kc_mirror_maker_connector_name((kc_mm2_connector)k),
                                                              n->cfg->connectors[k], &err) != 0)
                kc_log(KC_LOG_WARN, LOGGER, "Cannot configure %s for %s: %s",
                       kc_mirror_maker_connector_name((kc_mm2_connector)k), n->cfg->flow, err.msg);
        }
    }
    n->was_leader = leader;
}

static int status_for(const kc_error *err)
{
    switch (err->code) {
    case KC_ERR_INVALID:
    case KC_ERR_IO: return MM_USAGE;
    case KC_ERR_UNREACHABLE:
    case KC_ERR_TIMEOUT: return MM_UNREACHABLE;
    default: return MM_FAILED;
    }
}

int kc_mirror_maker_run(int argc, char **argv)
{
    const char *file = NULL;
    char **targets = NULL;
    size_t ntargets = 0;
    if (parse_args(argc, argv, &file, &targets, &ntargets) != 0) {
        free(targets);
        return MM_USAGE;
    }
    /* SIGINT / SIGTERM blocked in every thread (they inherit the mask); waited for below */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    int status = MM_FAILED;
    kc_error err;
    kc_error_clear(&err);
    kc_props *props = kc_props_new();
    kc_mm2_config *cfg = NULL;
    mm_node *nodes = NULL;
    size_t count = 0;
    if (!props || kc_props_load_file(props, file, &err) != 0 ||
        !(cfg = kc_mirror_maker_config_new(props, targets, ntargets, &err))) {
        fprintf(stderr, "kconnect: mirror: %s\n", props ? err.msg : "out of memory");
        status = MM_USAGE;
        goto out;
    }
    bool rest = cfg->enable_internal_rest || kc_props_get(props, "listeners") != NULL;
    kc_log(KC_LOG_INFO, LOGGER, "kconnect %s (librdkafka %s): Kafka MirrorMaker initializing with %zu herders%s",
           KC_VERSION, rd_kafka_version_str(), cfg->herder_count, rest ? " and internal REST" : "");
    /* the built-in plugins are registered by main before any command runs */
    size_t npath = 0;
    nodes = calloc(cfg->herder_count, sizeof *nodes);
    if (!nodes) {
        kc_error_set(&err, KC_ERR_INTERNAL, "out of memory");
        goto failed;
    }
    count = cfg->herder_count;
    for (size_t i = 0; i < count; i++) {
        nodes[i].cfg = &cfg->herders[i];
        if (node_prepare(&nodes[i], props, rest, (int)i, &err) != 0)
            goto failed;
        if (i == 0) { /* plugin.path of the first herder (Java: per herder; one plugin registry here) */
            char *const *plugin_path = kc_config_get_list(nodes[0].wc->parsed, "plugin.path", &npath);
            if (plugin_path && kc_plugin_path_load(plugin_path, npath, &err) < 0)
                goto failed;
        }
    }
    kc_log(KC_LOG_INFO, LOGGER, "Kafka MirrorMaker starting with %zu herders.", count);
    for (size_t i = 0; i < count; i++)
        if (node_start(&nodes[i], &err) != 0)
            goto failed;
    kc_log(KC_LOG_INFO, LOGGER, "Configuring connectors will happen once the worker joins the group as a leader");
    kc_log(KC_LOG_INFO, LOGGER, "Kafka MirrorMaker started");
    struct timespec wait = {MM_LEADER_CHECK_MS / 1000, (MM_LEADER_CHECK_MS % 1000) * 1000000L};
    int sig;
    for (;;) {
        for (size_t i = 0; i < count; i++)
            node_check_leader(&nodes[i]);
        sig = sigtimedwait(&stop_signals, NULL, &wait);
        if (sig == SIGINT || sig == SIGTERM)
            break;
    }
    kc_log(KC_LOG_INFO, LOGGER, "Kafka MirrorMaker stopping (signal %d)", sig);
    status = MM_OK;
    goto out;
failed:
    fprintf(stderr, "kconnect: mirror: %s\n", err.msg);
    kc_log(KC_LOG_ERROR, LOGGER, "Stopping due to error: %s", err.msg);
    status = status_for(&err);
out:
    for (size_t i = 0; i < count; i++)
        kc_rest_server_stop(nodes[i].rest);
    for (size_t i = 0; i < count; i++)
        kc_distributed_herder_stop(nodes[i].herder);
    for (size_t i = 0; i < count; i++) {
        kc_distributed_herder_free(nodes[i].herder);
        kc_rest_server_free(nodes[i].rest);
        kc_worker_config_free(nodes[i].wc);
        free(nodes[i].listeners);
    }
    free(nodes);
    kc_mirror_maker_config_free(cfg);
    kc_props_free(props);
    free(targets);
    if (status == MM_OK)
        kc_log(KC_LOG_INFO, LOGGER, "Kafka MirrorMaker stopped.");
    return status;
}
