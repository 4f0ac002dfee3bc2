/*
 * The records MirrorMaker 2 keeps in its internal topics, byte for byte as Kafka 4.3.1 writes them
 * (OffsetSync of connect/mirror; Checkpoint and Heartbeat of connect/mirror-client), and the
 * Connect source partitions / offsets of its three connectors (MirrorUtils.wrapPartition,
 * Checkpoint.connectPartition, Heartbeat.connectPartition, MirrorUtils.wrapOffset) with the checks
 * of their alterOffsets.
 *
 * Encoding: Kafka's protocol Struct, fields concatenated in schema order, big-endian integers, a
 * STRING as an INT16 byte length then UTF-8 (at most 32767 bytes), no framing:
 *   OffsetSync  key   topic STRING, partition INT32          (offset-syncs topic)
 *               value upstreamOffset INT64, offset INT64     (no version)
 *   Checkpoint  key   group STRING, topic STRING, partition INT32   (checkpoints topic; topic is
 *                     the target-side name)
 *               value version INT16 (0), upstreamOffset INT64, offset INT64, metadata STRING
 *   Heartbeat   key   sourceClusterAlias STRING, targetClusterAlias STRING
 *               value version INT16 (0), timestamp INT64
 * Decoding is Java's Schema.read: every field is bounds-checked (a short buffer, a negative or
 * overlong string length is an error naming the record, the part and the field, with Java's texts
 * "Error reading string of length 7, only 5 bytes available" / "String length -1 cannot be
 * negative"); bytes after the last field are ignored (forward compatibility). The version of a
 * Checkpoint or Heartbeat is returned but, as in Java (whose version check is an assert, off in
 * production), any version is read with the version-0 layout.
 * Differences from Java: a decoded string holding a NUL byte is refused (C strings cannot carry
 * it; Kafka topic names cannot contain one); malformed UTF-8 is kept as is, where Java substitutes
 * U+FFFD. An absent (NULL) key or value is an error.
 *
 * Memory: encoders fill kc_mirror_bytes with malloc'd bytes (kc_mirror_bytes_clear frees them);
 * decoders fill a struct whose strings are malloc'd (the matching _clear frees them; on failure
 * nothing is left to free). The structs are plain: to encode, point the string fields at the
 * caller's strings (they are only read). kc_value results are new (kc_value_free).
 * Threads: pure functions, any thread.
 */
#ifndef KC_CONNECTORS_MIRROR_MIRROR_RECORDS_H
#define KC_CONNECTORS_MIRROR_MIRROR_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connect/api/data.h"
#include "connect/api/error.h"

#define KC_MIRROR_CHECKPOINT_VERSION 0
#define KC_MIRROR_HEARTBEAT_VERSION 0
#define KC_MIRROR_STRING_MAX 32767 /* Short.MAX_VALUE: the longest STRING in bytes */

typedef struct kc_mirror_bytes {
    unsigned char *data;
    size_t len;
} kc_mirror_bytes;

/* Frees b->data and zeroes b. b may be NULL. */
void kc_mirror_bytes_clear(kc_mirror_bytes *b);

/* ---- OffsetSync ----------------------------------------------------------------------------- */

typedef struct kc_mirror_offset_sync {
    char *topic; /* the source (upstream) topic */
    int32_t partition;
    int64_t upstream_offset;
    int64_t downstream_offset;
} kc_mirror_offset_sync;

/* Key and value bytes. -1 with err (KC_ERR_INVALID) for a NULL or over-long topic, or OOM; key and
 * value are then empty. */
int kc_mirror_offset_sync_encode(const kc_mirror_offset_sync *s, kc_mirror_bytes *key, kc_mirror_bytes *value,
                                 kc_error *err);
/* OffsetSync.deserializeRecord. -1 with err (KC_ERR_INVALID) on malformed bytes. */
int kc_mirror_offset_sync_decode(const void *key, size_t key_len, const void *value, size_t value_len,
                                 kc_mirror_offset_sync *out, kc_error *err);
void kc_mirror_offset_sync_clear(kc_mirror_offset_sync *s);

/* ---- Checkpoint ----------------------------------------------------------------------------- */

typedef struct kc_mirror_checkpoint {
    char *group;
    char *topic; /* downstream (target-cluster) topic */
    int32_t partition;
    int64_t upstream_offset;
    int64_t downstream_offset;
    char *metadata; /* never NULL when encoding: "" when the commit had none */
    int16_t version; /* decode: the version read; encode always writes 0 */
} kc_mirror_checkpoint;

int kc_mirror_checkpoint_encode(const kc_mirror_checkpoint *c, kc_mirror_bytes *key, kc_mirror_bytes *value,
                                kc_error *err);
int kc_mirror_checkpoint_decode(const void *key, size_t key_len, const void *value, size_t value_len,
                                kc_mirror_checkpoint *out, kc_error *err);
void kc_mirror_checkpoint_clear(kc_mirror_checkpoint *c);

/* ---- Heartbeat ------------------------------------------------------------------------------ */

typedef struct kc_mirror_heartbeat {
    char *source_alias;
    char *target_alias;
    int64_t timestamp; /* epoch ms; also the record's timestamp */
    int16_t version;   /* decode: the version read; encode always writes 0 */
} kc_mirror_heartbeat;

int kc_mirror_heartbeat_encode(const kc_mirror_heartbeat *h, kc_mirror_bytes *key, kc_mirror_bytes *value,
                               kc_error *err);
int kc_mirror_heartbeat_decode(const void *key, size_t key_len, const void *value, size_t value_len,
                               kc_mirror_heartbeat *out, kc_error *err);
void kc_mirror_heartbeat_clear(kc_mirror_heartbeat *h);

/* ---- Connect source partitions and offsets -------------------------------------------------- */

/* MirrorSourceConnector: {"cluster": source alias, "partition": INT32, "topic": source topic}.
 * Entries are in Java's HashMap order (what the offsets topic key holds). NULL when out of memory. */
kc_value *kc_mirror_source_partition_new(const char *source_alias, const char *topic, int32_t partition);
/* MirrorCheckpointConnector: {"partition": INT32, "topic": target topic, "group": group}. */
kc_value *kc_mirror_checkpoint_partition_new(const char *group, const char *topic, int32_t partition);
/* MirrorHeartbeatConnector: {"sourceClusterAlias": ..., "targetClusterAlias": ...}. */
kc_value *kc_mirror_heartbeat_partition_new(const char *source_alias, const char *target_alias);
/* {"offset": INT64}: the last replicated source offset (source connector), 0 for the others. */
kc_value *kc_mirror_offset_new(int64_t offset);

/* MirrorUtils.unwrapPartition: *topic borrowed from partition. -1 with err when "topic" is not a
 * string or "partition" not an integer that fits in 32 bits (Java: ClassCastException). */
int kc_mirror_source_partition_unwrap(const kc_value *partition, const char **topic, int32_t *partition_out,
                                      kc_error *err);
/* MirrorUtils.unwrapOffset: the "offset" integer, or -1 for a NULL map, a missing or null entry, or
 * a non-integer one. */
int64_t kc_mirror_offset_unwrap(const kc_value *offset);

/* alterOffsets checks with Java's messages (MirrorUtils.validateSourcePartitionString /
 * validateSourcePartitionPartition / validateSourceOffset). 0 or -1 with err (KC_ERR_INVALID).
 * Stricter than Java on purpose: a partition given as a long below -2^31 (whose low 32 bits Java
 * checks) is refused as negative. */
int kc_mirror_validate_partition_string(const kc_value *partition, const char *key, kc_error *err);
int kc_mirror_validate_partition_partition(const kc_value *partition, kc_error *err);
/* offset NULL (or a null value) is valid: a reset. only_zero: checkpoint and heartbeat offsets. */
int kc_mirror_validate_offset(const kc_value *partition, const kc_value *offset, bool only_zero, kc_error *err);

#endif
