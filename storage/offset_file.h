/*
 * Source offsets as raw bytes, and the standalone worker's offsets file.
 *
 * kc_offset_map maps an offsets key (the exact bytes Connect writes to the offsets topic, e.g.
 * ["local-file-source",{"filename":"test.txt"}]) to its value bytes ({"position":42}). The same
 * bytes serve the offsets topic and the file, so both modes share one code path.
 *
 * The file (`offset.storage.file.filename`) is written in Java's own format — Java Object
 * Serialization of a java.util.HashMap<byte[], byte[]>, exactly as FileOffsetBackingStore writes it
 * (storage spec §4.7) — so a Java standalone worker can take over a kconnect offsets file and the
 * other way round. Unlike Java, kconnect writes it atomically (a temporary file in the same folder,
 * fsync, rename, fsync of the folder: a crash leaves the old file or the new one, never a torn one),
 * drops entries whose value is null (a null entry and an absent one read the same), writes entries
 * sorted by key bytes (deterministic; Java's order is arbitrary), and on load treats a truncated or
 * malformed file as an error, never as "empty" (Java's silent EOF-as-empty loses offsets).
 *
 * Memory: kc_offset_map_new returns a map freed with kc_offset_map_free; it copies keys and values.
 * Pointers returned by get/at are borrowed until the next change of the map.
 * Threads: a map is not synchronised; the offset store that owns it serialises access.
 * Limits: KC_OFFSET_FILE_MAX_BYTES per file, KC_OFFSET_MAX_ENTRY_BYTES per key or value.
 */
#ifndef KC_STORAGE_OFFSET_FILE_H
#define KC_STORAGE_OFFSET_FILE_H

#include <stddef.h>

#include "connect/api/error.h"

#define KC_OFFSET_FILE_MAX_BYTES (256u * 1024u * 1024u)
#define KC_OFFSET_MAX_ENTRY_BYTES (16u * 1024u * 1024u)

typedef struct kc_offset_map kc_offset_map;

kc_offset_map *kc_offset_map_new(void);
void kc_offset_map_free(kc_offset_map *m);

/* Sets key to value (both copied). value NULL removes the key. 0, or -1 with err. */
int kc_offset_map_put(kc_offset_map *m, const void *key, size_t key_len, const void *value, size_t value_len,
                      kc_error *err);

/* The value bytes of key, or NULL when absent (value_len may be NULL). Borrowed. */
const void *kc_offset_map_get(const kc_offset_map *m, const void *key, size_t key_len, size_t *value_len);

/* Entries in ascending key-byte order. */
size_t kc_offset_map_count(const kc_offset_map *m);
void kc_offset_map_at(const kc_offset_map *m, size_t i, const void **key, size_t *key_len, const void **value,
                      size_t *value_len);

/* Loads path into m (entries added). A missing file is empty. A file that is not Java's HashMap
 * serialization, or ends early, is an error that names the file and the byte offset. */
int kc_offset_file_load(const char *path, kc_offset_map *m, kc_error *err);

/* Writes m to path atomically in Java's format. */
int kc_offset_file_save(const char *path, const kc_offset_map *m, kc_error *err);

/* The serialized bytes of m (what kc_offset_file_save writes). New buffer, free() it. */
unsigned char *kc_offset_file_encode(const kc_offset_map *m, size_t *len, kc_error *err);

/* Parses serialized bytes into m; origin names the source in errors. */
int kc_offset_file_decode(const unsigned char *buf, size_t len, const char *origin, kc_offset_map *m,
                          kc_error *err);

#endif
