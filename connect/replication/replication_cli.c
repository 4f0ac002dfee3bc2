/*
 * `kconnect replication ...`: a command-line client of a worker's /replications resource
 * (replications.h). One HTTP request per command (rest/client.h), the answer printed as indented
 * JSON on stdout; an error answer prints its message on stderr.
 * Exit status: 0 done (for `check`: the check passed), 1 the worker answered with an error (4xx/5xx:
 * a refused body, a failed check, an unknown name), 2 usage, 3 the worker could not be reached.
 * Threads: main thread only. Memory: everything is freed before returning.
 */
#include "connect/replication/replication_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rest/client.h"

#define DEFAULT_URL "http://localhost:8083"
#define CLI_TIMEOUT_MS 60000

static void cli_usage(FILE *out)
{
    fprintf(out,
            "Usage: kconnect replication [--url URL] COMMAND [ARGS]\n"
            "\n"
            "Manages the replication tasks of a kconnect cluster through any of its workers\n"
            "(default URL: $KCONNECT_URL, else " DEFAULT_URL ").\n"
            "\n"
            "Commands:\n"
            "  create FILE|-        create a replication from a JSON body (see README: Replication tasks)\n"
            "  update NAME FILE|-   change the safe fields of a replication (topics, tasks, compression, ...)\n"
            "  list                 every replication with its state\n"
            "  get NAME             a replication's settings (passwords hidden)\n"
            "  status NAME          per flow: connector and task states, replay bounds of synced groups\n"
            "  pause NAME | resume NAME | delete NAME\n"
            "  check FILE|-         check the peer settings of a JSON body: reachable brokers, TLS,\n"
            "                       authentication, latency, cluster id (within 10 s)\n"
            "\n"
            "Exit status: 0 done (check: passed), 1 the worker refused the request or the check failed,\n"
            "2 usage, 3 the worker could not be reached.\n");
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (n + 1 == cap) {
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    if (f != stdin)
        fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

/* Percent-encodes a name for the URL path (names are [A-Za-z0-9_-], but be safe). */
static void encode(const char *in, char *out, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)in; *c && n + 4 < size; c++) {
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
            *c == '_' || *c == '.') {
            out[n++] = (char)*c;
        } else {
            out[n++] = '%';
            out[n++] = hex[*c >> 4];
            out[n++] = hex[*c & 15];
        }
    }
    out[n] = '\0';
}

static int call(const char *method, const char *base, const char *path, const char *body, size_t body_len,
                bool is_check)
{
    char url[4096];
    size_t bl = strlen(base);
    snprintf(url, sizeof url, "%.*s%s", (int)(bl && base[bl - 1] == '/' ? bl - 1 : bl), base, path);
    const char *headers[] = {"Content-Type: application/json", "Accept: application/json", NULL};
    kc_http_response r;
    kc_error err;
    kc_error_clear(&err);
    if (kc_http_request(method, url, headers, body, body_len, NULL, CLI_TIMEOUT_MS, &r, &err) != 0) {
        fprintf(stderr, "kconnect: replication: %s %s: %s\n", method, url, err.msg);
        return 3;
    }
    int rc = r.status >= 400 ? 1 : 0;
    json_error_t jerr;
    json_t *j = r.body && r.body_len ? json_loads(r.body, 0, &jerr) : NULL;
    if (rc) {
        const char *msg = j ? json_string_value(json_object_get(j, "message")) : NULL;
        fprintf(stderr, "kconnect: replication: HTTP %d: %s\n", r.status, msg ? msg : r.body ? r.body : "");
    } else if (j) {
        if (is_check && json_is_string(json_object_get(j, "message")))
            printf("%s\n", json_string_value(json_object_get(j, "message")));
        char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (text)
            printf("%s\n", text);
        free(text);
    } else if (r.body && r.body_len) {
        printf("%s\n", r.body);
    }
    json_decref(j);
    kc_http_response_clear(&r);
    return rc;
}

int kc_replication_cli(int argc, char **argv)
{
    const char *base = getenv("KCONNECT_URL");
    if (!base || !*base)
        base = DEFAULT_URL;
    int i = 0;
    while (i < argc && strncmp(argv[i], "--", 2) == 0) {
        if (strcmp(argv[i], "--url") == 0 && i + 1 < argc) {
            base = argv[i + 1];
            i += 2;
        } else if (strcmp(argv[i], "--help") == 0) {
            cli_usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "kconnect: replication: unknown option '%s'\n", argv[i]);
            cli_usage(stderr);
            return 2;
        }
    }
    if (i >= argc) {
        cli_usage(stderr);
        return 2;
    }
    const char *cmd = argv[i++];
    int nargs = argc - i;
    char **args = argv + i;
    char path[1024], name[600];
    if ((strcmp(cmd, "create") == 0 || strcmp(cmd, "check") == 0) && nargs == 1) {
        size_t len = 0;
        char *body = read_all(args[0], &len);
        if (!body) {
            fprintf(stderr, "kconnect: replication: cannot read %s\n", args[0]);
            return 2;
        }
        bool check = strcmp(cmd, "check") == 0;
        int rc = call("POST", base, check ? "/replications/check" : "/replications", body, len, check);
        free(body);
        return rc;
    }
    if (strcmp(cmd, "update") == 0 && nargs == 2) {
        size_t len = 0;
        char *body = read_all(args[1], &len);
        if (!body) {
            fprintf(stderr, "kconnect: replication: cannot read %s\n", args[1]);
            return 2;
        }
        encode(args[0], name, sizeof name);
        snprintf(path, sizeof path, "/replications/%s", name);
        int rc = call("PUT", base, path, body, len, false);
        free(body);
        return rc;
    }
    if (strcmp(cmd, "list") == 0 && nargs == 0)
        return call("GET", base, "/replications", NULL, 0, false);
    static const struct {
        const char *cmd, *method, *suffix;
    } named[] = {
        {"get", "GET", ""},          {"status", "GET", "/status"}, {"pause", "PUT", "/pause"},
        {"resume", "PUT", "/resume"}, {"delete", "DELETE", ""},
    };
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        if (strcmp(cmd, named[k].cmd) == 0 && nargs == 1) {
            encode(args[0], name, sizeof name);
            snprintf(path, sizeof path, "/replications/%s%s", name, named[k].suffix);
            return call(named[k].method, base, path, NULL, 0, false);
        }
    }
    fprintf(stderr, "kconnect: replication: unknown command or wrong arguments: %s\n", cmd);
    cli_usage(stderr);
    return 2;
}
