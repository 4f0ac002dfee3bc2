#include "log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static atomic_int threshold = -1;

static const char *const names[] = {"ERROR", "WARN", "INFO", "DEBUG", "TRACE"};

int kc_log_level_parse(const char *name)
{
    for (int i = 0; i <= KC_LOG_TRACE; i++)
        if (name && strcasecmp(name, names[i]) == 0)
            return i;
    return -1;
}

void kc_log_set_level(kc_log_level level) { atomic_store(&threshold, (int)level); }

kc_log_level kc_log_get_level(void)
{
    int t = atomic_load(&threshold);
    if (t < 0) {
        int env = kc_log_level_parse(getenv("KC_LOG_LEVEL"));
        t = env >= 0 ? env : KC_LOG_INFO;
        atomic_store(&threshold, t);
    }
    return (kc_log_level)t;
}

void kc_log(kc_log_level level, const char *component, const char *fmt, ...)
{
    if ((int)level > (int)kc_log_get_level())
        return;
    char line[2048];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %-5s [%s] ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000, names[level], component);
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
