/*
 * Logging: one line per event on stderr, "2026-12-01T21:03:11.123Z INFO  [component] message".
 *
 * Loggers are named ("kconnect.rest", "kconnect.herder", ...) and form a tree by '.' prefixes under
 * "root". A logger's effective level is its own level if one was set, else that of its nearest
 * ancestor with one, else root's. Levels use Java's (log4j) names so that /admin/loggers speaks the
 * same language: OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE, ALL.
 *
 * Owns: a process-wide registry of loggers (at most KC_LOG_MAX_LOGGERS; names are copied).
 * Threads: any. Every kc_log call takes the registry's mutex briefly to check the level (so keep
 * kc_log off per-record paths); the line itself is written with one fputs, so lines never mix.
 * Secrets: callers never pass a secret value; configs are logged through kc_client_config_redacted.
 */
#ifndef KC_API_LOG_H
#define KC_API_LOG_H

#include <stddef.h>
#include <stdint.h>

#define KC_LOG_MAX_LOGGERS 256
#define KC_LOG_NAME_MAX 200

typedef enum kc_log_level {
    KC_LOG_OFF = 0,
    KC_LOG_FATAL,
    KC_LOG_ERROR,
    KC_LOG_WARN,
    KC_LOG_INFO,
    KC_LOG_DEBUG,
    KC_LOG_TRACE,
    KC_LOG_ALL
} kc_log_level;

/* Parses a Java level name (any case). -1 when unknown. */
int kc_log_level_parse(const char *name);

/* The Java name of a level ("INFO"). Static string. */
const char *kc_log_level_name(kc_log_level level);

/* Root's level. Default INFO, or KC_LOG_LEVEL from the environment, read once. */
void kc_log_set_root_level(kc_log_level level);

/* 1 when a line of that level from that logger would be written. */
int kc_log_enabled(kc_log_level level, const char *logger);

/* Writes one line when enabled. Registers logger on first use. */
void kc_log(kc_log_level level, const char *logger, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Registers a logger without writing (so it can be listed and set before its first line). */
void kc_log_register(const char *logger);

/* One logger as /admin/loggers shows it. */
typedef struct kc_logger_info {
    char name[KC_LOG_NAME_MAX];
    kc_log_level level;          /* effective level */
    int explicit_level;          /* 1 when set on this logger itself */
    int64_t last_modified_ms;    /* epoch ms of the last change through kc_log_set_level, -1 never */
} kc_logger_info;

/* Copies up to max loggers, sorted by name ("root" included), into out; returns how many exist. */
size_t kc_log_list(kc_logger_info *out, size_t max);

/* Fills info for name ("root" in any case is the root logger). -1 when no such logger exists. */
int kc_log_get(const char *name, kc_logger_info *info);

/* Sets level on namespace and on every registered logger whose name starts with it ("root": all),
 * skipping those already at that level. Writes the affected names, sorted, into out (up to max) and
 * returns their count. The namespace itself is registered when absent (as Java's LogManager
 * creates it). Stamps last_modified with now_ms. */
size_t kc_log_set_level(const char *namespace_, kc_log_level level, int64_t now_ms,
                        kc_logger_info *out, size_t max);

#endif
