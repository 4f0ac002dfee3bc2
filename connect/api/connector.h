/*
 * What a connector author implements (Java's Connector, SourceConnector, SinkConnector, SourceTask,
 * SinkTask) and the contexts the worker hands them.
 *
 * A connector plugin is a static vtable registered under its Java class name (plugin.h; kind
 * KC_PLUGIN_SOURCE or KC_PLUGIN_SINK, vtable = kc_connector_plugin). The worker creates one
 * connector instance per connector and one task instance per task.
 *
 * Threads:
 *   - connector functions run on the worker's connector thread for that connector, one at a time;
 *   - task functions run on the task's own thread, except kc_source_task_plugin.stop, which the
 *     worker calls from another thread to make a blocked poll return promptly (as Java does);
 *   - context functions may be called from the thread that received the context.
 * Memory: create returns the instance; destroy frees it (NULL-safe). Configs passed in are borrowed
 * for the duration of the call (copy what you keep). Records returned by poll are handed over to
 * the worker; records passed to put are borrowed (copy what you keep).
 * Errors: a function that fails returns -1 with err filled; the worker marks the connector or task
 * FAILED with err's message as the trace.
 */
#ifndef KC_API_CONNECTOR_H
#define KC_API_CONNECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "connect/api/data.h"
#include "connect/api/error.h"
#include "connect/api/plugin.h"
#include "connect/api/record.h"
#include "connect/config/config_def.h"
#include "connect/config/properties.h"

/* ---- records handed over in batches ---------------------------------------------------------- */

typedef struct kc_record_list {
    kc_record **items;
    size_t count, cap;
} kc_record_list;

/* Appends r (taken; freed on failure). 0, or -1 when out of memory. */
int kc_record_list_add(kc_record_list *l, kc_record *r);
/* Frees every record and the array. */
void kc_record_list_clear(kc_record_list *l);

typedef struct kc_topic_partition {
    const char *topic;
    int32_t partition;
} kc_topic_partition;

/* A committable position of a sink task: the offset of the next record to consume. */
typedef struct kc_partition_offset {
    const char *topic;
    int32_t partition;
    int64_t offset;
} kc_partition_offset;

/* ---- contexts (implemented by the worker) ---------------------------------------------------- */

typedef struct kc_connector_context kc_connector_context;
/* Asks the worker to call task_configs again and restart the tasks if they changed. */
void kc_connector_context_request_reconfiguration(kc_connector_context *ctx);
/* Fails the connector with message (the trace in its status). */
void kc_connector_context_raise_error(kc_connector_context *ctx, const char *message);

typedef struct kc_source_task_context kc_source_task_context;
/* The last committed offset of partition (a schemaless map), or NULL when none. New value the
 * caller frees with kc_value_free. -1 only through err on a storage failure. */
int kc_source_task_context_offset(kc_source_task_context *ctx, const kc_value *partition, kc_value **offset,
                                  kc_error *err);

typedef struct kc_sink_task_context kc_sink_task_context;
/* Rewinds (or forwards) a partition: the next record consumed from it is at offset. */
void kc_sink_task_context_offset(kc_sink_task_context *ctx, const char *topic, int32_t partition, int64_t offset);
/* Asks for an offset commit as soon as possible. */
void kc_sink_task_context_request_commit(kc_sink_task_context *ctx);
/* The partitions currently assigned to the task; fills up to max, returns the count. Borrowed. */
size_t kc_sink_task_context_assignment(kc_sink_task_context *ctx, kc_topic_partition *out, size_t max);
/* Stops / resumes fetching from partitions (they stay assigned). */
void kc_sink_task_context_pause(kc_sink_task_context *ctx, const kc_topic_partition *tps, size_t n);
void kc_sink_task_context_resume(kc_sink_task_context *ctx, const kc_topic_partition *tps, size_t n);

/* ---- tasks ----------------------------------------------------------------------------------- */

typedef struct kc_source_task_plugin {
    void *(*create)(void);
    int (*start)(void *self, kc_source_task_context *ctx, const kc_props *config, kc_error *err);
    /* Appends the next records to out (ownership passes to the worker). Returning with no record is
     * fine; a poll should not block for more than about a second, and must return early once stop
     * was called. */
    int (*poll)(void *self, kc_record_list *out, kc_error *err);
    /* Optional: the offsets of everything polled so far were committed. */
    int (*commit)(void *self, kc_error *err);
    /* Optional: record (as polled, before transformations) was acknowledged by Kafka at
     * partition/offset (partition -1 when it was filtered out by a transformation). */
    void (*commit_record)(void *self, const kc_record *record, int32_t partition, int64_t offset);
    /* true when commit_record reads only record->topic, kafka_partition, timestamp, source_partition
     * and source_offset: the worker then releases the key, value and headers of a record it keeps
     * for commit_record as soon as the record is handed to the producer (less memory in flight). */
    bool commit_record_metadata_only;
    /* Asks a running poll to return; called from another thread. Must not free anything. */
    void (*stop)(void *self);
    void (*destroy)(void *self);
} kc_source_task_plugin;

typedef struct kc_sink_task_plugin {
    void *(*create)(void);
    int (*start)(void *self, kc_sink_task_context *ctx, const kc_props *config, kc_error *err);
    /* Optional: partitions were assigned / are being revoked. */
    int (*open)(void *self, const kc_topic_partition *tps, size_t n, kc_error *err);
    int (*close)(void *self, const kc_topic_partition *tps, size_t n, kc_error *err);
    /* Delivers records (borrowed). */
    int (*put)(void *self, kc_record *const *records, size_t n, kc_error *err);
    /* Makes everything put so far durable; offsets are about to be committed. */
    int (*flush)(void *self, const kc_partition_offset *offsets, size_t n, kc_error *err);
    /* Called on the task thread after the last put/flush. */
    void (*stop)(void *self);
    void (*destroy)(void *self);
} kc_sink_task_plugin;

/* ---- connectors ------------------------------------------------------------------------------ */

/* Task configurations returned by task_configs: an array of kc_props the worker takes over. */
typedef struct kc_task_configs {
    kc_props **items;
    size_t count;
} kc_task_configs;

void kc_task_configs_clear(kc_task_configs *c);
/* Appends props (taken; freed on failure). */
int kc_task_configs_add(kc_task_configs *c, kc_props *props);

typedef struct kc_connector_plugin {
    kc_plugin_kind kind;                 /* KC_PLUGIN_SOURCE or KC_PLUGIN_SINK */
    const char *class_name;
    const char *version;                 /* NULL: kconnect's version */
    const kc_config_key *config;         /* the connector's own ConfigDef table */
    size_t config_count;
    /* Optional multi-key validation beyond the table (Connector.validate): add errors to v. */
    int (*validate)(const kc_props *config, kc_config_validation *v, kc_error *err);
    void *(*create)(void);
    int (*start)(void *self, kc_connector_context *ctx, const kc_props *config, kc_error *err);
    int (*task_configs)(void *self, int max_tasks, kc_task_configs *out, kc_error *err);
    void (*stop)(void *self);
    void (*destroy)(void *self);
    /* Optional (KIP-875 alterOffsets): checks an offsets change requested through REST.
     * offsets: a list of {"partition":{...},"offset":{...}|null} maps. Returns 1 when the connector
     * accepts the change, 0 when it does not manage offsets itself, -1 with err to refuse it. */
    int (*alter_offsets)(const kc_props *config, const kc_value *offsets, kc_error *err);
    const kc_source_task_plugin *source_task;   /* KC_PLUGIN_SOURCE */
    const kc_sink_task_plugin *sink_task;       /* KC_PLUGIN_SINK */
} kc_connector_plugin;

#endif
