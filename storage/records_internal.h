/*
 * Helpers shared by config_records.c and status_records.c (not a public API).
 * Threads: no shared state.
 */
#ifndef KC_STORAGE_RECORDS_INTERNAL_H
#define KC_STORAGE_RECORDS_INTERNAL_H

#include <stddef.h>

#include "connect/api/error.h"
#include "connect/api/log.h"
#include "connect/worker/json_reader.h"

/* a + b + c (b, c may be NULL): new string (free()), NULL when out of memory. */
char *kc_records_concat(const char *a, const char *b, const char *c);
/* A NUL-terminated copy of s[0..len): new string, NULL when out of memory. */
char *kc_records_strndup(const char *s, size_t len);
/* ConnectUtils.className of the value the schemaless converter gives for n ("null" for NULL). */
const char *kc_records_java_class(const kc_json_node *n);
/* Formats reason (KC_ERROR_MSG_MAX bytes) and logs it at level (KC_LOG_OFF: not logged). */
void kc_records_reason(char *reason, kc_log_level level, const char *logger, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Member name of an object node when present and not JSON null, else NULL (Java map.get != null). */
const kc_json_node *kc_records_field(const kc_json_node *obj, const char *name);
/* Parses a record value: value NULL gives *root NULL (tombstone); more than max bytes or invalid
 * JSON is -1 with err. *root is new (kc_json_node_free), NULL when the input holds no value. */
int kc_records_parse_value(const void *value, size_t value_len, size_t max, kc_json_node **root, kc_error *err);

#endif
