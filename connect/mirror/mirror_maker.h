/*
 * `kconnect mirror mm2.properties [--clusters A B ...]`: MirrorMaker 2's dedicated mode (Java's
 * MirrorMaker / MirrorHerder). One process runs one distributed herder per source->target pair of
 * mirror_maker_config.h, each a full Connect worker against its target cluster (group S-mm2,
 * internal topics mm2-{configs,offsets,status}.S.internal, worker id "S->T"). Whenever a herder
 * becomes the group leader it makes sure the config topic holds the three connector configs
 * (MirrorSourceConnector, MirrorHeartbeatConnector, MirrorCheckpointConnector) the file describes,
 * writing those that differ. SIGTERM / SIGINT stop every herder (tasks stop, offsets are committed,
 * the groups are left).
 *
 * REST: none by default (Java exposes none either; the herders advertise "NOTUSED"). With
 * dedicated.mode.enable.internal.rest=true, or a top-level `listeners`, herder i (in the order of
 * mirror_maker_config.h) gets its own REST server on the top-level listeners with every port + i
 * (an ephemeral port 0 stays 0). Java serves one internal-only server with the paths
 * /{source}/{target}/connectors/...; our router has no path prefixes, so this is a deviation: each
 * server serves the whole Connect REST API of its herder, on its own port.
 *
 * Threads: kc_mirror_maker_run runs on main's thread, blocks SIGINT/SIGTERM for the whole process
 * (every thread it starts inherits the mask) and waits for them; the herders and REST servers run
 * their own threads. Memory: everything it builds is freed before it returns.
 */
#ifndef KC_MIRROR_MAKER_H
#define KC_MIRROR_MAKER_H

/* argv: the arguments after "mirror" (argc of them). Returns the process exit status: 0 after a
 * clean stop, 2 for bad arguments or configuration (including "No source->target replication
 * flows."), 3 when a target cluster cannot be reached, 1 for other start failures. Prints one line
 * on stderr on failure. */
int kc_mirror_maker_run(int argc, char **argv);

#endif
