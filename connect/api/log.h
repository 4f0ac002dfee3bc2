/*
 * Logging: one line per event on stderr, "2026-12-01T21:03:11.123Z INFO [component] message".
 *
 * Owns: the process-wide threshold (set once by main before threads start; read by all threads).
 * Threads: any; each line is written with one fputs under stdio's own lock, so lines never mix.
 * Secrets: callers never pass a secret value; configs are logged through kc_client_config_redacted.
 */
#ifndef KC_API_LOG_H
#define KC_API_LOG_H

typedef enum kc_log_level {
    KC_LOG_ERROR = 0,
    KC_LOG_WARN,
    KC_LOG_INFO,
    KC_LOG_DEBUG,
    KC_LOG_TRACE
} kc_log_level;

/* Sets the threshold; lines above it are dropped. Default INFO, or KC_LOG_LEVEL from the
 * environment (ERROR, WARN, INFO, DEBUG, TRACE) read on the first call to kc_log. */
void kc_log_set_level(kc_log_level level);
kc_log_level kc_log_get_level(void);

/* Parses "ERROR".."TRACE" (any case). -1 when unknown. */
int kc_log_level_parse(const char *name);

void kc_log(kc_log_level level, const char *component, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
