/*
 * Source offsets: the key and value bytes Connect writes for them, the format rules, the offset
 * backing store behind them, and the per-task writer that only commits acknowledged records.
 *
 * Bytes (storage spec §4.1): key = JSON of [<connector>, <partition map>], value = JSON of the
 * offset map (null = tombstone), both written as the schemaless JsonConverter writes them, with map
 * keys in Java HashMap order (the bytes are a key's identity for Java).
 *
 * kc_offset_store is the backing store: standalone mode keeps it in the offsets file
 * (storage/offset_file.h); distributed mode in the offsets topic. It is shared by every task of the
 * worker and synchronised inside.
 *
 * kc_offset_writer belongs to one source task thread: it tracks submitted records per source
 * partition and, as Java's SubmittedRecords does, commits for each partition the offset of the last
 * record before which every record of that partition was acknowledged by Kafka.
 *
 * Memory: _new functions return objects freed by their _free; byte buffers are malloc'd (free()).
 */
#ifndef KC_WORKER_OFFSETS_H
#define KC_WORKER_OFFSETS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "connect/api/data.h"
#include "connect/api/error.h"
#include "storage/offset_file.h"

/* OffsetUtils.validateFormat: NULL is fine; otherwise a map with string keys and primitive values.
 * what names the map in messages is not used by Java; the messages are Java's. */
int kc_offsets_validate_format(const kc_value *map, kc_error *err);

/* The key bytes of (connector, partition) and the value bytes of offset (NULL offset: *out NULL). */
int kc_offsets_key_bytes(const char *connector, const kc_value *partition, char **out, size_t *len,
                         kc_error *err);
int kc_offsets_value_bytes(const kc_value *offset, char **out, size_t *len, kc_error *err);

/* ---- backing store --------------------------------------------------------------------------- */

typedef struct kc_offset_store kc_offset_store;

/* A store kept in a file in Java's format (offset.storage.file.filename); loads it now. */
kc_offset_store *kc_offset_store_file_new(const char *path, kc_error *err);
void kc_offset_store_free(kc_offset_store *s);

/* The value bytes of key (a new copy, free()), or *value NULL when absent. */
int kc_offset_store_get(kc_offset_store *s, const void *key, size_t key_len, char **value, size_t *value_len,
                        kc_error *err);
/* Writes a batch (values NULL = remove) and makes it durable before returning. */
int kc_offset_store_set(kc_offset_store *s, const kc_offset_map *batch, const char *const *removed,
                        const size_t *removed_len, size_t nremoved, kc_error *err);
/* A snapshot copy of everything (for the offsets REST API). Free with kc_offset_map_free. */
kc_offset_map *kc_offset_store_snapshot(kc_offset_store *s, kc_error *err);

/* The offset of partition for connector as a value (NULL when none). */
int kc_offset_store_read(kc_offset_store *s, const char *connector, const kc_value *partition, kc_value **offset,
                         kc_error *err);

/* ---- per-task writer ------------------------------------------------------------------------- */

typedef struct kc_offset_writer kc_offset_writer;
typedef struct kc_submitted kc_submitted; /* one submitted record's place in its partition's queue */

kc_offset_writer *kc_offset_writer_new(const char *connector);
void kc_offset_writer_free(kc_offset_writer *w);

/* Notes a record about to be sent. Returns a handle to acknowledge later, or NULL with err (a bad
 * partition/offset format, Java's message). Records without a source partition return a handle too. */
kc_submitted *kc_offset_writer_submit(kc_offset_writer *w, const kc_value *partition, const kc_value *offset,
                                      kc_error *err);
/* The record behind h was acknowledged by Kafka (or dropped: it counts as done). */
void kc_offset_writer_ack(kc_offset_writer *w, kc_submitted *h);
/* Records submitted and not acknowledged yet. */
size_t kc_offset_writer_pending(const kc_offset_writer *w);

/* Commits what is committable to store. 0 (also when nothing changed), or -1 with err (the
 * offsets stay pending and are retried at the next call). */
int kc_offset_writer_commit(kc_offset_writer *w, kc_offset_store *store, kc_error *err);

#endif
