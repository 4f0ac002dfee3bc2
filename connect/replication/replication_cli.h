/*
 * `kconnect replication create|update|list|get|status|pause|resume|delete|check ...`: the command
 * line over a worker's /replications REST resource (replications.h). Main thread; see the .c file
 * for the exit statuses.
 */
#ifndef KC_REPLICATION_REPLICATION_CLI_H
#define KC_REPLICATION_REPLICATION_CLI_H

#include <stdbool.h>

/* argv: the arguments after "replication". Returns the process exit status. */
int kc_replication_cli(int argc, char **argv);

#endif
