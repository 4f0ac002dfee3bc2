/* FileStreamSourceConnector and FileStreamSourceTask; see file.h. */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "connect/api/log.h"

#define LOGGER "org.apache.kafka.connect.file.FileStreamSourceTask"
#define DEFAULT_BATCH_SIZE 2000
#define MAX_LINE (64u * 1024u * 1024u)

static const kc_config_key source_keys[] = {
    KC_CONFIG_KEY("file", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL, .importance = KC_CONFIG_HIGH,
                  .documentation = "Source filename. If not specified, the standard input will be used"),
    KC_CONFIG_KEY("topic", KC_CONFIG_STRING, .validator = KC_CONFIG_NON_EMPTY_STRING, .importance = KC_CONFIG_HIGH,
                  .documentation = "The topic to publish data to"),
    KC_CONFIG_KEY("batch.size", KC_CONFIG_INT, .default_value = "2000", .importance = KC_CONFIG_LOW,
                  .documentation = "The maximum number of records the source task can read from the file each time it is polled"),
};

/* ---- connector ------------------------------------------------------------------------------- */

typedef struct source_connector {
    kc_props *config;
} source_connector;

static void *connector_create(void) { return calloc(1, sizeof(source_connector)); }

static int connector_start(void *self, kc_connector_context *ctx, const kc_props *config, kc_error *err)
{
    (void)ctx;
    source_connector *c = self;
    kc_props_free(c->config);
    if (!(c->config = kc_props_copy(config)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return 0;
}

static int connector_task_configs(void *self, int max_tasks, kc_task_configs *out, kc_error *err)
{
    (void)max_tasks; /* only one input stream makes sense */
    source_connector *c = self;
    kc_props *p = kc_props_copy(c->config);
    if (!p || kc_task_configs_add(out, p) != 0)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return 0;
}

static void connector_stop(void *self) { (void)self; }

static void connector_destroy(void *self)
{
    source_connector *c = self;
    if (c)
        kc_props_free(c->config);
    free(c);
}

/* ---- task ------------------------------------------------------------------------------------ */

typedef struct source_task {
    kc_source_task_context *ctx;
    char *filename;          /* NULL: standard input */
    char *topic;
    int batch_size;
    int fd;                  /* -1 until opened */
    int64_t position;        /* byte offset of buf[0] in the file; -1 for stdin */
    char *buf;
    size_t len, cap;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stopping;
} source_task;

static void *task_create(void)
{
    source_task *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->fd = -1;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->wake, NULL);
    return t;
}

static int task_start(void *self, kc_source_task_context *ctx, const kc_props *config, kc_error *err)
{
    source_task *t = self;
    t->ctx = ctx;
    const char *file = kc_props_get(config, "file");
    const char *topic = kc_props_get(config, "topic");
    if (!topic)
        return kc_error_set(err, KC_ERR_INVALID, "FileStreamSourceTask config missing topic setting");
    t->batch_size = DEFAULT_BATCH_SIZE;
    const char *batch = kc_props_get(config, "batch.size");
    if (batch) {
        char *end;
        errno = 0;
        long v = strtol(batch, &end, 10);
        if (errno || end == batch || *end || v < -2147483648L || v > 2147483647L)
            return kc_error_set(err, KC_ERR_INVALID, "Invalid FileStreamSourceTask configuration");
        t->batch_size = (int)v;
    }
    if (!(t->topic = strdup(topic)) || (file && *file && !(t->filename = strdup(file))))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    if (!t->filename) {
        t->fd = STDIN_FILENO;
        t->position = -1; /* tracking an offset for stdin makes no sense */
    }
    return 0;
}

/* Waits up to ms or until stop. */
static void pause_ms(source_task *t, int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&t->lock);
    while (!t->stopping && pthread_cond_timedwait(&t->wake, &t->lock, &until) == 0)
        ;
    pthread_mutex_unlock(&t->lock);
}

/* Opens the file and skips to the stored position. 0 opened, 1 not there yet, -1 error. */
static int open_file(source_task *t, kc_error *err)
{
    int fd = open(t->filename, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            kc_log(KC_LOG_WARN, LOGGER, "Couldn't find file %s for FileStreamSourceTask, sleeping to wait for it "
                                        "to be created", t->filename);
            return 1;
        }
        return kc_error_set(err, KC_ERR_IO, "Couldn't open file %s: %s", t->filename, strerror(errno));
    }
    kc_value *partition = kc_value_map_new(), *offset = NULL;
    if (!partition || kc_value_map_put_str_new(partition, "filename", kc_value_string(t->filename)) != 0) {
        kc_value_free(partition);
        close(fd);
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    int rc = kc_source_task_context_offset(t->ctx, partition, &offset, err);
    kc_value_free(partition);
    if (rc != 0) {
        close(fd);
        return -1;
    }
    int64_t position = 0;
    if (offset) {
        const kc_value *pos = kc_value_map_get_str(offset, "position");
        if (pos && !kc_value_is_null(pos)) {
            if (kc_value_get_type(pos) != KC_VALUE_INT64) {
                kc_value_free(offset);
                close(fd);
                return kc_error_set(err, KC_ERR_INVALID, "Offset position is the incorrect type");
            }
            position = kc_value_get_int64(pos);
        }
        kc_value_free(offset);
    }
    if (position > 0 && lseek(fd, (off_t)position, SEEK_SET) < 0) {
        int e = errno;
        close(fd);
        return kc_error_set(err, KC_ERR_IO, "Error while trying to seek to previous offset in file %s: %s",
                            t->filename, strerror(e));
    }
    kc_log(KC_LOG_DEBUG, LOGGER, "Opened %s for reading at position %lld", t->filename, (long long)position);
    t->fd = fd;
    t->position = position;
    return 0;
}

/* The next complete line in buf: its length in *line_len, the bytes it consumed (with the line
 * end) as return value, 0 when there is none yet (a lone \r at the end waits for a possible \n). */
static size_t next_line(const source_task *t, size_t from, size_t *line_len)
{
    for (size_t i = from; i < t->len; i++) {
        if (t->buf[i] == '\n') {
            *line_len = i - from;
            return i + 1 - from;
        }
        if (t->buf[i] == '\r') {
            if (i + 1 >= t->len)
                return 0;
            *line_len = i - from;
            return (t->buf[i + 1] == '\n' ? i + 2 : i + 1) - from;
        }
    }
    return 0;
}

static kc_record *line_record(source_task *t, const char *line, size_t n, int64_t position_after, kc_error *err)
{
    kc_record *r = kc_record_new(t->topic);
    kc_value *value = kc_value_string_len(line, n);
    kc_value *partition = kc_value_map_new(), *offset = kc_value_map_new();
    if (!r || !value || !partition || !offset ||
        kc_value_map_put_str_new(partition, "filename", t->filename ? kc_value_string(t->filename) : kc_value_null()) ||
        kc_value_map_put_str_new(offset, "position",
                                 position_after >= 0 ? kc_value_int64(position_after) : kc_value_null())) {
        kc_record_free(r);
        kc_value_free(value);
        kc_value_free(partition);
        kc_value_free(offset);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    kc_record_set_value_new(r, kc_schema_ref(kc_schema_string()), value);
    r->source_partition = partition;
    r->source_offset = offset;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    r->timestamp = (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
    return r;
}

static int task_poll(void *self, kc_record_list *out, kc_error *err)
{
    source_task *t = self;
    if (t->fd < 0) {
        int rc = open_file(t, err);
        if (rc < 0)
            return -1;
        if (rc > 0) {
            pause_ms(t, 1000);
            return 0;
        }
    }
    size_t produced = 0;
    int read_any = 0;
    for (;;) {
        /* hand out the complete lines already buffered */
        size_t used = 0, line_len, step;
        while ((int)produced < t->batch_size && (step = next_line(t, used, &line_len)) > 0) {
            int64_t after = t->position >= 0 ? t->position + (int64_t)(used + step) : -1;
            kc_record *r = line_record(t, t->buf + used, line_len, after, err);
            if (!r || kc_record_list_add(out, r) != 0)
                return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            used += step;
            produced++;
        }
        if (used) {
            memmove(t->buf, t->buf + used, t->len - used);
            t->len -= used;
        }
        if (t->position >= 0)
            t->position += (int64_t)used;
        if ((int)produced >= t->batch_size)
            return 0;
        if (t->cap - t->len < 65536) {
            if (t->cap >= MAX_LINE)
                return kc_error_set(err, KC_ERR_INVALID, "a line of %s is longer than %u bytes",
                                    t->filename ? t->filename : "stdin", MAX_LINE);
            size_t cap = t->cap ? t->cap * 2 : 131072;
            char *grown = realloc(t->buf, cap);
            if (!grown)
                return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            t->buf = grown;
            t->cap = cap;
        }
        if (!t->filename) { /* never block on standard input (Java checks ready()) */
            struct pollfd pfd = {.fd = t->fd, .events = POLLIN};
            if (poll(&pfd, 1, 0) <= 0)
                break;
        }
        ssize_t n = read(t->fd, t->buf + t->len, t->cap - t->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return kc_error_set(err, KC_ERR_IO, "Error reading %s: %s", t->filename ? t->filename : "stdin",
                                strerror(errno));
        if (n == 0)
            break;
        read_any = 1;
        t->len += (size_t)n;
    }
    if (!read_any)
        pause_ms(t, 1000);
    return 0;
}

static void task_stop(void *self)
{
    source_task *t = self;
    pthread_mutex_lock(&t->lock);
    t->stopping = 1;
    pthread_cond_broadcast(&t->wake);
    pthread_mutex_unlock(&t->lock);
}

static void task_destroy(void *self)
{
    source_task *t = self;
    if (!t)
        return;
    if (t->fd > STDIN_FILENO)
        close(t->fd);
    free(t->filename);
    free(t->topic);
    free(t->buf);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->wake);
    free(t);
}

static const kc_source_task_plugin source_task_plugin = {
    .create = task_create,
    .start = task_start,
    .poll = task_poll,
    .stop = task_stop,
    .destroy = task_destroy,
};

/* FileStreamSourceConnector.alterOffsets (4.3.1): checks in Java's order, with its messages.
 * Offsets arrive normalised (integers as int64). */
static int source_alter_offsets(const kc_props *config, const kc_value *offsets, kc_error *err)
{
    const char *file = kc_props_get(config, "file");
    if (!file || !*file)
        return kc_error_set(err, KC_ERR_INVALID, "Offsets cannot be modified if the 'file' configuration is "
                                                 "unspecified. This is because stdin is used for input and "
                                                 "offsets are not tracked.");
    for (size_t i = 0; i < kc_value_array_size(offsets); i++) {
        const kc_value *entry = kc_value_array_get(offsets, i);
        const kc_value *partition = kc_value_map_get_str(entry, "partition");
        const kc_value *offset = kc_value_map_get_str(entry, "offset");
        if (!offset || kc_value_is_null(offset))
            continue; /* resetting an offset is always allowed */
        const kc_value *pos = kc_value_map_get_str(offset, "position");
        if (!pos)
            return kc_error_set(err, KC_ERR_INVALID, "Offset objects should either be null or contain the key 'position'");
        if (kc_value_get_type(pos) != KC_VALUE_INT64)
            return kc_error_set(err, KC_ERR_INVALID,
                                "The value for the 'position' key in the offset is expected to be a Long value");
        if (kc_value_get_int64(pos) < 0)
            return kc_error_set(err, KC_ERR_INVALID,
                                "The value for the 'position' key in the offset should be a non-negative value");
        if (!partition || kc_value_is_null(partition))
            return kc_error_set(err, KC_ERR_INVALID, "Partition objects cannot be null");
        if (!kc_value_map_get_str(partition, "filename"))
            return kc_error_set(err, KC_ERR_INVALID, "Partition objects should contain the key 'filename'");
    }
    return 1;
}

const kc_connector_plugin kc_file_source_connector = {
    .kind = KC_PLUGIN_SOURCE,
    .class_name = "org.apache.kafka.connect.file.FileStreamSourceConnector",
    .config = source_keys,
    .config_count = sizeof source_keys / sizeof source_keys[0],
    .create = connector_create,
    .start = connector_start,
    .task_configs = connector_task_configs,
    .stop = connector_stop,
    .destroy = connector_destroy,
    .alter_offsets = source_alter_offsets,
    .source_task = &source_task_plugin,
};
