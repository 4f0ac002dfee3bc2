/*
 * kconnect: the command line. Parses the sub-command and its arguments, runs it, and turns a
 * kc_error into one line on stderr and an exit status. Nothing below main prints and exits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/error.h"
#include "connect/api/log.h"
#include "connect/config/properties.h"
#include "connect/kafka/check_connection.h"
#include "connect/version.h"

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
    if (strcmp(cmd, "check-connection") == 0)
        return cmd_check_connection(argc - 2, argv + 2);
    fprintf(stderr, "kconnect: unknown command '%s' (try kconnect --help)\n", cmd);
    return EXIT_USAGE;
}
