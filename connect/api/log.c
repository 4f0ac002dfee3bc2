#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct logger {
    char name[KC_LOG_NAME_MAX];
    int has_level;
    kc_log_level level;
    int64_t last_modified_ms;
} logger;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static logger loggers[KC_LOG_MAX_LOGGERS]; /* [0] is root */
static size_t logger_count;

static const char *const names[] = {"OFF", "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "ALL"};

int kc_log_level_parse(const char *name)
{
    for (int i = 0; i <= KC_LOG_ALL; i++)
        if (name && strcasecmp(name, names[i]) == 0)
            return i;
    return -1;
}

const char *kc_log_level_name(kc_log_level level)
{
    return (unsigned)level <= KC_LOG_ALL ? names[level] : "INFO";
}

/* With lock held. */
static void init_root(void)
{
    if (logger_count)
        return;
    int env = kc_log_level_parse(getenv("KC_LOG_LEVEL"));
    snprintf(loggers[0].name, sizeof loggers[0].name, "root");
    loggers[0].has_level = 1;
    loggers[0].level = env >= 0 ? (kc_log_level)env : KC_LOG_INFO;
    loggers[0].last_modified_ms = -1;
    logger_count = 1;
}

static int is_root(const char *name) { return strcasecmp(name, "root") == 0; }

/* With lock held. NULL when the registry is full. */
static logger *find_or_add(const char *name)
{
    init_root();
    if (is_root(name))
        return &loggers[0];
    for (size_t i = 1; i < logger_count; i++)
        if (strcmp(loggers[i].name, name) == 0)
            return &loggers[i];
    if (logger_count == KC_LOG_MAX_LOGGERS || strlen(name) >= KC_LOG_NAME_MAX)
        return NULL;
    logger *l = &loggers[logger_count++];
    snprintf(l->name, sizeof l->name, "%s", name);
    l->has_level = 0;
    l->last_modified_ms = -1;
    return l;
}

/* With lock held: nearest explicit level along the '.' ancestry. */
static kc_log_level effective(const char *name)
{
    char buf[KC_LOG_NAME_MAX];
    size_t n = strnlen(name, sizeof buf - 1);
    memcpy(buf, name, n);
    buf[n] = '\0';
    for (;;) {
        for (size_t i = 1; i < logger_count; i++)
            if (loggers[i].has_level && strcmp(loggers[i].name, buf) == 0)
                return loggers[i].level;
        char *dot = strrchr(buf, '.');
        if (!dot)
            return loggers[0].level;
        *dot = '\0';
    }
}

void kc_log_set_root_level(kc_log_level level)
{
    pthread_mutex_lock(&lock);
    init_root();
    loggers[0].level = level;
    pthread_mutex_unlock(&lock);
}

void kc_log_register(const char *name)
{
    pthread_mutex_lock(&lock);
    find_or_add(name);
    pthread_mutex_unlock(&lock);
}

int kc_log_enabled(kc_log_level level, const char *name)
{
    pthread_mutex_lock(&lock);
    find_or_add(name);
    kc_log_level threshold = is_root(name) ? loggers[0].level : effective(name);
    pthread_mutex_unlock(&lock);
    return level != KC_LOG_OFF && level <= threshold;
}

void kc_log(kc_log_level level, const char *name, const char *fmt, ...)
{
    if (!kc_log_enabled(level, name))
        return;
    char line[2048];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %-5s [%s] ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000, kc_log_level_name(level), name);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof line)
        vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len] = '\n';
    line[len + 1] = '\0';
    fputs(line, stderr); /* one call: stdio's lock keeps lines whole */
}

static void fill(const logger *l, kc_logger_info *info)
{
    memcpy(info->name, l->name, sizeof info->name);
    info->explicit_level = l->has_level;
    info->level = l == &loggers[0] ? l->level : effective(l->name);
    info->last_modified_ms = l->last_modified_ms;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const kc_logger_info *)a)->name, ((const kc_logger_info *)b)->name);
}

size_t kc_log_list(kc_logger_info *out, size_t max)
{
    pthread_mutex_lock(&lock);
    init_root();
    size_t n = logger_count;
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++)
        fill(&loggers[i], &out[k++]);
    pthread_mutex_unlock(&lock);
    qsort(out, k, sizeof *out, by_name);
    return n;
}

int kc_log_get(const char *name, kc_logger_info *info)
{
    int rc = -1;
    pthread_mutex_lock(&lock);
    init_root();
    for (size_t i = 0; i < logger_count; i++) {
        if ((i == 0 && is_root(name)) || (i > 0 && strcmp(loggers[i].name, name) == 0)) {
            fill(&loggers[i], info);
            rc = 0;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

size_t kc_log_set_level(const char *ns, kc_log_level level, int64_t now_ms, kc_logger_info *out, size_t max)
{
    size_t affected = 0;
    pthread_mutex_lock(&lock);
    logger *target = find_or_add(ns);
    int all = is_root(ns);
    size_t nslen = strlen(ns);
    for (size_t i = 0; i < logger_count; i++) {
        logger *l = &loggers[i];
        int match = l == target || all || (i > 0 && strncmp(l->name, ns, nslen) == 0);
        if (!match)
            continue;
        /* as log4j's Logger.getLevel(): only an explicit level counts as "already at that level" */
        if (l->has_level && l->level == level)
            continue;
        l->has_level = 1;
        l->level = level;
        l->last_modified_ms = now_ms;
        if (affected < max)
            fill(l, &out[affected]);
        affected++;
    }
    pthread_mutex_unlock(&lock);
    qsort(out, affected < max ? affected : max, sizeof *out, by_name);
    return affected;
}
