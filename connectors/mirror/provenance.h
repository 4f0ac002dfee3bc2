/*
 * The provenance header of MirrorSource (spec/mirrormaker2.md 8.4, a kconnect extension): the one
 * place that knows the header name `kc.mm2.origin`, its format and the rule that stops cycles with
 * identity naming (IdentityReplicationPolicy in active/active, rings, meshes).
 *
 * Format: UTF-8 text, Kafka cluster ids joined with ',' in hop order (first: the cluster the record
 * was produced on; then every cluster it was replicated to).
 * Rule, for a record polled by the source task of flow S->T (cluster ids idS, idT):
 *   chain = the value of the LAST kc.mm2.origin header split on ','; no such header -> [idS];
 *   when the last element of chain is not idS (the hop into S did not append itself, e.g. Java MM2),
 *   idS is appended;
 *   idT in chain -> DROP (the record was produced on, or already passed through, the target);
 *   else FORWARD with every other header unchanged and in order, every kc.mm2.origin header removed
 *   and one kc.mm2.origin = chain + "," + idT appended last.
 * Choices where 8.4 is silent: a header with a null or an empty value counts as an empty chain (so
 * the result is as without a header: [idS]); elements are compared byte for byte, nothing is
 * trimmed; an empty element (",," in a malformed value) is kept as is and never equals an id.
 *
 * Memory: nothing here allocates except kc_provenance_copy_headers (one kc_value and one key copy
 * per header it adds, as any header of a record). The new value is written into a caller's buffer.
 * Threads: pure functions, any thread.
 */
#ifndef KC_CONNECTORS_MIRROR_PROVENANCE_H
#define KC_CONNECTORS_MIRROR_PROVENANCE_H

#include <stdbool.h>
#include <stddef.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/record.h"

#define KC_PROVENANCE_HEADER "kc.mm2.origin"
#define KC_PROVENANCE_ENABLED_CONFIG "kc.provenance.header.enabled"
#define KC_PROVENANCE_ENABLED_DEFAULT "false"
#define KC_PROVENANCE_ENABLED_DOC                                                                              \
    "kconnect extension: add the provenance header kc.mm2.origin (the cluster ids a record went through) to "  \
    "every replicated record and drop records that already passed through the target cluster, which stops "    \
    "replication cycles with any naming policy (e.g. IdentityReplicationPolicy both ways). Off: records are "  \
    "copied unchanged."

typedef enum kc_provenance_verdict {
    KC_PROVENANCE_FORWARD = 0, /* produce the record with the new header value */
    KC_PROVENANCE_DROP = 1     /* idT is in the chain: do not produce it */
} kc_provenance_verdict;

/* True when name is the provenance header's (exact, case-sensitive). */
bool kc_provenance_is_header(const char *name);

/* The rule above on the value of the last kc.mm2.origin header: origin (origin_len bytes, need not
 * be NUL-terminated) or NULL when the record has none. id_source / id_target: NUL-terminated
 * cluster ids. FORWARD: *value_len is the length of the new value (not NUL-terminated); it is
 * written to buf only when *value_len <= cap, else buf is untouched and the caller calls again
 * with a buffer of at least *value_len bytes. DROP: buf and *value_len are untouched. */
kc_provenance_verdict kc_provenance_decide_value(const char *origin, size_t origin_len, const char *id_source,
                                                 const char *id_target, char *buf, size_t cap, size_t *value_len);

/* kc_provenance_decide_value on the last kc.mm2.origin header of hdrs (borrowed; NULL: no headers). */
kc_provenance_verdict kc_provenance_decide(const rd_kafka_headers_t *hdrs, const char *id_source,
                                           const char *id_target, char *buf, size_t cap, size_t *value_len);

/* Appends the headers of in (borrowed, may be NULL) to out in order as BYTES headers, leaving out
 * every kc.mm2.origin header, then one kc.mm2.origin header holding value (value_len bytes, copied).
 * 0, or -1 when out of memory (out then holds part of the headers; the caller frees the record). */
int kc_provenance_copy_headers(const rd_kafka_headers_t *in, const char *value, size_t value_len, kc_headers *out);

#endif
