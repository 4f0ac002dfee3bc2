/*
 * Java .properties files, read by the rules of java.util.Properties.load(Reader).
 *
 * Owns: a kc_props, an ordered list of (key, value) strings. Keys are unique: setting a key that is
 * already present replaces its value and keeps its original position (Java's last-wins rule, with a
 * stable order for printing and tests). All strings are UTF-8 (a \uXXXX escape is stored as its
 * UTF-8 encoding; a surrogate pair \uD83D\uDE00 becomes one 4-byte character).
 * Threads: a kc_props is not synchronised; one thread at a time, or read-only sharing.
 * Memory: kc_props_new/kc_props_copy/kc_props_subset return a kc_props the caller frees with
 * kc_props_free. Strings returned by getters are borrowed: valid until that key is set again,
 * removed, or the kc_props is freed.
 * Limits: a file or string larger than KC_PROPS_MAX_BYTES is refused, as is a malformed \u escape
 * (Java: "Malformed \uxxxx encoding."). Errors name the file and line.
 */
#ifndef KC_CONFIG_PROPERTIES_H
#define KC_CONFIG_PROPERTIES_H

#include <stddef.h>

#include "connect/api/error.h"

#define KC_PROPS_MAX_BYTES (16u * 1024u * 1024u)

typedef struct kc_props kc_props;

/* A new empty list. NULL only when out of memory. Free with kc_props_free. */
kc_props *kc_props_new(void);

/* Frees p and every string in it. p may be NULL. */
void kc_props_free(kc_props *p);

/* A deep copy of p. NULL when out of memory. */
kc_props *kc_props_copy(const kc_props *p);

/* Parses text (len bytes, need not be NUL-terminated) and adds its entries to p. origin names the
 * source in error messages (a file path, "<string>"). Returns 0, or -1 with err set (KC_ERR_INVALID
 * "origin:line: ..."); on error p keeps the entries of the lines before the bad one. */
int kc_props_load_string(kc_props *p, const char *text, size_t len, const char *origin,
                         kc_error *err);

/* Reads the file at path and parses it as kc_props_load_string does. -1 with KC_ERR_IO when the
 * file cannot be read (the message names the path and strerror). */
int kc_props_load_file(kc_props *p, const char *path, kc_error *err);

/* The value of key, or NULL when absent. Borrowed. */
const char *kc_props_get(const kc_props *p, const char *key);

/* Sets key to value (both copied). Returns 0, or -1 when out of memory. */
int kc_props_set(kc_props *p, const char *key, const char *value);

/* Removes key. Returns 1 when it was present, 0 when not. */
int kc_props_remove(kc_props *p, const char *key);

/* Number of entries, and the i-th key / value in order (0 <= i < count). Borrowed. */
size_t kc_props_count(const kc_props *p);
const char *kc_props_key_at(const kc_props *p, size_t i);
const char *kc_props_value_at(const kc_props *p, size_t i);

/* The entries whose key starts with prefix, in order; with strip the prefix is removed from the
 * keys of the result (an entry whose key equals the prefix exactly is left out then). New list,
 * NULL when out of memory. */
kc_props *kc_props_subset(const kc_props *p, const char *prefix, int strip);

/* Copies every entry of src into dst (dst's values replaced on equal keys). 0, or -1 on OOM. */
int kc_props_merge(kc_props *dst, const kc_props *src);

#endif
