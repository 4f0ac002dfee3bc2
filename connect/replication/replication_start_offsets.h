/*
 * Start offset "latest" of a replication task (mirrormaker2 spec 8.5): the Connect source offsets
 * that make each MirrorSource connector of the task begin at the end each selected partition has
 * when the task is created, while the consumer itself is set to `earliest`.
 *
 * Why not `auto.offset.reset=latest` (what Java MM2 and the product do): that applies to every
 * partition without a stored offset, also to topics and partitions that appear months later and to
 * a task restarted before its first offset commit, which then silently skip records (spec 7.8).
 * Stored offsets apply "latest" once, at creation; anything that appears afterwards is copied from
 * its first record. The offsets are ordinary Connect offsets in Java's format ([<connector>,
 * {"cluster","partition","topic"}] -> {"offset": end - 1}), so a Java worker taking the cluster
 * over starts at the same place. A partition whose end offset is 0 gets no offset (earliest is the
 * same). Offsets of partitions the connector will not replicate after all (its cycle rules, a topic
 * deleted meanwhile) are unused keys.
 *
 * Owns: nothing beyond one call; clients are created and closed within it.
 * Threads: blocking network calls (metadata and ListOffsets on each source cluster): never the
 * herder's event loop; the REST module calls it from its check thread.
 * Memory: *out is a new kc_offset_map the caller frees with kc_offset_map_free. Secrets: the client
 * props are used, never logged.
 */
#ifndef KC_REPLICATION_START_OFFSETS_H
#define KC_REPLICATION_START_OFFSETS_H

#include <stddef.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"
#include "connect/replication/replication_task.h"
#include "storage/offset_file.h"

/* For every source connector of conns: the offsets of every partition of its source cluster that
 * its topic filter (topics / topics.exclude of its config) selects. previous (an update; NULL on
 * creation): the connectors before the update; topics the source connector of the same name
 * already selected there are left out, so "latest" applies to topics an update adds and never
 * moves a running flow. client_of(alias) gives the client settings of the cluster with that alias
 * (borrowed; NULL fails the call). timeout_ms bounds each cluster's requests. 0 with *out (and
 * *partitions, the number of offsets), or -1 with err naming the cluster. */
typedef const kc_props *(*kc_replication_client_of)(void *ctx, const char *alias);
int kc_replication_start_offsets(const kc_replication_connectors *conns, const kc_replication_connectors *previous,
                                 kc_replication_client_of client_of, void *ctx, int timeout_ms, kc_offset_map **out,
                                 size_t *partitions, kc_error *err);

#endif
