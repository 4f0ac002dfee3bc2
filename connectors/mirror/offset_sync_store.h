/*
 * OffsetSyncStore: MirrorMaker 2's reading side of the offset-syncs topic and its offset
 * translation (Java's org.apache.kafka.connect.mirror.OffsetSyncStore, spec/mirrormaker2.md 3.4).
 *
 * Owns: per upstream topic-partition a fixed array of KC_OFFSET_SYNC_SLOTS (64) offset syncs kept at
 * exponentially growing upstream distances (Java's invariants A-D), copies of the topic names, and
 * the two start flags (readToEnd, initializationMustReadToEnd). Memory: about 1.6 KB per
 * topic-partition present in the offset-syncs topic, at most KC_OFFSET_SYNC_MAX_PARTITIONS of them.
 * Pure: no network and no logging; decoding the offset-sync record (spec 1.2) is the caller's.
 *
 * Every received sync gets its own identity (a store-wide sequence number): two records with the
 * same (upstream, downstream) are two entries, as Java compares OffsetSync references.
 *
 * Threads: any. One mutex guards the store: the offset-syncs consumer (Java's KafkaBasedLog thread)
 * calls kc_offset_sync_store_handle while the checkpoint task thread translates; a reader never
 * sees a half-updated array (Java gets the same from copy-on-write).
 *
 * Start sequence (Java's start(initializationMustReadToEnd) around backingStore.start()):
 *   kc_offset_sync_store_start_load(store, must)   -> flag set, readToEnd still false
 *   kc_offset_sync_store_handle(...) for every record of partition 0 up to the end offsets
 *   kc_offset_sync_store_mark_read_to_end(store)   -> translation becomes available
 *   kc_offset_sync_store_handle(...) for every later record (tailing)
 * must = !checkpointsLoadedOk: when true only the last sync of each partition survives the load.
 */
#ifndef KC_MIRROR_OFFSET_SYNC_STORE_H
#define KC_MIRROR_OFFSET_SYNC_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "connect/api/error.h"

#define KC_OFFSET_SYNC_SLOTS 64                  /* Java SYNCS_PER_PARTITION = Long.SIZE */
#define KC_OFFSET_SYNC_MAX_PARTITIONS (1u << 20) /* bound on distinct topic-partitions (kconnect) */

typedef struct kc_offset_sync_store kc_offset_sync_store_t;

/* Why a translation has (or has no) result. Java's OptionalLong maps as: NOT_READY and NO_SYNCS =
 * empty; BEFORE_SYNCS = of(-1); EXACT and AFTER_SYNC = of(downstream). */
typedef enum kc_translate_status {
    KC_TRANSLATE_NOT_READY = 0, /* initial read to end of the offset-syncs topic not finished */
    KC_TRANSLATE_NO_SYNCS,      /* no sync was ever received for this topic-partition */
    KC_TRANSLATE_BEFORE_SYNCS,  /* upstream offset before the earliest usable sync: Java's -1 */
    KC_TRANSLATE_EXACT,         /* upstream offset == the sync's upstream: its downstream offset */
    KC_TRANSLATE_AFTER_SYNC     /* upstream offset past the sync: the sync's downstream + 1 */
} kc_translate_status;

/* How far a consumer starting at the translated offset may re-read (kconnect extension). */
typedef enum kc_replay_kind {
    KC_REPLAY_NONE = 0, /* no translation (status < EXACT) */
    KC_REPLAY_EXACT,    /* the translated offset is the exact position: nothing re-read (bound 0) */
    KC_REPLAY_BOUNDED,  /* at most replay_bound records re-read (see below) */
    KC_REPLAY_UNKNOWN   /* the syncs do not bound it (latest sync, no downstream end given) */
} kc_replay_kind;

/*
 * Result of a translation.
 *
 * Replay bound. Let T be the translated offset and P the true position of the group downstream:
 * the offset at which the first record after the sync's record with an upstream offset >= the
 * group's offset was (or will be) written. The records at [T, P) are ones the group had already
 * consumed upstream; a consumer starting at T sees them again. The rule never gives T > P (no
 * skipped record). replay_bound is an upper bound of P - T derived from the syncs:
 *   EXACT    upstream == sync.upstream: P == T, bound 0.
 *   BOUNDED  upstream > sync.upstream, and the next more recent stored sync n (n.upstream >
 *            upstream, written at n.downstream, so P <= n.downstream) is at or above T, or a
 *            downstream_end (see kc_offset_sync_store_translate) was passed:
 *            bound = min(n.downstream, downstream_end) - T over the candidates present.
 *   UNKNOWN  the sync used is the latest one and no downstream end was passed; n lies below T
 *            (target truncated or recreated between the syncs); or downstream_end < T.
 * The bound assumes true syncs (record sync.upstream written at sync.downstream) and no target
 * truncation between the sync used and n. Old offsets get large bounds because the store keeps
 * exponentially sparser syncs further back (checklist item 46: a group at upstream 5050 gets
 * 6399). offset.lag.max is not a bound: it only spaces the syncs the writer emits, and syncs get
 * replaced while in flight, lost on send failures, promoted late, and evicted by this store.
 */
typedef struct kc_offset_translation {
    kc_translate_status status;
    int64_t downstream;      /* Java's value: the offset, or -1 (BEFORE_SYNCS); -1 when absent */
    int64_t sync_upstream;   /* the sync used (status >= BEFORE_SYNCS), else -1 */
    int64_t sync_downstream;
    kc_replay_kind replay_kind;
    int64_t replay_bound;    /* records; -1 unless EXACT (0) or BOUNDED */
} kc_offset_translation;

/* A new store: no partitions, readToEnd false, initializationMustReadToEnd true (Java's field
 * defaults). NULL with err filled when out of memory. Free with kc_offset_sync_store_free. */
kc_offset_sync_store_t *kc_offset_sync_store_new(kc_error *err);

/* Frees the store and everything it holds. NULL is a no-op. */
void kc_offset_sync_store_free(kc_offset_sync_store_t *store);

/* Java start(): sets initializationMustReadToEnd before the initial read begins. */
void kc_offset_sync_store_start_load(kc_offset_sync_store_t *store, bool initialization_must_read_to_end);

/* Java start(): the initial read reached the end offsets; translation is available from now on. */
void kc_offset_sync_store_mark_read_to_end(kc_offset_sync_store_t *store);

/* Java handleRecord: applies one offset sync (upstream topic, partition, upstream offset,
 * downstream offset) read from the offset-syncs topic, in topic order. topic is copied.
 * 0, or -1 (err filled, sync dropped) when out of memory or past KC_OFFSET_SYNC_MAX_PARTITIONS. */
int kc_offset_sync_store_handle(kc_offset_sync_store_t *store, const char *topic, int32_t partition,
                                int64_t upstream_offset, int64_t downstream_offset, kc_error *err);

/* Java translateDownstream: translates the upstream offset of a consumer group on the source
 * topic-partition. Fills *out; returns true when Java would return a value (status BEFORE_SYNCS,
 * EXACT or AFTER_SYNC), false for Java's empty result. Java's group argument only labels its debug
 * log lines and is not taken here.
 * downstream_end: the target partition's log end offset, or -1. Pass it only when every upstream
 * record below upstream_offset has already been replicated (the group is not ahead of the mirror,
 * e.g. a planned failover after the source's producers stopped and the mirror drained): every
 * re-read record is then already in the target log, so it caps the replay bound. A group ahead
 * of the mirror will also re-read records replicated later, which no log end bounds. */
bool kc_offset_sync_store_translate(kc_offset_sync_store_t *store, const char *topic, int32_t partition,
                                    int64_t upstream_offset, int64_t downstream_end, kc_offset_translation *out);

/* ---- inspection (tests, diagnostics) -------------------------------------------------------- */

/* Java syncFor: the sync at slot index (0..63) of a topic-partition. id is the sync's identity
 * (equal ids = the same received record). 0, or -1 when the partition has no syncs or index is out
 * of range. Any out pointer may be NULL. */
int kc_offset_sync_store_sync_at(kc_offset_sync_store_t *store, const char *topic, int32_t partition, int index,
                                 int64_t *upstream, int64_t *downstream, uint64_t *id);

/* Number of distinct syncs (by identity) held for a topic-partition; 0 when none. */
int kc_offset_sync_store_distinct(kc_offset_sync_store_t *store, const char *topic, int32_t partition);

/* Number of topic-partitions held. */
size_t kc_offset_sync_store_partitions(kc_offset_sync_store_t *store);

#endif
