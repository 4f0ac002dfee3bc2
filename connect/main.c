/*
 * kconnect: the command line. Parses the sub-command and its arguments, runs it, and turns a
 * kc_error into one line on stderr and an exit status. Nothing below main prints and exits.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/error.h"
#include "connect/api/log.h"
#include "connect/config/connector_file.h"
#include "connect/config/properties.h"
#include "connect/herder/distributed.h"
#include "connect/herder/standalone.h"
#include "connect/herder/validation.h"
#include "connect/kafka/check_connection.h"
#include "connect/version.h"
#include "connect/worker/json_reader.h"
#include "connect/worker/offsets.h"
#include "connect/worker/plugin_loader.h"
#include "connect/worker/transforms.h"
#include "connect/worker/worker_config.h"
#include "connectors/file/file.h"
#include "connectors/verifiable/verifiable.h"
#include "connectors/mirror/mirror.h"
#include "connectors/mirror/mirror_checkpoint.h"
#include "connect/mirror/mirror_maker.h"
#include "connect/replication/replication_cli.h"
#include "rest/resources.h"
#include "rest/server.h"

enum {
    EXIT_OK = 0,
    EXIT_FAILED = 1,
    EXIT_USAGE = 2,       /* bad arguments or a bad configuration */
    EXIT_UNREACHABLE = 3, /* no broker answered, or no answer in time */
    EXIT_TLS = 4,
    EXIT_AUTH = 5
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: kconnect <command> [options]\n"
            "\n"
            "A Kafka Connect-compatible worker in C.\n"
            "\n"
            "Commands:\n"
            "  standalone worker.properties [connector.properties|connector.json ...]\n"
            "        Run a standalone worker (Java's connect-standalone.properties keys) with the\n"
            "        given connectors and the Kafka Connect REST API. SIGTERM/SIGINT stop it\n"
            "        gracefully (tasks stop, offsets are committed).\n"
            "  distributed worker.properties\n"
            "        Run a worker of a Connect cluster (Java's connect-distributed.properties keys:\n"
            "        group.id, config/offset/status.storage.topic, connect.protocol, ...). It joins\n"
            "        the group through Kafka's group coordinator, keeps its state in the three\n"
            "        internal topics with Java Connect's bytes and serves the REST API.\n"
            "  mirror mm2.properties [--clusters CLUSTER ...]\n"
            "        Run MirrorMaker 2 in dedicated mode (Java's connect-mirror-maker.sh and mm2.properties):\n"
            "        one distributed worker per source->target pair against its target cluster; with\n"
            "        --clusters, only the pairs whose target is listed. SIGTERM/SIGINT stop it gracefully.\n"
            "  replication [--url URL] create|update|list|get|status|pause|resume|delete|check ...\n"
            "        Manage replication tasks (cluster-to-cluster copies built on the MirrorMaker 2\n"
            "        connectors) through a worker's /replications REST resource; see\n"
            "        `kconnect replication --help`.\n"
            "  check-connection [--timeout-ms N] client.properties\n"
            "        Connect with Java client settings (bootstrap.servers, security.protocol,\n"
            "        sasl.mechanism, sasl.jaas.config, ssl.truststore.*, ...) and print the\n"
            "        cluster id and broker count, or one precise error. Default timeout %d ms.\n"
            "        Exit status: 0 connected, 2 bad configuration, 3 unreachable or timed out,\n"
            "        4 TLS failure, 5 authentication failed.\n"
            "\n"
            "Options:\n"
            "  --version   print kconnect's and librdkafka's versions\n"
            "  --help      print this help\n"
            "\n"
            "Environment: KC_LOG_LEVEL=ERROR|WARN|INFO|DEBUG|TRACE (default INFO).\n",
            KC_CHECK_DEFAULT_TIMEOUT_MS);
}

static int exit_status(const kc_error *err)
{
    switch (err->code) {
    case KC_ERR_INVALID: return EXIT_USAGE;
    case KC_ERR_IO: return EXIT_USAGE;
    case KC_ERR_UNREACHABLE: return EXIT_UNREACHABLE;
    case KC_ERR_TIMEOUT: return EXIT_UNREACHABLE;
    case KC_ERR_TLS: return EXIT_TLS;
    case KC_ERR_AUTH: return EXIT_AUTH;
    default: return EXIT_FAILED;
    }
}

static int parse_positive(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v <= 0 || v > 3600 * 1000)
        return -1;
    *out = (int)v;
    return 0;
}

static int cmd_check_connection(int argc, char **argv)
{
    int timeout_ms = KC_CHECK_DEFAULT_TIMEOUT_MS;
    const char *file = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--timeout-ms") == 0 && i + 1 < argc) {
            if (parse_positive(argv[++i], &timeout_ms) != 0) {
                fprintf(stderr, "kconnect: check-connection: --timeout-ms takes a number of "
                                "milliseconds from 1 to 3600000, not '%s'\n", argv[i]);
                return EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else if (argv[i][0] == '-' || file) {
            fprintf(stderr, "kconnect: check-connection: unexpected argument '%s'\n", argv[i]);
            return EXIT_USAGE;
        } else {
            file = argv[i];
        }
    }
    if (!file) {
        fprintf(stderr, "kconnect: check-connection: a client properties file is required\n");
        return EXIT_USAGE;
    }
    kc_error err;
    kc_error_clear(&err);
    kc_props *props = kc_props_new();
    if (!props || kc_props_load_file(props, file, &err) != 0) {
        fprintf(stderr, "kconnect: check-connection: %s\n", props ? err.msg : "out of memory");
        kc_props_free(props);
        return EXIT_USAGE;
    }
    kc_cluster_info info;
    /* this command prints the one precise error itself; the bridge's log line would repeat it */
    if (!getenv("KC_LOG_LEVEL")) {
        kc_logger_info unused[1];
        kc_log_set_level("kconnect.kafka.bridge", KC_LOG_OFF, 0, unused, 0);
    }
    int rc = kc_check_connection(props, timeout_ms, &info, &err);
    kc_props_free(props);
    if (rc != 0) {
        fprintf(stderr, "kconnect: check-connection: %s\n", err.msg);
        return exit_status(&err);
    }
    printf("connected to %s in %ld ms\n", info.bootstrap, info.elapsed_ms);
    printf("cluster id: %s\n", info.cluster_id[0] ? info.cluster_id : "(unknown)");
    printf("brokers: %d\n", info.broker_count);
    if (info.controller_id >= 0)
        printf("controller: %d\n", info.controller_id);
    return EXIT_OK;
}

/* SIGINT / SIGTERM are blocked in every thread (they inherit this mask); main waits for them with
 * sigwait. SIGPIPE is ignored (a REST client may go away mid-answer). */
static void block_stop_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* Every built-in plugin: the file, verifiable and MirrorMaker 2 connectors, the transformations and
 * predicates. Once, before any worker command starts a thread. */
static int register_builtins(kc_error *err)
{
    return kc_file_connectors_register(err) != 0 || kc_verifiable_connectors_register(err) != 0 ||
                   kc_mirror_connectors_register(err) != 0 || kc_mirror_checkpoint_heartbeat_register(err) != 0 ||
                   kc_transforms_register_builtins(err) != 0
               ? -1
               : 0;
}

/* What both worker modes do before their herder: load plugin.path, look up the Kafka cluster id
 * (GET /; Java fails without it) and build the REST server with the root and admin/loggers
 * resources. */
static int worker_setup(const kc_worker_config *wc, kc_rest_root_ctx *root, kc_rest_loggers_ctx *loggers,
                        kc_rest_server **rest, kc_error *err)
{
    size_t npath = 0;
    char *const *plugin_path = kc_config_get_list(wc->parsed, "plugin.path", &npath);
    if (plugin_path && kc_plugin_path_load(plugin_path, npath, err) < 0)
        return -1;
    kc_props *admin = kc_worker_config_admin_props_new(wc, "kconnect-cluster-id", err);
    kc_cluster_info info;
    int rc = admin ? kc_check_connection(admin, 30000, &info, err) : -1;
    kc_props_free(admin);
    if (rc != 0)
        return kc_error_prefix(err, "Failed to connect to and describe Kafka cluster");
    snprintf(root->kafka_cluster_id, sizeof root->kafka_cluster_id, "%s", info.cluster_id);
    kc_rest_config rc_conf;
    kc_worker_config_rest(wc, &rc_conf);
    if (!(*rest = kc_rest_server_new(&rc_conf, err)) || kc_rest_root_register(*rest, root, err) != 0 ||
        kc_rest_loggers_register(*rest, loggers, err) != 0 || kc_mirror_rest_register(*rest, err) != 0)
        return -1;
    return 0;
}

static int cmd_standalone(int argc, char **argv)
{
    if (argc < 1) {
        fprintf(stderr, "kconnect: standalone: usage: kconnect standalone worker.properties "
                        "[connector.properties|connector.json ...]\n");
        return EXIT_USAGE;
    }
    sigset_t stop_signals;
    block_stop_signals(&stop_signals);

    int status = EXIT_FAILED;
    kc_error err;
    kc_error_clear(&err);
    kc_props *worker_props = kc_props_new();
    kc_worker_config *wc = NULL;
    kc_offset_store *offsets = NULL;
    kc_rest_server *rest = NULL;
    kc_herder *herder = NULL;
    static kc_rest_root_ctx root;
    static kc_rest_loggers_ctx loggers;
    if (!worker_props || kc_props_load_file(worker_props, argv[0], &err) != 0 ||
        !(wc = kc_worker_config_new(KC_WORKER_STANDALONE, worker_props, NULL, &err))) {
        fprintf(stderr, "kconnect: standalone: %s\n", err.msg);
        status = EXIT_USAGE;
        goto out;
    }
    kc_log(KC_LOG_INFO, "kconnect", "kconnect %s (librdkafka %s) starting in standalone mode", KC_VERSION,
           rd_kafka_version_str());
    if (!(offsets = kc_offset_store_file_new(wc->offset_storage_file_filename, &err)) ||
        worker_setup(wc, &root, &loggers, &rest, &err) != 0)
        goto failed;
    /* the worker id is the advertised host:port, known once the server is bound; the herder's
     * routes must exist before it listens, so bind first with a placeholder herder id */
    if (!(herder = kc_standalone_herder_new(wc, offsets, "localhost", &err)) ||
        kc_standalone_herder_register_rest(herder, rest, &err) != 0 || kc_rest_server_start(rest, &err) != 0)
        goto failed;
    kc_standalone_herder_set_worker_id(herder, kc_rest_server_advertised_url(rest));
    if (kc_standalone_herder_start(herder, &err) != 0)
        goto failed;
    for (int i = 1; i < argc; i++) {
        kc_props *conn = kc_connector_file_load(argv[i], &err);
        if (!conn)
            goto failed;
        int errors = 0;
        kc_props *nulls = kc_props_new();
        json_t *infos = kc_validate_connector_config(conn, nulls, wc->connector_client_config_override_policy, &errors,
                                                     NULL, &err);
        kc_props_free(nulls);
        if (!infos || errors > 0) {
            if (infos) {
                char *msg = kc_validation_error_message(infos, errors);
                kc_error_set(&err, KC_ERR_INVALID, "%s", msg ? msg : "invalid connector configuration");
                free(msg);
                json_decref(infos);
            }
            kc_error_prefix(&err, "Failed to create connector for %s", argv[i]);
            kc_props_free(conn);
            goto failed;
        }
        json_decref(infos);
        int rc = kc_standalone_herder_put_connector(herder, conn, &err);
        kc_props_free(conn);
        if (rc != 0) {
            kc_error_prefix(&err, "Failed to create connector for %s", argv[i]);
            goto failed;
        }
    }
    kc_log(KC_LOG_INFO, "kconnect", "Kafka Connect started");
    int sig = 0;
    sigwait(&stop_signals, &sig);
    kc_log(KC_LOG_INFO, "kconnect", "Kafka Connect stopping (signal %d)", sig);
    status = EXIT_OK;
    goto out;
failed:
    fprintf(stderr, "kconnect: standalone: %s\n", err.msg);
    kc_log(KC_LOG_ERROR, "kconnect", "Stopping after connector error: %s", err.msg);
out:
    kc_rest_server_stop(rest);
    kc_standalone_herder_stop(herder);
    kc_standalone_herder_free(herder);
    kc_rest_server_free(rest);
    kc_offset_store_free(offsets);
    kc_worker_config_free(wc);
    kc_props_free(worker_props);
    if (status == EXIT_OK)
        kc_log(KC_LOG_INFO, "kconnect", "Kafka Connect stopped");
    return status;
}

static int cmd_distributed(int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "kconnect: distributed: usage: kconnect distributed worker.properties\n");
        return EXIT_USAGE;
    }
    sigset_t stop_signals;
    block_stop_signals(&stop_signals);

    int status = EXIT_FAILED;
    kc_error err;
    kc_error_clear(&err);
    kc_props *worker_props = kc_props_new();
    kc_worker_config *wc = NULL;
    kc_rest_server *rest = NULL;
    kc_herder *herder = NULL;
    static kc_rest_root_ctx root;
    static kc_rest_loggers_ctx loggers;
    if (!worker_props || kc_props_load_file(worker_props, argv[0], &err) != 0 ||
        !(wc = kc_worker_config_new(KC_WORKER_DISTRIBUTED, worker_props, NULL, &err))) {
        fprintf(stderr, "kconnect: distributed: %s\n", err.msg);
        status = EXIT_USAGE;
        goto out;
    }
    if (wc->exactly_once_source_support != KC_WORKER_EOS_DISABLED) {
        fprintf(stderr, "kconnect: distributed: Invalid value %s for configuration exactly.once.source.support: "
                        "kconnect runs without exactly-once source support; use disabled\n",
                kc_props_get(wc->originals, "exactly.once.source.support"));
        status = EXIT_USAGE;
        goto out;
    }
    kc_log(KC_LOG_INFO, "kconnect", "kconnect %s (librdkafka %s) starting in distributed mode, group %s", KC_VERSION,
           rd_kafka_version_str(), wc->group_id);
    if (worker_setup(wc, &root, &loggers, &rest, &err) != 0)
        goto failed;
    if (!(herder = kc_distributed_herder_new(wc, &err)) || kc_distributed_herder_register_rest(herder, rest, &err) != 0)
        goto failed;
    loggers.set_cluster_level = kc_distributed_herder_set_cluster_logger; /* before the REST thread starts */
    loggers.opaque = herder;
    if (kc_rest_server_start(rest, &err) != 0)
        goto failed;
    kc_distributed_herder_set_url(herder, kc_rest_server_advertised_url(rest));
    if (kc_distributed_herder_start(herder, &err) != 0)
        goto failed;
    kc_log(KC_LOG_INFO, "kconnect", "Kafka Connect started");
    int sig = 0;
    sigwait(&stop_signals, &sig);
    kc_log(KC_LOG_INFO, "kconnect", "Kafka Connect stopping (signal %d)", sig);
    status = EXIT_OK;
    goto out;
failed:
    fprintf(stderr, "kconnect: distributed: %s\n", err.msg);
    kc_log(KC_LOG_ERROR, "kconnect", "Stopping: %s", err.msg);
out:
    kc_rest_server_stop(rest);
    kc_distributed_herder_stop(herder);
    kc_distributed_herder_free(herder);
    kc_rest_server_free(rest);
    kc_worker_config_free(wc);
    kc_props_free(worker_props);
    if (status == EXIT_OK)
        kc_log(KC_LOG_INFO, "kconnect", "Kafka Connect stopped");
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("kconnect %s (librdkafka %s)\n", KC_VERSION, rd_kafka_version_str());
        return EXIT_OK;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "standalone") == 0 || strcmp(cmd, "distributed") == 0 || strcmp(cmd, "mirror") == 0) {
        kc_error err;
        kc_error_clear(&err);
        if (register_builtins(&err) != 0) {
            fprintf(stderr, "kconnect: %s: %s\n", cmd, err.msg);
            return EXIT_FAILED;
        }
    }
    if (strcmp(cmd, "standalone") == 0)
        return cmd_standalone(argc - 2, argv + 2);
    if (strcmp(cmd, "distributed") == 0)
        return cmd_distributed(argc - 2, argv + 2);
    if (strcmp(cmd, "mirror") == 0)
        return kc_mirror_maker_run(argc - 2, argv + 2);
    if (strcmp(cmd, "check-connection") == 0)
        return cmd_check_connection(argc - 2, argv + 2);
    if (strcmp(cmd, "replication") == 0)
        return kc_replication_cli(argc - 2, argv + 2);
    fprintf(stderr, "kconnect: unknown command '%s' (try kconnect --help)\n", cmd);
    return EXIT_USAGE;
}
