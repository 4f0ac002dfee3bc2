/*
 * mirror_verify: compares a source topic on one cluster with its mirrored topic on another, record
 * by record and partition by partition (MirrorMaker 2 keeps the partition and the order).
 *
 * Each record is reduced to a 64-bit hash of key, value, headers (names, values, order, null
 * values) and timestamp. For each partition both sides are streamed in order up to the high
 * watermarks read at the start; the target stream is walked against the source stream:
 *   matched     the target record is the next expected source record;
 *   duplicated  the target record repeats a source record already passed (MM2 re-sends a
 *               contiguous range after a restart: a run of consecutive repeats is followed along);
 *   reordered   the target record is a source record that was skipped earlier (it came late);
 *   lost        a source record never seen on the target (skipped and never came, or the target
 *               ended before it);
 *   differing   the target record is at the place of a source record but key, value, headers or
 *               timestamp differ, or it matches no source record at all.
 * The verdict is OK when lost, reordered and differing are 0; duplicates are reported only.
 *
 * Bounded memory: per partition a window of the last `window` source hashes (for duplicates), a
 * look-ahead of at most `lookahead` source records (to tell a gap from a changed record) and at
 * most `window` skipped-source entries waiting to be classified reordered or lost; the consumers'
 * prefetch queues are capped. Nothing grows with the topic's size.
 *
 * Threads: kc_mirror_verify runs on the caller's thread (librdkafka runs its own). Memory: the
 * options are borrowed; the result is a fixed-size value filled by the call.
 */
#ifndef KC_TESTS_MIRROR_VERIFY_H
#define KC_TESTS_MIRROR_VERIFY_H

#include <stdio.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"

#define KC_MIRROR_VERIFY_EXAMPLES 5      /* examples kept per category */
#define KC_MIRROR_VERIFY_EXAMPLE_LEN 240

typedef enum kc_mirror_verify_kind {
    KC_MV_LOST,
    KC_MV_DUPLICATED,
    KC_MV_REORDERED,
    KC_MV_DIFFERING,
    KC_MV_KINDS
} kc_mirror_verify_kind;

typedef struct kc_mirror_verify_opts {
    const char *source_bootstrap;   /* required */
    const char *source_topic;       /* required */
    const char *target_bootstrap;   /* required */
    const char *target_topic;       /* required */
    const kc_props *source_config;  /* optional Java client keys (security.protocol, sasl.*, ssl.*) */
    const kc_props *target_config;  /* optional, same for the target */
    int max_seconds;                /* whole run; 0 = 600 */
    long window;                    /* source hashes remembered for duplicates; 0 = 1 << 20 */
    long lookahead;                 /* source records read ahead to find a gap; 0 = 4096 */
} kc_mirror_verify_opts;

typedef struct kc_mirror_verify_result {
    int partitions;                 /* source partitions compared */
    long long source_records;       /* read from the source */
    long long target_records;       /* read from the target */
    long long matched;              /* target records equal to the expected source record */
    long long count[KC_MV_KINDS];   /* lost, duplicated, reordered, differing */
    int examples_n[KC_MV_KINDS];
    char examples[KC_MV_KINDS][KC_MIRROR_VERIFY_EXAMPLES][KC_MIRROR_VERIFY_EXAMPLE_LEN];
} kc_mirror_verify_result;

/* Compares o->source_topic with o->target_topic and fills r (cleared first). Returns 0 when the
 * comparison ran to the end (whatever it found: look at r / kc_mirror_verify_ok), -1 with err set
 * when it could not (bad option or client config, topic missing, cluster unreachable,
 * KC_ERR_TIMEOUT after max_seconds). */
int kc_mirror_verify(const kc_mirror_verify_opts *o, kc_mirror_verify_result *r, kc_error *err);

/* 1 when lost, reordered and differing are all 0. */
int kc_mirror_verify_ok(const kc_mirror_verify_result *r);

/* Prints counts and examples, one item a line, each line starting with prefix. */
void kc_mirror_verify_print(const kc_mirror_verify_result *r, FILE *out, const char *prefix);

#endif
