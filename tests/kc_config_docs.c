/*
 * kc_config_docs: prints the generated configuration reference (Markdown) of the worker or of the
 * base connector keys, to stdout or into a file. The `kc_docs` build target runs it to refresh
 * doc/config-worker.md and doc/config-connector.md; unit_worker_config checks they are current.
 *
 *   kc_config_docs worker|connector [output-file]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/worker/connector_config.h"
#include "connect/worker/worker_config.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3 || (strcmp(argv[1], "worker") != 0 && strcmp(argv[1], "connector") != 0)) {
        fprintf(stderr, "usage: kc_config_docs worker|connector [output-file]\n");
        return 2;
    }
    char *doc = strcmp(argv[1], "worker") == 0 ? kc_worker_config_docs_new() : kc_connector_config_docs_new();
    if (!doc) {
        fprintf(stderr, "kc_config_docs: out of memory\n");
        return 1;
    }
    FILE *out = argc == 3 ? fopen(argv[2], "w") : stdout;
    if (!out) {
        perror(argv[2]);
        free(doc);
        return 1;
    }
    int failed = fputs(doc, out) < 0;
    if (out != stdout)
        failed |= fclose(out) != 0;
    free(doc);
    if (failed) {
        fprintf(stderr, "kc_config_docs: cannot write %s\n", argc == 3 ? argv[2] : "stdout");
        return 1;
    }
    return 0;
}
