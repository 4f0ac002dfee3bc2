/*
 * The MirrorMaker 2 connectors kconnect ships as built-in plugins, and their registration.
 *
 *   org.apache.kafka.connect.mirror.MirrorSourceConnector (mirror_source_connector.c, task in
 *   mirror_source_task.c; spec/mirrormaker2.md section 2, Kafka 4.3.1 behaviour).
 *
 * Registration: kc_mirror_connectors_register is called once by main, before any worker thread
 * starts (plugin.h); it fills the plugins' ConfigDef tables from mirror_config.h and registers them.
 * Threads: as connector.h says for every connector; the source connector also runs one refresh
 * thread of its own (started in start, joined in stop).
 * Memory: task configs are handed to the worker as connector.h says; the helpers below say theirs.
 */
#ifndef KC_CONNECTORS_MIRROR_MIRROR_H
#define KC_CONNECTORS_MIRROR_MIRROR_H

#include <stddef.h>
#include <stdint.h>

#include "connect/api/connector.h"
#include "connect/api/error.h"

#define KC_MIRROR_SOURCE_CONNECTOR_CLASS "org.apache.kafka.connect.mirror.MirrorSourceConnector"

/* The plugin vtables (config/config_count are NULL/0 here; the registered copies carry the tables). */
extern const kc_connector_plugin kc_mirror_source_connector;
extern const kc_source_task_plugin kc_mirror_source_task;

/* Registers the MM2 connectors with the plugin registry. 0, or -1 with err. */
int kc_mirror_connectors_register(kc_error *err);

/* ---- MirrorSourceConnector.taskConfigs (exposed for tests) ------------------------------------- */

/* Java's round robin: numTasks = min(max_tasks, n); the k-th topic-partition goes to task k mod
 * numTasks; each task config is a copy of originals plus task.assigned.partitions (in assignment
 * order) and task.index. n == 0 or max_tasks < 1 gives zero tasks. tps is borrowed; out receives
 * new kc_props (the worker's, or the caller's to kc_task_configs_clear). 0, or -1 with err (OOM). */
int kc_mirror_source_assign_tasks(const kc_props *originals, const kc_topic_partition *tps, size_t n, int max_tasks,
                                  kc_task_configs *out, kc_error *err);

#endif
