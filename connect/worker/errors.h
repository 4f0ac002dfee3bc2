/*
 * Error handling of a connector's records (errors.* connector keys; Java's RetryWithToleranceOperator,
 * LogReporter and DeadLetterQueueReporter).
 *
 * errors.tolerance=none: the first failing record fails the task. errors.tolerance=all: failing
 * records are skipped (and counted); with errors.log.enable each is logged (with the record's
 * coordinates, and its content when errors.log.include.messages); for sink connectors with
 * errors.deadletterqueue.topic.name the original record bytes go to that topic, with the error
 * context in headers when errors.deadletterqueue.context.headers.enable.
 * Retries: errors.retry.timeout / errors.retry.delay.max.ms are read and validated; as in Java they
 * apply to retriable failures only, and kconnect's converters and transformations never fail with
 * a retriable error (a failing sink put is handled by the sink loop, which retries the batch).
 *
 * Threads: a policy belongs to one task thread. Memory: fields are owned copies; clear with
 * kc_errors_policy_clear.
 */
#ifndef KC_WORKER_ERRORS_H
#define KC_WORKER_ERRORS_H

#include <stdbool.h>
#include <stdint.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"

typedef enum kc_error_stage {
    KC_STAGE_TASK_POLL = 0,
    KC_STAGE_TRANSFORMATION,
    KC_STAGE_KEY_CONVERTER,
    KC_STAGE_VALUE_CONVERTER,
    KC_STAGE_HEADER_CONVERTER,
    KC_STAGE_KAFKA_PRODUCE,
    KC_STAGE_KAFKA_CONSUME,
    KC_STAGE_TASK_PUT
} kc_error_stage;

/* Java's Stage names: "TASK_POLL", "TRANSFORMATION", "KEY_CONVERTER", ... */
const char *kc_error_stage_name(kc_error_stage stage);

typedef struct kc_errors_policy {
    bool tolerate_all;
    int64_t retry_timeout_ms;
    int64_t retry_delay_max_ms;
    bool log_enable;
    bool log_include_messages;
    char *dlq_topic;              /* NULL: no dead letter queue */
    int dlq_replication_factor;
    bool dlq_context_headers;
    uint64_t failures;            /* records that failed (tolerated or not) */
    uint64_t skipped;             /* records skipped because of tolerance */
} kc_errors_policy;

/* Reads the errors.* keys of a connector config (Java's defaults for absent keys). */
int kc_errors_policy_init(kc_errors_policy *p, const kc_props *connector_config, bool sink, kc_error *err);
void kc_errors_policy_clear(kc_errors_policy *p);

/* A record failed at stage with err. Logs per policy. Returns true when the failure is tolerated
 * (skip the record), false when the task must fail. */
bool kc_errors_handle(kc_errors_policy *p, const char *task, kc_error_stage stage, const char *topic,
                      int32_t partition, int64_t offset, const kc_error *err);

#endif
