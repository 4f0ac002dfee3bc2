/* Shared by the eager and cooperative assignors (assignor.c, assignor_coop.c). Not public. */
#ifndef KC_CLUSTER_ASSIGNOR_INTERNAL_H
#define KC_CLUSTER_ASSIGNOR_INTERNAL_H

#include "connect/cluster/assignor.h"

/* The §5.1 preamble. Returns 0 with *snap (the snapshot to assign from), *offset and *leader_url
 * (borrowed), 1 when the group must be told CONFIG_MISMATCH (*mismatch = a new array of such
 * assignments, one per member), or -1 with err. */
int kc__cp_preamble(const kc_cp_assign_input *in, const kc_cp_snapshot **snap, int64_t *offset,
                    const char **leader_url, kc_cp_assignment **mismatch, kc_error *err);

/* Sets the header fields of a (copies of leader and url). 0, or -1 with err. */
int kc__cp_header(kc_cp_assignment *a, int16_t version, int16_t error, const char *leader, const char *url,
                  int64_t offset, kc_error *err);

/* A new array of the member indexes sorted by member id (Java order); NULL when out of memory. */
size_t *kc__cp_sorted_members(const kc_cp_assign_input *in);

#endif
