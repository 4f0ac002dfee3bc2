/*
 * MirrorMaker 2 offset translation core: OffsetSyncStore, OffsetSyncWriter, checkpoint and group
 * sync decisions. Each case names the Java test it mirrors (apache/kafka connect/mirror:
 * OffsetSyncStoreTest, OffsetSyncWriterTest, MirrorSourceTaskTest, MirrorCheckpointTaskTest; same
 * inputs, same expected values) or the checklist item of spec/mirrormaker2.md 9.4-9.7 (values
 * produced by running Kafka's own classes). The last case is a randomized simulation of replicated
 * partitions checking that translation never skips a record and that the replay bound holds.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/mirror/checkpoint_logic.h"
#include "connectors/mirror/offset_sync_store.h"
#include "connectors/mirror/offset_sync_writer.h"
#include "kc_test.h"

#define EMPTY INT64_MIN /* Java's OptionalLong.empty() */
static const char *TP = "topic1"; /* OffsetSyncStoreTest's tp = topic1-2 */
#define TPP 2

/* ---- helpers ---------------------------------------------------------------------------------- */

static kc_offset_sync_store_t *store_new(void)
{
    kc_error err;
    kc_offset_sync_store_t *s = kc_offset_sync_store_new(&err);
    CU_ASSERT_FATAL(s != NULL);
    return s;
}

/* translateDownstream(null, tp, g) as Java's OptionalLong */
static int64_t tr(kc_offset_sync_store_t *s, const char *topic, int32_t p, int64_t g)
{
    kc_offset_translation t;
    return kc_offset_sync_store_translate(s, topic, p, g, -1, &t) ? t.downstream : EMPTY;
}
#define T(s, g) tr((s), TP, TPP, (g))

/* Java OffsetSyncStoreTest.assertSparseSyncInvariant: B and C for all pairs with different
 * upstream offsets, skipping a pair when a bound wraps negative. */
static void check_invariants(kc_offset_sync_store_t *s, const char *topic, int32_t p)
{
    int64_t u[KC_OFFSET_SYNC_SLOTS];
    for (int i = 0; i < KC_OFFSET_SYNC_SLOTS; i++)
        CU_ASSERT_FATAL(kc_offset_sync_store_sync_at(s, topic, p, i, &u[i], NULL, NULL) == 0);
    for (int j = 0; j < KC_OFFSET_SYNC_SLOTS; j++) {
        for (int i = 0; i < j; i++) {
            if (u[i] == u[j])
                continue;
            int64_t lower = (int64_t)((uint64_t)u[j] + (UINT64_C(1) << (i > 2 ? i - 2 : 0)));
            if (lower < 0)
                continue;
            if (u[i] < lower)
                CU_FAIL_FATAL("invariant C violated");
            int64_t upper = (int64_t)((uint64_t)u[j] + (UINT64_C(1) << j) - (UINT64_C(1) << i));
            if (upper < 0)
                continue;
            if (u[i] > upper)
                CU_FAIL_FATAL("invariant B violated");
        }
    }
}

static void sync(kc_offset_sync_store_t *s, const char *topic, int32_t p, int64_t u, int64_t d)
{
    kc_error err;
    CU_ASSERT_FATAL(kc_offset_sync_store_handle(s, topic, p, u, d, &err) == 0);
    check_invariants(s, topic, p);
}
#define SYNC(s, u, d) sync((s), TP, TPP, (u), (d))

/* The array as "u:d@i, ..." (with_down) or "u@i, ...", one entry per distinct sync. */
static const char *layout(kc_offset_sync_store_t *s, const char *topic, int32_t p, bool with_down)
{
    static char buf[2048];
    size_t n = 0;
    uint64_t prev_id = 0;
    buf[0] = '\0';
    for (int i = 0; i < KC_OFFSET_SYNC_SLOTS; i++) {
        int64_t u, d;
        uint64_t id;
        CU_ASSERT_FATAL(kc_offset_sync_store_sync_at(s, topic, p, i, &u, &d, &id) == 0);
        if (i > 0 && id == prev_id)
            continue;
        prev_id = id;
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%lld", n ? ", " : "", (long long)u);
        if (with_down)
            n += (size_t)snprintf(buf + n, sizeof buf - n, ":%lld", (long long)d);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "@%d", i);
    }
    return buf;
}

/* Java OffsetSyncStoreTest.assertSparseSync */
static void sparse(kc_offset_sync_store_t *s, int64_t sync_offset, int64_t previous)
{
    CU_ASSERT_EQUAL(T(s, sync_offset - 1), previous == -1 ? -1 : previous + 1);
    CU_ASSERT_EQUAL(T(s, sync_offset), sync_offset);
    CU_ASSERT_EQUAL(T(s, sync_offset + 1), sync_offset + 1);
    CU_ASSERT_EQUAL(T(s, sync_offset + 2), sync_offset + 1);
}

/* ---- OffsetSyncStoreTest ---------------------------------------------------------------------- */

/* testOffsetTranslation, with the full value lists of checklist items 39-42 */
static void test_offset_translation(void)
{
    kc_offset_sync_store_t *s = store_new();
    kc_offset_sync_store_start_load(s, true);
    kc_offset_sync_store_mark_read_to_end(s);
    SYNC(s, 100, 200);
    CU_ASSERT_EQUAL(T(s, 150), 201); /* no dead reckoning */
    CU_ASSERT_EQUAL(T(s, 99), -1);
    CU_ASSERT_EQUAL(T(s, 100), 200);
    CU_ASSERT_EQUAL(T(s, 101), 201);
    SYNC(s, 150, 251);
    CU_ASSERT_EQUAL(T(s, 150), 251); /* exact */
    CU_ASSERT_EQUAL(T(s, 5), -1);    /* before any sync */
    CU_ASSERT_EQUAL(T(s, 149), 201);
    CU_ASSERT_EQUAL(T(s, 151), 252);
    CU_ASSERT_EQUAL(T(s, 1000), 252);
    SYNC(s, 200, 10); /* downstream reset */
    CU_ASSERT_EQUAL(T(s, 200), 10);
    CU_ASSERT_EQUAL(T(s, 199), 252);
    CU_ASSERT_EQUAL(T(s, 250), 11);
    CU_ASSERT_STRING_EQUAL(layout(s, TP, TPP, true), "200:10@0, 150:251@7, 100:200@8");
    SYNC(s, 20, 20); /* upstream reset */
    CU_ASSERT_EQUAL(T(s, 20), 20);
    CU_ASSERT_EQUAL(T(s, 19), -1);
    CU_ASSERT_EQUAL(T(s, 100), 21);
    CU_ASSERT_STRING_EQUAL(layout(s, TP, TPP, true), "20:20@0");
    kc_offset_sync_store_free(s);
}

/* testNoTranslationIfStoreNotStarted (checklist 38) */
static void test_no_translation_if_store_not_started(void)
{
    kc_offset_sync_store_t *s = store_new();
    CU_ASSERT_EQUAL(T(s, 0), EMPTY);
    CU_ASSERT_EQUAL(T(s, 100), EMPTY);
    CU_ASSERT_EQUAL(T(s, 200), EMPTY);
    kc_offset_sync_store_start_load(s, true);
    SYNC(s, 100, 200); /* read during startup */
    CU_ASSERT_EQUAL(T(s, 0), EMPTY);
    CU_ASSERT_EQUAL(T(s, 100), EMPTY);
    CU_ASSERT_EQUAL(T(s, 200), EMPTY);
    kc_offset_sync_store_mark_read_to_end(s);
    CU_ASSERT_EQUAL(T(s, 0), -1);
    CU_ASSERT_EQUAL(T(s, 100), 200);
    CU_ASSERT_EQUAL(T(s, 200), 201);
    kc_offset_translation t;
    CU_ASSERT_FALSE(kc_offset_sync_store_translate(s, TP, 3, 100, -1, &t));
    CU_ASSERT_EQUAL(t.status, KC_TRANSLATE_NO_SYNCS);
    kc_offset_sync_store_free(s);
}

/* testNoTranslationIfNoOffsetSync (checklist 38) */
static void test_no_translation_if_no_offset_sync(void)
{
    kc_offset_sync_store_t *s = store_new();
    kc_offset_sync_store_start_load(s, true);
    kc_offset_sync_store_mark_read_to_end(s);
    CU_ASSERT_EQUAL(T(s, 0), EMPTY);
    CU_ASSERT_EQUAL(T(s, 10), EMPTY);
    kc_offset_sync_store_free(s);
}

/* testPastOffsetTranslation (checklist 47, with its layout) */
static void test_past_offset_translation(void)
{
    kc_offset_sync_store_t *s = store_new();
    kc_offset_sync_store_start_load(s, true);
    for (int64_t o = 0; o <= 1000; o += 10)
        SYNC(s, o, o);
    kc_offset_sync_store_mark_read_to_end(s);
    sparse(s, 1000, -1); /* only the latest startup sync */
    for (int64_t o = 1010; o <= 10000; o += 10)
        SYNC(s, o, o);
    sparse(s, 1000, -1); /* invariant D: the last startup sync is still the earliest */
    static const int64_t pairs[][2] = {{4840, 1000}, {6760, 4840}, {8680, 6760}, {9160, 8680},
                                       {9640, 9160}, {9880, 9640}, {9940, 9880}, {9970, 9940},
                                       {9990, 9970}, {10000, 9990}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        sparse(s, pairs[i][0], pairs[i][1]);
    CU_ASSERT_STRING_EQUAL(layout(s, TP, TPP, false), "10000@0, 9990@5, 9970@6, 9940@7, 9880@8, 9640@9, "
                                                      "9160@10, 8680@11, 6760@12, 4840@13, 1000@14");
    SYNC(s, 1500, 11000); /* upstream rewind clears the history */
    CU_ASSERT_EQUAL(T(s, 1499), -1);
    CU_ASSERT_EQUAL(T(s, 1500), 11000);
    CU_ASSERT_EQUAL(T(s, 2000), 11001);
    kc_offset_sync_store_free(s);
}

/* testPastOffsetTranslationWithoutInitializationReadToEnd (checklist 48) */
static void test_past_offset_translation_without_init_read_to_end(void)
{
    kc_offset_sync_store_t *s = store_new();
    kc_offset_sync_store_start_load(s, false);
    for (int64_t o = 0; o <= 1000; o += 10)
        SYNC(s, o, o);
    kc_offset_sync_store_mark_read_to_end(s);
    sparse(s, 480, 0);
    sparse(s, 720, 480);
    sparse(s, 1000, 990);
    CU_ASSERT_STRING_EQUAL(layout(s, TP, TPP, false), "1000@0, 990@5, 960@6, 900@7, 840@8, 720@9, 480@10, 0@11");
    for (int64_t o = 1000; o <= 10000; o += 10) /* the first is a second record with u = 1000 */
        SYNC(s, o, o);
    static const int64_t pairs[][2] = {{3840, 0}, {7680, 3840}, {8640, 7680}, {9120, 8640}, {9600, 9120},
                                       {9840, 9600}, {9900, 9840}, {9960, 9900}, {9990, 9960}, {10000, 9990}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        sparse(s, pairs[i][0], pairs[i][1]);
    CU_ASSERT_STRING_EQUAL(layout(s, TP, TPP, false), "10000@0, 9990@5, 9960@6, 9900@7, 9840@8, 9600@9, "
                                                      "9120@10, 8640@11, 7680@12, 3840@13, 0@14");
    SYNC(s, 1500, 11000);
    CU_ASSERT_EQUAL(T(s, 1499), -1);
    CU_ASSERT_EQUAL(T(s, 1500), 11000);
    CU_ASSERT_EQUAL(T(s, 2000), 11001);
    kc_offset_sync_store_free(s);
}

/* java.util.Random (the LCG every JDK uses), for the spacing tests' streams */
typedef struct jrandom {
    uint64_t seed;
} jrandom;
static void jr_init(jrandom *r, int64_t seed) { r->seed = ((uint64_t)seed ^ UINT64_C(0x5DEECE66D)) & ((UINT64_C(1) << 48) - 1); }
static int32_t jr_next(jrandom *r, int bits)
{
    r->seed = (r->seed * UINT64_C(0x5DEECE66D) + 0xB) & ((UINT64_C(1) << 48) - 1);
    return (int32_t)(uint32_t)(r->seed >> (48 - bits));
}
static int64_t jr_long(jrandom *r)
{
    int64_t hi = jr_next(r, 32), lo = jr_next(r, 32);
    return (int64_t)(((uint64_t)hi << 32) + (uint64_t)lo);
}
/* Random.longs(n, origin, origin + 2^k) element: (nextLong & (2^k - 1)) + origin */
static int64_t jr_long_pow2(jrandom *r, int64_t origin, int k)
{
    return (int64_t)((uint64_t)jr_long(r) & ((UINT64_C(1) << k) - 1)) + origin;
}
static double jr_double(jrandom *r)
{
    int64_t a = jr_next(r, 26), b = jr_next(r, 27);
    return (double)((a << 27) + b) * 0x1.0p-53;
}

/* assertSyncSpacingHasBoundedExpirations: steps come from next_step(ctx) */
typedef int64_t (*step_fn)(void *ctx);
static void spacing(int64_t first, int64_t iterations, step_fn next_step, void *ctx, int max_expirations)
{
    kc_offset_sync_store_t *s = store_new();
    kc_error err;
    kc_offset_sync_store_start_load(s, true);
    kc_offset_sync_store_mark_read_to_end(s);
    CU_ASSERT_FATAL(kc_offset_sync_store_handle(s, TP, TPP, first, first, &err) == 0);
    int64_t offset = first;
    int last_count = 1;
    for (int64_t it = 0; it < iterations; it++) {
        offset += next_step(ctx);
        CU_ASSERT_FATAL(offset >= 0);
        CU_ASSERT_FATAL(kc_offset_sync_store_handle(s, TP, TPP, offset, offset, &err) == 0);
        int64_t u0, u63;
        kc_offset_sync_store_sync_at(s, TP, TPP, 0, &u0, NULL, NULL);
        kc_offset_sync_store_sync_at(s, TP, TPP, 63, &u63, NULL, NULL);
        CU_ASSERT_EQUAL_FATAL(u0, offset); /* invariant A */
        CU_ASSERT_EQUAL_FATAL(u63, first); /* invariant D */
        int count = kc_offset_sync_store_distinct(s, TP, TPP);
        CU_ASSERT_FATAL(last_count - count + 1 <= max_expirations);
        last_count = count;
    }
    kc_offset_sync_store_free(s);
}

static int64_t const_step(void *ctx) { return *(int64_t *)ctx; }

/* testConsistentlySpacedSyncs */
static void test_consistently_spaced_syncs(void)
{
    int64_t iterations = 100, max_step = INT64_MAX / iterations;
    for (int64_t step = 1; step < max_step; step = step * 2 + 1)
        for (int64_t first = 0; first < 30; first++)
            spacing(first, iterations, const_step, &step, 1);
}

typedef struct pow2_ctx {
    jrandom *r;
    int64_t origin;
    int k;
} pow2_ctx;
static int64_t pow2_step(void *ctx)
{
    pow2_ctx *c = ctx;
    return jr_long_pow2(c->r, c->origin, c->k);
}

/* testRandomlySpacedSyncs (new Random(0L), the same streams) */
static void test_randomly_spaced_syncs(void)
{
    jrandom r;
    jr_init(&r, 0);
    int iteration_bits = 10;
    int64_t iterations = INT64_C(1) << iteration_bits;
    for (int n = 1; n < 64 - iteration_bits; n++) {
        pow2_ctx a = {&r, 0, n};
        spacing(0, iterations, pow2_step, &a, n + 2);
        pow2_ctx b = {&r, INT64_C(1) << 16, n}; /* larger minimum step, as offset.lag.max causes */
        spacing(0, iterations, pow2_step, &b, n + 2);
    }
}

static int64_t dropped_step(void *ctx) { return (jr_double(ctx) < 0.5 ? 2 : 1) * 100; }

/* testDroppedSyncsSpacing */
static void test_dropped_syncs_spacing(void)
{
    jrandom r;
    jr_init(&r, 0);
    spacing(0, 10000, dropped_step, &r, 2);
}

/* ---- checklist 9.4 (values produced by Kafka's OffsetSyncStore) ----------------------------- */

static void test_checklist_initial_loads(void)
{
    /* 43: must read to end keeps only the last sync of the load */
    kc_offset_sync_store_t *s = store_new();
    kc_offset_sync_store_start_load(s, true);
    for (int64_t o = 0; o <= 100; o += 10)
        SYNC(s, o, o);
    kc_offset_sync_store_mark_read_to_end(s);
    CU_ASSERT_EQUAL(T(s, 50), -1);
    CU_ASSERT_EQUAL(T(s, 99), -1);
    CU_ASSERT_EQUAL(T(s, 100), 100);
    CU_ASSERT_EQUAL(T(s, 105), 101);
    kc_offset_sync_store_free(s);

    /* 44: without must-read-to-end the sparse history is built */
    s = store_new();
    kc_offset_sync_store_start_load(s, false);
    for (int64_t o = 0; o <= 400; o += 100)
        SYNC(s, o, o);
    kc_offset_sync_store_mark_read_to_end(s);
    CU_ASSERT_STRING_EQUAL(layout(s, TP, TPP, false), "400@0, 300@8, 200@9, 0@10");
    static const int64_t q[][2] = {{0, 0},     {50, 1},    {100, 1},   {150, 1},
                                   {250, 201}, {399, 301}, {400, 400}, {401, 401}};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        CU_ASSERT_EQUAL(T(s, q[i][0]), q[i][1]);
    kc_offset_sync_store_free(s);
}

static void test_checklist_gaps_and_identity(void)
{
    /* 45: downstream gaps */
    kc_offset_sync_store_t *s = store_new();
    kc_offset_sync_store_start_load(s, true);
    kc_offset_sync_store_mark_read_to_end(s);
    SYNC(s, 0, 0);
    SYNC(s, 10, 5);
    SYNC(s, 20, 12);
    static const int64_t q[][2] = {{0, 0}, {5, 1}, {10, 5}, {15, 6}, {20, 12}, {25, 13}};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        CU_ASSERT_EQUAL(T(s, q[i][0]), q[i][1]);
    CU_ASSERT_STRING_EQUAL(layout(s, TP, TPP, true), "20:12@0, 10:5@5, 0:0@6");
    kc_offset_sync_store_free(s);

    /* 49: two records (100,200) are two syncs */
    s = store_new();
    kc_offset_sync_store_start_load(s, true);
    kc_offset_sync_store_mark_read_to_end(s);
    SYNC(s, 100, 200);
    SYNC(s, 100, 200);
    CU_ASSERT_STRING_EQUAL(layout(s, TP, TPP, true), "100:200@0, 100:200@1");
    CU_ASSERT_EQUAL(kc_offset_sync_store_distinct(s, TP, TPP), 2);
    CU_ASSERT_EQUAL(T(s, 100), 200);
    CU_ASSERT_EQUAL(T(s, 101), 201);
    kc_offset_sync_store_free(s);
}

/* 46, and the replay bound (kconnect extension) on the same array */
static void test_checklist_sparse_history_and_replay_bound(void)
{
    kc_offset_sync_store_t *s = store_new();
    kc_offset_sync_store_start_load(s, true);
    kc_offset_sync_store_mark_read_to_end(s);
    for (int64_t o = 0; o <= 10000; o += 100)
        SYNC(s, o, o + 1000);
    CU_ASSERT_STRING_EQUAL(layout(s, TP, TPP, false),
                           "10000@0, 9900@8, 9800@9, 9600@10, 8800@11, 8000@12, 6400@13, 0@14");
    static const int64_t q[][2] = {{0, 1000},     {50, 1001},    {5050, 1001},   {8000, 9000},  {9050, 9801},
                                   {9950, 10901}, {10000, 11000}, {10001, 11001}, {12345, 11001}};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        CU_ASSERT_EQUAL(T(s, q[i][0]), q[i][1]);

    kc_offset_translation t;
    CU_ASSERT(kc_offset_sync_store_translate(s, TP, TPP, 5050, -1, &t));
    CU_ASSERT_EQUAL(t.status, KC_TRANSLATE_AFTER_SYNC);
    CU_ASSERT_EQUAL(t.sync_upstream, 0);
    CU_ASSERT_EQUAL(t.replay_kind, KC_REPLAY_BOUNDED);
    CU_ASSERT_EQUAL(t.replay_bound, 7400 - 1001); /* next stored sync: 6400 -> 7400 */
    CU_ASSERT(kc_offset_sync_store_translate(s, TP, TPP, 9950, -1, &t));
    CU_ASSERT_EQUAL(t.replay_bound, 11000 - 10901);
    CU_ASSERT(kc_offset_sync_store_translate(s, TP, TPP, 10000, -1, &t));
    CU_ASSERT_EQUAL(t.status, KC_TRANSLATE_EXACT);
    CU_ASSERT_EQUAL(t.replay_kind, KC_REPLAY_EXACT);
    CU_ASSERT_EQUAL(t.replay_bound, 0);
    CU_ASSERT(kc_offset_sync_store_translate(s, TP, TPP, 10001, -1, &t)); /* latest sync: no bound */
    CU_ASSERT_EQUAL(t.replay_kind, KC_REPLAY_UNKNOWN);
    CU_ASSERT_EQUAL(t.replay_bound, -1);
    CU_ASSERT(kc_offset_sync_store_translate(s, TP, TPP, 10001, 11010, &t)); /* ... unless the end is known */
    CU_ASSERT_EQUAL(t.replay_kind, KC_REPLAY_BOUNDED);
    CU_ASSERT_EQUAL(t.replay_bound, 9);
    CU_ASSERT(kc_offset_sync_store_translate(s, TP, TPP, 5050, 2000, &t)); /* the end tightens it */
    CU_ASSERT_EQUAL(t.replay_bound, 999);
    CU_ASSERT(kc_offset_sync_store_translate(s, TP, TPP, 5050, 500, &t)); /* end below T: truncated */
    CU_ASSERT_EQUAL(t.replay_kind, KC_REPLAY_UNKNOWN);
    CU_ASSERT_FALSE(kc_offset_sync_store_translate(s, TP, TPP + 1, 5050, 500, &t));
    CU_ASSERT_EQUAL(t.replay_kind, KC_REPLAY_NONE);
    CU_ASSERT(kc_offset_sync_store_translate(s, TP, TPP, -5, -1, &t));
    CU_ASSERT_EQUAL(t.status, KC_TRANSLATE_BEFORE_SYNCS);
    CU_ASSERT_EQUAL(t.downstream, -1);
    CU_ASSERT_EQUAL(t.replay_kind, KC_REPLAY_NONE);
    kc_offset_sync_store_free(s);

    /* downstream reset between the syncs (checklist 41): no bound */
    s = store_new();
    kc_offset_sync_store_start_load(s, true);
    kc_offset_sync_store_mark_read_to_end(s);
    SYNC(s, 150, 251);
    SYNC(s, 200, 10);
    CU_ASSERT(kc_offset_sync_store_translate(s, TP, TPP, 199, -1, &t));
    CU_ASSERT_EQUAL(t.downstream, 252);
    CU_ASSERT_EQUAL(t.replay_kind, KC_REPLAY_UNKNOWN);
    kc_offset_sync_store_free(s);
}

/* Java long arithmetic near Long.MAX_VALUE: no undefined behaviour, Java's skips */
static void test_offsets_near_long_max(void)
{
    kc_offset_sync_store_t *s = store_new();
    kc_offset_sync_store_start_load(s, false);
    kc_offset_sync_store_mark_read_to_end(s);
    for (int64_t k = 40; k >= 0; k -= 3)
        SYNC(s, INT64_MAX - k, 1000 - k);
    /* syncs at MAX-40, MAX-37, ..., MAX-1 (downstream 960 ... 999) */
    CU_ASSERT_EQUAL(T(s, INT64_MAX), 1000);
    CU_ASSERT_EQUAL(T(s, INT64_MAX - 1), 999);
    CU_ASSERT_EQUAL(T(s, INT64_MAX - 40), 960);
    CU_ASSERT_EQUAL(T(s, INT64_MAX - 41), -1);
    kc_offset_sync_store_free(s);
}

/* Readers never see a half-updated array: every sync is (u, u + 7) */
static void *tail_syncs(void *arg)
{
    kc_error err;
    for (int64_t u = 0; u < 200000; u += 3)
        kc_offset_sync_store_handle(arg, TP, TPP, u, u + 7, &err);
    return NULL;
}

static void test_concurrent_handle_and_translate(void)
{
    kc_offset_sync_store_t *s = store_new();
    kc_offset_sync_store_start_load(s, false);
    kc_offset_sync_store_mark_read_to_end(s);
    pthread_t th;
    CU_ASSERT_FATAL(pthread_create(&th, NULL, tail_syncs, s) == 0);
    int bad = 0;
    for (int i = 0; i < 20000; i++) {
        kc_offset_translation t;
        int64_t g = (i * 37) % 200000;
        if (kc_offset_sync_store_translate(s, TP, TPP, g, -1, &t) && t.status >= KC_TRANSLATE_EXACT)
            bad += t.sync_downstream != t.sync_upstream + 7 || t.sync_upstream > g;
    }
    pthread_join(th, NULL);
    CU_ASSERT_EQUAL(bad, 0);
    check_invariants(s, TP, TPP);
    kc_offset_sync_store_free(s);
}

/* ---- OffsetSyncWriter ------------------------------------------------------------------------- */

static kc_offset_sync_writer_t *writer_new(int64_t lag, int in_flight)
{
    kc_error err;
    kc_offset_sync_writer_t *w = kc_offset_sync_writer_new(lag, in_flight, &err);
    CU_ASSERT_FATAL(w != NULL);
    return w;
}

static int queue(kc_offset_sync_writer_t *w, const char *topic, int32_t p, int64_t u, int64_t d)
{
    kc_error err;
    return kc_offset_sync_writer_queue(w, topic, p, u, d, &err);
}

static kc_offset_sync_writer_view peek(kc_offset_sync_writer_t *w, const char *topic, int32_t p)
{
    kc_offset_sync_writer_view v;
    CU_ASSERT_FATAL(kc_offset_sync_writer_peek(w, topic, p, &v) == 0);
    return v;
}

/* MirrorSourceTaskTest.testOffsetSync and testZeroOffsetSync: PartitionState.update/reset */
static void test_partition_state(void)
{
    static const struct {
        int64_t u, d;
        bool expect, reset;
    } lag50[] = {{0, 100, true, true},   {2, 102, true, true},  {3, 152, false, true}, {4, 153, true, true},
                 {5, 154, false, true},  {6, 203, false, true}, {7, 204, true, true},  {2, 206, true, true},
                 {3, 207, false, true},  {4, 3, true, true},    {5, 4, false, false},  {7, 6, true, false},
                 {7, 6, true, false},    {8, 7, true, false},   {10, 57, true, true},  {11, 58, false, false}},
      lag0[] = {{0, 100, true, true}, {2, 102, true, true}, {3, 153, true, true}, {4, 154, true, true},
                {5, 155, true, true}, {6, 207, true, true}, {2, 208, true, true}, {3, 209, true, true},
                {4, 3, true, true},   {5, 4, true, false},  {7, 6, true, false},  {7, 6, true, false},
                {8, 7, true, false},  {10, 57, true, true}, {11, 58, true, false}};
    kc_offset_sync_partition_state st;
    kc_offset_sync_partition_state_init(&st, 50);
    for (size_t i = 0; i < sizeof lag50 / sizeof lag50[0]; i++) {
        CU_ASSERT_EQUAL(kc_offset_sync_partition_state_update(&st, lag50[i].u, lag50[i].d), lag50[i].expect);
        if (lag50[i].reset)
            kc_offset_sync_partition_state_reset(&st);
    }
    CU_ASSERT_FALSE(st.should_sync);
    kc_offset_sync_partition_state_init(&st, 0);
    for (size_t i = 0; i < sizeof lag0 / sizeof lag0[0]; i++) {
        CU_ASSERT_EQUAL(kc_offset_sync_partition_state_update(&st, lag0[i].u, lag0[i].d), lag0[i].expect);
        if (lag0[i].reset)
            kc_offset_sync_partition_state_reset(&st);
    }
}

/* OffsetSyncWriterTest.testMaybeQueueOffsetSyncs, testFirePendingOffsetSyncs, testPromoteDelayedOffsetSyncs */
static void test_writer_java_cases(void)
{
    kc_offset_sync_writer_t *w = writer_new(2, 1);
    CU_ASSERT_EQUAL(queue(w, "topic", 0, 0, 1), 1);
    kc_offset_sync_writer_view v = peek(w, "topic", 0);
    CU_ASSERT(v.has_pending && !v.has_delayed);
    CU_ASSERT_EQUAL(v.state.last_sync_downstream, 1);
    CU_ASSERT_EQUAL(queue(w, "topic", 0, 1, 2), 0);
    v = peek(w, "topic", 0);
    CU_ASSERT(v.has_delayed);
    CU_ASSERT_EQUAL(v.state.last_sync_downstream, 1);
    kc_offset_sync_writer_free(w);

    w = writer_new(1, 1); /* one permit, never released: the callback does not run */
    kc_offset_sync sy;
    queue(w, "topic", 0, 0, 100);
    CU_ASSERT_EQUAL(peek(w, "topic", 0).state.last_sync_downstream, 100);
    CU_ASSERT_FATAL(kc_offset_sync_writer_next(w, &sy));
    CU_ASSERT(strcmp(sy.topic, "topic") == 0 && sy.partition == 0 && sy.upstream == 0 && sy.downstream == 100);
    CU_ASSERT_FALSE(kc_offset_sync_writer_next(w, &sy));
    queue(w, "topic", 0, 2, 102);
    CU_ASSERT_EQUAL(peek(w, "topic", 0).state.last_sync_downstream, 102);
    CU_ASSERT_FALSE(kc_offset_sync_writer_next(w, &sy)); /* in flight: nothing more is sent */
    kc_offset_sync_writer_sent(w);
    CU_ASSERT_FATAL(kc_offset_sync_writer_next(w, &sy));
    CU_ASSERT(sy.upstream == 2 && sy.downstream == 102);
    kc_offset_sync_writer_free(w);

    w = writer_new(50, 1); /* checklist 56 */
    queue(w, "topic", 0, 0, 100);
    queue(w, "topic", 0, 1, 101);
    kc_offset_sync_writer_promote(w);
    size_t pending, delayed;
    kc_offset_sync_writer_counts(w, &pending, &delayed, NULL);
    CU_ASSERT_EQUAL(delayed, 0);
    CU_ASSERT_EQUAL(pending, 1);
    v = peek(w, "topic", 0);
    CU_ASSERT(v.has_pending && v.pending_upstream == 1 && v.pending_downstream == 101);
    kc_offset_sync_writer_free(w);
}

/* Checklist 51-54: which acks are due */
static void expect_due(int64_t lag, const int64_t (*acks)[2], size_t n, const int64_t (*due)[2], size_t ndue)
{
    kc_offset_sync_writer_t *w = writer_new(lag, 0);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (queue(w, "t", 0, acks[i][0], acks[i][1]) == 1) {
            CU_ASSERT_FATAL(k < ndue);
            CU_ASSERT(acks[i][0] == due[k][0] && acks[i][1] == due[k][1]);
            k++;
        }
    }
    CU_ASSERT_EQUAL(k, ndue);
    kc_offset_sync_writer_free(w);
}

static void test_writer_checklist(void)
{
    int64_t acks[301][2];
    for (int i = 0; i <= 300; i++)
        acks[i][0] = 500 + i, acks[i][1] = i;
    expect_due(100, acks, 301, (const int64_t[][2]){{500, 0}, {601, 101}, {702, 202}}, 3);
    expect_due(2, (const int64_t[][2]){{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}}, 5, (const int64_t[][2]){{0, 1}, {3, 4}}, 2);
    expect_due(100, (const int64_t[][2]){{10, 0}, {11, 1}, {13, 2}, {14, 3}}, 4, (const int64_t[][2]){{10, 0}, {13, 2}}, 2);
    expect_due(100, (const int64_t[][2]){{20, 50}, {21, 51}, {22, 10}, {23, 11}}, 4,
               (const int64_t[][2]){{20, 50}, {22, 10}}, 2);
}

/* Checklist 55: lag 0, at most 10 in flight, one pending + one delayed per partition, Java's
 * LinkedHashMap order (a replaced value keeps its place; promotion appends new partitions). */
static void test_writer_queues_and_in_flight(void)
{
    kc_offset_sync_writer_t *w = writer_new(0, 0);
    kc_offset_sync sy;
    char topic[16];
    for (int p = 0; p < 11; p++)
        CU_ASSERT_EQUAL(queue(w, "t", p, 5, 5), 1);
    int sent = 0;
    while (kc_offset_sync_writer_next(w, &sy))
        CU_ASSERT_EQUAL(sy.partition, sent++);
    CU_ASSERT_EQUAL(sent, 10);
    int in_flight;
    size_t pending, delayed;
    kc_offset_sync_writer_counts(w, &pending, &delayed, &in_flight);
    CU_ASSERT(pending == 1 && delayed == 0 && in_flight == 10);
    kc_offset_sync_writer_sent(w);
    CU_ASSERT(kc_offset_sync_writer_next(w, &sy) && sy.partition == 10);
    kc_offset_sync_writer_free(w);

    w = writer_new(100, 1);
    for (int i = 0; i < 3; i++) {
        snprintf(topic, sizeof topic, "t%d", i);
        CU_ASSERT_EQUAL(queue(w, topic, 0, 0, 0), 1); /* first ack of each: due */
    }
    CU_ASSERT_EQUAL(queue(w, "t2", 0, 1, 1), 0);  /* delayed */
    CU_ASSERT_EQUAL(queue(w, "t0", 0, 5, 2), 1);  /* upstream gap: replaces t0's pending in place */
    CU_ASSERT_EQUAL(queue(w, "t3", 0, 0, 0), 1);
    CU_ASSERT_EQUAL(queue(w, "t4", 0, 0, 0), 1);
    CU_ASSERT_EQUAL(queue(w, "t4", 0, 1, 1), 0);
    CU_ASSERT_EQUAL(queue(w, "t5", 0, 0, 0), 1);
    CU_ASSERT(kc_offset_sync_writer_next(w, &sy));
    CU_ASSERT(strcmp(sy.topic, "t0") == 0 && sy.upstream == 5 && sy.downstream == 2);
    kc_offset_sync_writer_sent(w);
    CU_ASSERT_EQUAL(queue(w, "t0", 0, 6, 3), 0);  /* delayed while no longer pending */
    CU_ASSERT_EQUAL(queue(w, "t5", 0, 1, 1), 0);
    CU_ASSERT_EQUAL(queue(w, "t6", 0, 0, 0), 1);
    CU_ASSERT_EQUAL(queue(w, "t6", 0, 1, 1), 0);
    kc_offset_sync_writer_promote(w); /* t2, t4, t5, t6 replace in place; t0 joins at the end */
    static const struct {
        const char *topic;
        int64_t u;
    } order[] = {{"t1", 0}, {"t2", 1}, {"t3", 0}, {"t4", 1}, {"t5", 1}, {"t6", 1}, {"t0", 6}};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        CU_ASSERT_FATAL(kc_offset_sync_writer_next(w, &sy));
        CU_ASSERT_STRING_EQUAL(sy.topic, order[i].topic);
        CU_ASSERT_EQUAL(sy.upstream, order[i].u);
        CU_ASSERT_FALSE(kc_offset_sync_writer_next(w, &sy));
        kc_offset_sync_writer_sent(w);
    }
    CU_ASSERT_FALSE(kc_offset_sync_writer_next(w, &sy));
    kc_offset_sync_writer_counts(w, &pending, &delayed, &in_flight);
    CU_ASSERT(pending == 0 && delayed == 0 && in_flight == 0);
    kc_offset_sync_writer_free(w);
}

/* ---- MirrorCheckpointTaskTest ----------------------------------------------------------------- */

static kc_offset_sync_store_t *started(bool must)
{
    kc_offset_sync_store_t *s = store_new();
    kc_offset_sync_store_start_load(s, must);
    kc_offset_sync_store_mark_read_to_end(s);
    return s;
}

/* testCheckpoint (the renamed topics are what DefaultReplicationPolicy gives for source1->target2) */
static void test_checkpoint(void)
{
    kc_offset_sync_store_t *s = started(true);
    sync(s, "topic1", 2, 3, 4);
    sync(s, "target2.topic5", 6, 7, 8);
    kc_checkpoint_result r;
    int64_t off = 10;
    CU_ASSERT(kc_checkpoint_outcome_emits(
        kc_checkpoint_compute(s, "group9", "topic1", 2, &off, NULL, "source1.topic1", -1, NULL, &r)));
    CU_ASSERT_STRING_EQUAL(r.checkpoint.topic, "source1.topic1");
    CU_ASSERT_EQUAL(r.checkpoint.partition, 2);
    CU_ASSERT_STRING_EQUAL(r.checkpoint.group, "group9");
    CU_ASSERT_EQUAL(r.checkpoint.upstream_offset, 10);
    CU_ASSERT_EQUAL(r.checkpoint.downstream_offset, 4 + 1);
    CU_ASSERT_STRING_EQUAL(r.checkpoint.metadata, "");
    off = 12;
    CU_ASSERT_EQUAL(kc_checkpoint_compute(s, "group11", "target2.topic5", 6, &off, NULL, "topic5", -1, NULL, &r),
                    KC_CHECKPOINT_EMIT_FIRST);
    CU_ASSERT_STRING_EQUAL(r.checkpoint.topic, "topic5");
    CU_ASSERT_EQUAL(r.checkpoint.upstream_offset, 12);
    CU_ASSERT_EQUAL(r.checkpoint.downstream_offset, 8 + 1);
    off = 7;
    kc_checkpoint_compute(s, "group13", "target2.topic5", 6, &off, "meta", "topic5", -1, NULL, &r);
    CU_ASSERT_EQUAL(r.checkpoint.upstream_offset, 7);
    CU_ASSERT_EQUAL(r.checkpoint.downstream_offset, 8);
    CU_ASSERT_STRING_EQUAL(r.checkpoint.metadata, "meta");
    CU_ASSERT_EQUAL(r.translation.replay_kind, KC_REPLAY_EXACT);
    kc_offset_sync_store_free(s);
}

/* testNoCheckpointForTopicWithoutOffsetSyncs, testNoCheckpointForTopicWithNullOffsetAndMetadata */
static void test_no_checkpoint_cases(void)
{
    kc_offset_sync_store_t *s = started(true);
    sync(s, "topic1", 0, 3, 4);
    kc_checkpoint_result r;
    int64_t off = 10;
    CU_ASSERT_EQUAL(kc_checkpoint_compute(s, "group9", "topic1", 1, &off, NULL, "source1.topic1", -1, NULL, &r),
                    KC_CHECKPOINT_SKIP_NO_SYNCS);
    CU_ASSERT_EQUAL(kc_checkpoint_compute(s, "group9", "topic1", 0, &off, NULL, "source1.topic1", -1, NULL, &r),
                    KC_CHECKPOINT_EMIT_FIRST);
    CU_ASSERT_EQUAL(kc_checkpoint_compute(s, "g1", "topic1", 0, NULL, NULL, "source1.topic1", -1, NULL, &r),
                    KC_CHECKPOINT_SKIP_NO_COMMIT);
    off = 2;
    CU_ASSERT_EQUAL(kc_checkpoint_compute(s, "g1", "topic1", 0, &off, NULL, "source1.topic1", -1, NULL, &r),
                    KC_CHECKPOINT_SKIP_BEFORE_SYNCS);
    kc_offset_sync_store_free(s);
    s = store_new(); /* not read to end */
    CU_ASSERT_EQUAL(kc_checkpoint_compute(s, "g1", "topic1", 0, &off, NULL, "source1.topic1", -1, NULL, &r),
                    KC_CHECKPOINT_SKIP_NOT_READY);
    kc_offset_sync_store_free(s);
}

/* testCheckpointRecordsMonotonicIfStoreRewinds */
static void test_checkpoints_monotonic_if_store_rewinds(void)
{
    kc_offset_sync_store_t *s = started(true);
    int64_t up = 11, down = 4;
    sync(s, "topic1", 0, up++, down++);
    sync(s, "topic1", 0, up++, down++);
    int64_t group_offset = up, expected = down;
    CU_ASSERT_EQUAL(tr(s, "topic1", 0, group_offset), expected);
    kc_checkpoint_result r;
    CU_ASSERT(kc_checkpoint_outcome_emits(
        kc_checkpoint_compute(s, "g1", "topic1", 0, &group_offset, NULL, "source1.topic1", -1, NULL, &r)));
    kc_checkpoint last = r.checkpoint;
    for (int i = 0; i < 4; i++)
        sync(s, "topic1", 0, up++, down++);
    sync(s, "topic1", 0, up, down);
    CU_ASSERT_NOT_EQUAL(tr(s, "topic1", 0, group_offset), expected); /* the store's answer changed */
    CU_ASSERT_EQUAL(kc_checkpoint_compute(s, "g1", "topic1", 0, &group_offset, NULL, "source1.topic1", -1, &last, &r),
                    KC_CHECKPOINT_SKIP_DOWNSTREAM_REWIND); /* but no checkpoint goes back */
    int64_t rewound = group_offset - 1;
    CU_ASSERT_EQUAL(kc_checkpoint_compute(s, "g1", "topic1", 0, &rewound, NULL, "source1.topic1", -1, &last, &r),
                    KC_CHECKPOINT_EMIT_UPSTREAM_REWIND);
    kc_offset_sync_store_free(s);
}

/* testCheckpointsTaskRestartUsesExistingCheckpoints */
static void test_checkpoints_task_restart(void)
{
    kc_offset_sync_store_t *s = store_new();
    kc_offset_sync_store_start_load(s, false);
    for (int64_t i = 100; i <= 300; i += 100)
        sync(s, "t1", 0, i, i);
    kc_offset_sync_store_mark_read_to_end(s);
    kc_checkpoint_result r;
    int64_t off = 250;
    CU_ASSERT_EQUAL(kc_checkpoint_compute(s, "group1", "t1", 0, &off, NULL, "source1.t1", -1, NULL, &r),
                    KC_CHECKPOINT_EMIT_FIRST);
    CU_ASSERT(r.checkpoint.upstream_offset == 250 && r.checkpoint.downstream_offset == 201);
    kc_checkpoint last = r.checkpoint;
    kc_offset_sync_store_free(s);

    s = store_new(); /* restarted: the sync topic now holds 175, 275, 375, 475 */
    kc_offset_sync_store_start_load(s, false);
    for (int64_t i = 175; i <= 475; i += 100)
        sync(s, "t1", 0, i, i);
    kc_offset_sync_store_mark_read_to_end(s);
    CU_ASSERT_EQUAL(tr(s, "t1", 0, 250), 176);
    CU_ASSERT_EQUAL(tr(s, "t1", 0, 370), 176);
    off = 250;
    CU_ASSERT_FALSE(kc_checkpoint_outcome_emits(
        kc_checkpoint_compute(s, "group1", "t1", 0, &off, NULL, "source1.t1", -1, &last, &r)));
    off = 370;
    CU_ASSERT_FALSE(kc_checkpoint_outcome_emits(
        kc_checkpoint_compute(s, "group1", "t1", 0, &off, NULL, "source1.t1", -1, &last, &r)));
    off = 400;
    CU_ASSERT_EQUAL(kc_checkpoint_compute(s, "group1", "t1", 0, &off, NULL, "source1.t1", -1, &last, &r),
                    KC_CHECKPOINT_EMIT_ADVANCED);
    CU_ASSERT(r.checkpoint.upstream_offset == 400 && r.checkpoint.downstream_offset == 376);
    kc_offset_sync_store_free(s);
}

/* Checklist 60 (the rule table) and 61 */
static void test_checkpoint_rule_table(void)
{
    kc_checkpoint last = {.upstream_offset = 100, .downstream_offset = 50};
    static const struct {
        int64_t u, d;
        kc_checkpoint_outcome o;
    } c[] = {{120, 50, KC_CHECKPOINT_SKIP_REPEATED},
             {120, 51, KC_CHECKPOINT_EMIT_ADVANCED},
             {90, 40, KC_CHECKPOINT_EMIT_UPSTREAM_REWIND},
             {130, 45, KC_CHECKPOINT_SKIP_DOWNSTREAM_REWIND}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        kc_checkpoint cand = {.upstream_offset = c[i].u, .downstream_offset = c[i].d};
        CU_ASSERT_EQUAL(kc_checkpoint_is_more_recent(&last, &cand), c[i].o);
    }
    kc_checkpoint cand = {.upstream_offset = 1, .downstream_offset = 0};
    CU_ASSERT_EQUAL(kc_checkpoint_is_more_recent(NULL, &cand), KC_CHECKPOINT_EMIT_FIRST);

    kc_offset_sync_store_t *s = started(true);
    sync(s, "orders", 0, 100, 200);
    sync(s, "orders", 0, 150, 251);
    kc_checkpoint_result r;
    int64_t off = 150;
    kc_checkpoint_compute(s, "g", "orders", 0, &off, "m", "A.orders", -1, NULL, &r);
    CU_ASSERT_STRING_EQUAL(r.checkpoint.group, "g");
    CU_ASSERT_STRING_EQUAL(r.checkpoint.topic, "A.orders");
    CU_ASSERT(r.checkpoint.partition == 0 && r.checkpoint.upstream_offset == 150 && r.checkpoint.downstream_offset == 251);
    CU_ASSERT_STRING_EQUAL(r.checkpoint.metadata, "m");
    kc_offset_sync_store_free(s);
}

/* testSyncOffset, testSyncOffsetForTargetGroupWithNullOffsetAndMetadata, checklist 62-64 */
static void test_group_offset_sync(void)
{
    int64_t t100 = 100, t50 = 50, t70 = 70;
    CU_ASSERT_EQUAL(kc_group_offset_sync_decide(true, KC_TARGET_GROUP_EMPTY, &t100, 101), KC_GROUP_SYNC_WRITE);
    CU_ASSERT_EQUAL(kc_group_offset_sync_decide(true, KC_TARGET_GROUP_EMPTY, &t50, 51), KC_GROUP_SYNC_WRITE);
    CU_ASSERT_EQUAL(kc_group_offset_sync_decide(true, KC_TARGET_GROUP_EMPTY, NULL, 101), KC_GROUP_SYNC_WRITE);
    CU_ASSERT_EQUAL(kc_group_offset_sync_decide(true, KC_TARGET_GROUP_EMPTY, &t70, 60), KC_GROUP_SYNC_SKIP_NOT_FORWARD);
    CU_ASSERT_EQUAL(kc_group_offset_sync_decide(true, KC_TARGET_GROUP_EMPTY, &t70, 70), KC_GROUP_SYNC_SKIP_NOT_FORWARD);
    CU_ASSERT_EQUAL(kc_group_offset_sync_decide(true, KC_TARGET_GROUP_EMPTY, &t70, 80), KC_GROUP_SYNC_WRITE);
    CU_ASSERT_EQUAL(kc_group_offset_sync_decide(true, KC_TARGET_GROUP_DEAD, NULL, 80), KC_GROUP_SYNC_WRITE);
    CU_ASSERT_EQUAL(kc_group_offset_sync_decide(true, KC_TARGET_GROUP_ACTIVE, &t70, 80), KC_GROUP_SYNC_SKIP_ACTIVE);
    CU_ASSERT_EQUAL(kc_group_offset_sync_decide(true, KC_TARGET_GROUP_UNKNOWN, NULL, 80), KC_GROUP_SYNC_SKIP_UNKNOWN_STATE);
    CU_ASSERT_EQUAL(kc_group_offset_sync_decide(false, KC_TARGET_GROUP_DEAD, NULL, 80), KC_GROUP_SYNC_SKIP_DISABLED);
    CU_ASSERT_EQUAL(kc_group_offset_sync_decide(true, KC_TARGET_GROUP_DEAD, NULL, -1), KC_GROUP_SYNC_SKIP_INVALID);
    CU_ASSERT_STRING_EQUAL(kc_group_sync_decision_name(KC_GROUP_SYNC_SKIP_ACTIVE), "skip-active");
    CU_ASSERT_STRING_EQUAL(kc_checkpoint_outcome_name(KC_CHECKPOINT_SKIP_DOWNSTREAM_REWIND), "skip-downstream-rewind");
}

/* ---- randomized simulation -------------------------------------------------------------------- */
/*
 * Replicated partitions with upstream gaps (compaction, transaction markers), records dropped by
 * an SMT, foreign records and markers in the target, lost and late offset syncs, promotions at
 * offset commits, source task restarts (the writer starts over and re-replicates from the last
 * committed source offset: duplicates in a new run of the target log) and checkpoint task
 * restarts (the store reloads a compacted offset-syncs topic, with or without must-read-to-end).
 * Every translation must not point past the true position (no skipped record), must be exact
 * when it says so, and must respect its replay bound; emitted checkpoints only go back after an
 * upstream rewind, and the target group offset only moves forward.
 */
typedef struct xrng {
    uint64_t s;
} xrng;
static uint64_t xr_next(xrng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}
static int64_t xr_range(xrng *r, int64_t lo, int64_t hi) { return lo + (int64_t)(xr_next(r) % (uint64_t)(hi - lo + 1)); }
static bool xr_chance(xrng *r, double p) { return (double)(xr_next(r) >> 11) * 0x1.0p-53 < p; }

#define SIM_PARTS 3
#define SIM_RECORDS 1500
#define SIM_RUNS 64 /* target log runs (one per source task lifetime) */

typedef struct sim_part {
    int64_t up[SIM_RECORDS];    /* upstream offsets, increasing, with gaps */
    bool filtered[SIM_RECORDS]; /* dropped by an SMT: never written, never acknowledged */
    int next;                   /* next upstream record to replicate */
    int committed;              /* source offset commit: records [0, committed) done */
    int64_t *down;              /* target log: upstream offset per position, -1 for foreign records */
    int64_t leo;
    int64_t *wu, *wpos;         /* records written, in write order */
    size_t wn, cap;
    int64_t run_pos[SIM_RUNS];  /* first target position of each run */
    size_t run_w[SIM_RUNS];     /* first index into wu/wpos of each run */
    int runs;
    int64_t group;              /* a consumer group's upstream offset */
    bool has_last;              /* its last emitted checkpoint */
    kc_checkpoint last;
    bool has_target;            /* its committed offset on the target */
    int64_t target;
} sim_part;

typedef struct sim_sync {
    int32_t p;
    int64_t u, d;
} sim_sync;

typedef struct sim {
    xrng r;
    int64_t lag;
    int max_in_flight;
    double p_gap, p_filter, p_foreign, p_lost;
    sim_part part[SIM_PARTS];
    kc_offset_sync_writer_t *w;
    kc_offset_sync_store_t *store;
    sim_sync in_flight[KC_OFFSET_SYNC_MAX_IN_FLIGHT];
    int nfl;
    sim_sync *log; /* the offset-syncs topic */
    size_t nlog, caplog;
    long exact, bounded, unknown, before, emitted, writes;
} sim;

static void push_down(sim_part *sp, int64_t u)
{
    if ((size_t)sp->leo + 1 > sp->cap) {
        sp->cap = sp->cap ? sp->cap * 2 : 4096;
        sp->down = realloc(sp->down, sp->cap * sizeof *sp->down);
        sp->wu = realloc(sp->wu, sp->cap * sizeof *sp->wu);
        sp->wpos = realloc(sp->wpos, sp->cap * sizeof *sp->wpos);
        CU_ASSERT_FATAL(sp->down && sp->wu && sp->wpos);
    }
    if (u >= 0) {
        sp->wu[sp->wn] = u;
        sp->wpos[sp->wn++] = sp->leo;
    }
    sp->down[sp->leo++] = u;
}

/* The store reads one sync; the invariants are checked on a sample (2016 pairs each). */
static void sim_store_sync(sim *m, const sim_sync *s)
{
    kc_error err;
    CU_ASSERT_FATAL(kc_offset_sync_store_handle(m->store, "t", s->p, s->u, s->d, &err) == 0);
    if (xr_chance(&m->r, 0.05))
        check_invariants(m->store, "t", s->p);
}

static void sim_fire(sim *m)
{
    kc_offset_sync sy;
    while (kc_offset_sync_writer_next(m->w, &sy)) {
        CU_ASSERT_FATAL(m->nfl < m->max_in_flight);
        CU_ASSERT_STRING_EQUAL(sy.topic, "t");
        m->in_flight[m->nfl++] = (sim_sync){sy.partition, sy.upstream, sy.downstream};
    }
}

/* The producer acknowledges the oldest in-flight sync (or fails it); the store reads it. */
static void sim_deliver(sim *m, bool fire)
{
    if (m->nfl == 0)
        return;
    sim_sync s = m->in_flight[0];
    memmove(m->in_flight, m->in_flight + 1, (size_t)--m->nfl * sizeof *m->in_flight);
    kc_offset_sync_writer_sent(m->w);
    if (!xr_chance(&m->r, m->p_lost)) {
        if (m->nlog == m->caplog) {
            m->caplog = m->caplog ? m->caplog * 2 : 1024;
            m->log = realloc(m->log, m->caplog * sizeof *m->log);
            CU_ASSERT_FATAL(m->log != NULL);
        }
        m->log[m->nlog++] = s;
        sim_store_sync(m, &s);
    }
    if (fire)
        sim_fire(m);
}

static void sim_replicate(sim *m, sim_part *sp, int32_t p)
{
    if (sp->next >= SIM_RECORDS)
        return;
    int k = sp->next++;
    if (sp->filtered[k])
        return;
    while (xr_chance(&m->r, m->p_foreign))
        push_down(sp, -1);
    int64_t pos = sp->leo;
    push_down(sp, sp->up[k]);
    CU_ASSERT_FATAL(queue(m->w, "t", p, sp->up[k], pos) >= 0);
    sim_fire(m);
}

static void sim_restart_source(sim *m)
{
    while (m->nfl) /* stopping closes the producer, which completes what is in flight */
        sim_deliver(m, false);
    kc_offset_sync_writer_free(m->w);
    m->w = writer_new(m->lag, m->max_in_flight);
    for (int p = 0; p < SIM_PARTS; p++) {
        sim_part *sp = &m->part[p];
        if (sp->runs == SIM_RUNS)
            continue;
        sp->next = sp->committed; /* re-replicates what was not committed */
        sp->run_pos[sp->runs] = sp->leo;
        sp->run_w[sp->runs++] = sp->wn;
    }
}

static void sim_restart_checkpoints(sim *m)
{
    bool must = xr_chance(&m->r, 0.5); /* true: the checkpoints topic could not be read */
    kc_offset_sync_store_free(m->store);
    m->store = store_new();
    kc_offset_sync_store_start_load(m->store, must);
    /* compaction removed an arbitrary prefix except the latest sync of each partition */
    size_t from = (size_t)xr_range(&m->r, 0, (int64_t)m->nlog);
    size_t last[SIM_PARTS];
    for (int p = 0; p < SIM_PARTS; p++)
        last[p] = SIZE_MAX;
    for (size_t i = 0; i < m->nlog; i++)
        last[m->log[i].p] = i;
    for (size_t i = 0; i < m->nlog; i++)
        if (i >= from || i == last[m->log[i].p])
            sim_store_sync(m, &m->log[i]);
    kc_offset_sync_store_mark_read_to_end(m->store);
    for (int p = 0; must && p < SIM_PARTS; p++)
        m->part[p].has_last = false;
}

/* Checks one translation of group offset g against the target log. */
static void sim_check(sim *m, sim_part *sp, int64_t g, const kc_offset_translation *t)
{
    if (t->status == KC_TRANSLATE_BEFORE_SYNCS) {
        CU_ASSERT(t->sync_upstream > g && t->downstream == -1);
        m->before++;
        return;
    }
    if (t->status < KC_TRANSLATE_EXACT)
        return;
    int64_t sd = t->sync_downstream;
    CU_ASSERT_FATAL(sd >= 0 && sd < sp->leo && sp->down[sd] == t->sync_upstream); /* a true sync */
    CU_ASSERT_FATAL(t->sync_upstream <= g);
    int run = 0;
    while (run + 1 < sp->runs && sp->run_pos[run + 1] <= sd)
        run++;
    size_t lo = sp->run_w[run], hi = run + 1 < sp->runs ? sp->run_w[run + 1] : sp->wn;
    int64_t p_true = run + 1 < sp->runs ? sp->run_pos[run + 1] : sp->leo;
    while (lo < hi) { /* first record of the run with upstream >= g (upstream order = log order) */
        size_t mid = lo + (hi - lo) / 2;
        if (sp->wu[mid] < g)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < (run + 1 < sp->runs ? sp->run_w[run + 1] : sp->wn))
        p_true = sp->wpos[lo];
    CU_ASSERT_FATAL(t->downstream <= p_true); /* no skipped record */
    if (t->replay_kind == KC_REPLAY_EXACT) {
        CU_ASSERT_FATAL(p_true == t->downstream);
        m->exact++;
    } else if (t->replay_kind == KC_REPLAY_BOUNDED) {
        CU_ASSERT_FATAL(p_true - t->downstream <= t->replay_bound);
        m->bounded++;
    } else {
        CU_ASSERT_FATAL(t->replay_kind == KC_REPLAY_UNKNOWN);
        m->unknown++;
    }
}

/* The log end is a valid cap only when no record below g is still to be replicated. */
static int64_t sim_end_for(sim *m, const sim_part *sp, int64_t g)
{
    bool caught_up = sp->next >= SIM_RECORDS || sp->up[sp->next] >= g;
    return caught_up && xr_chance(&m->r, 0.7) ? sp->leo : -1;
}

static void sim_query(sim *m, sim_part *sp, int32_t p)
{
    int64_t hi = sp->up[sp->next > 0 ? sp->next - 1 : 0] + 30;
    int64_t g = xr_range(&m->r, sp->up[0] > 3 ? sp->up[0] - 3 : 0, hi);
    kc_offset_translation t;
    kc_offset_sync_store_translate(m->store, "t", p, g, sim_end_for(m, sp, g), &t);
    sim_check(m, sp, g, &t);
}

static void sim_checkpoint(sim *m, sim_part *sp, int32_t p)
{
    if (xr_chance(&m->r, 0.03))
        sp->group = sp->group > 300 ? sp->group - xr_range(&m->r, 1, 300) : 0; /* offsets reset */
    else
        sp->group += xr_range(&m->r, 0, 25);
    kc_checkpoint_result res;
    kc_checkpoint_outcome o = kc_checkpoint_compute(m->store, "g", "t", p, &sp->group, "meta", "A.t",
                                                    sim_end_for(m, sp, sp->group), sp->has_last ? &sp->last : NULL, &res);
    if (!kc_checkpoint_outcome_emits(o)) {
        if (o == KC_CHECKPOINT_SKIP_REPEATED || o == KC_CHECKPOINT_SKIP_DOWNSTREAM_REWIND)
            CU_ASSERT_FATAL(sp->has_last && res.checkpoint.downstream_offset <= sp->last.downstream_offset &&
                            sp->group >= sp->last.upstream_offset);
        return;
    }
    sim_check(m, sp, sp->group, &res.translation);
    if (o == KC_CHECKPOINT_EMIT_ADVANCED)
        CU_ASSERT_FATAL(res.checkpoint.downstream_offset > sp->last.downstream_offset);
    if (o == KC_CHECKPOINT_EMIT_UPSTREAM_REWIND)
        CU_ASSERT_FATAL(res.checkpoint.upstream_offset < sp->last.upstream_offset);
    CU_ASSERT_FATAL(o != KC_CHECKPOINT_EMIT_FIRST || !sp->has_last);
    sp->last = res.checkpoint;
    sp->has_last = true;
    m->emitted++;
    /* the group is Empty on the target: write only forward */
    kc_group_sync_decision d = kc_group_offset_sync_decide(true, KC_TARGET_GROUP_EMPTY, sp->has_target ? &sp->target : NULL,
                                                           res.checkpoint.downstream_offset);
    if (d == KC_GROUP_SYNC_WRITE) {
        CU_ASSERT_FATAL(!sp->has_target || res.checkpoint.downstream_offset > sp->target);
        sp->target = res.checkpoint.downstream_offset;
        sp->has_target = true;
        m->writes++;
    } else {
        CU_ASSERT_FATAL(d == KC_GROUP_SYNC_SKIP_NOT_FORWARD && sp->target >= res.checkpoint.downstream_offset);
    }
}

static void sim_run(sim *m, uint64_t seed)
{
    memset(m, 0, sizeof *m);
    m->r.s = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;
    static const int64_t lags[] = {0, 1, 3, 10, 100};
    static const int in_flights[] = {1, 2, 10};
    m->lag = lags[xr_range(&m->r, 0, 4)];
    m->max_in_flight = in_flights[xr_range(&m->r, 0, 2)];
    m->p_gap = xr_chance(&m->r, 0.3) ? 0 : 0.15;
    m->p_filter = xr_chance(&m->r, 0.5) ? 0 : 0.1;
    m->p_foreign = xr_chance(&m->r, 0.5) ? 0 : 0.1;
    m->p_lost = xr_chance(&m->r, 0.5) ? 0 : 0.2;
    int flush_every = (int)xr_range(&m->r, 20, 400);
    for (int p = 0; p < SIM_PARTS; p++) {
        sim_part *sp = &m->part[p];
        int64_t u = xr_range(&m->r, 0, 50);
        for (int k = 0; k < SIM_RECORDS; k++) {
            sp->up[k] = u;
            sp->filtered[k] = xr_chance(&m->r, m->p_filter);
            u += 1 + (xr_chance(&m->r, m->p_gap) ? xr_range(&m->r, 1, 20) : 0);
        }
        sp->runs = 1;
        sp->group = sp->up[0];
    }
    m->w = writer_new(m->lag, m->max_in_flight);
    m->store = store_new();
    kc_offset_sync_store_start_load(m->store, true);
    kc_offset_sync_store_mark_read_to_end(m->store);
    for (int step = 1; step <= 9000; step++) {
        int32_t p = (int32_t)xr_range(&m->r, 0, SIM_PARTS - 1);
        int64_t roll = xr_range(&m->r, 0, 999);
        if (roll < 550)
            sim_replicate(m, &m->part[p], p);
        else if (roll < 800)
            sim_deliver(m, true);
        else if (roll < 803)
            sim_restart_source(m);
        else if (roll < 806)
            sim_restart_checkpoints(m);
        else if (roll < 900)
            sim_query(m, &m->part[p], p);
        else
            sim_checkpoint(m, &m->part[p], p);
        if (step % flush_every == 0) { /* offset commit: promote delayed syncs, commit source offsets */
            kc_offset_sync_writer_promote(m->w);
            sim_fire(m);
            for (int q = 0; q < SIM_PARTS; q++)
                m->part[q].committed = m->part[q].next;
        }
        size_t pending, delayed;
        kc_offset_sync_writer_counts(m->w, &pending, &delayed, NULL);
        CU_ASSERT_FATAL(pending <= SIM_PARTS && delayed <= SIM_PARTS); /* bounded per partition */
    }
    kc_offset_sync_writer_free(m->w);
    kc_offset_sync_store_free(m->store);
    for (int p = 0; p < SIM_PARTS; p++) {
        free(m->part[p].down);
        free(m->part[p].wu);
        free(m->part[p].wpos);
    }
    free(m->log);
}

static void test_simulation(void)
{
    sim *m = malloc(sizeof *m);
    CU_ASSERT_FATAL(m != NULL);
    long exact = 0, bounded = 0, unknown = 0, before = 0, emitted = 0, writes = 0;
    for (uint64_t seed = 1; seed <= 120; seed++) {
        sim_run(m, seed);
        exact += m->exact, bounded += m->bounded, unknown += m->unknown, before += m->before;
        emitted += m->emitted, writes += m->writes;
    }
    free(m);
    printf("\n    translations: %ld exact, %ld bounded, %ld unknown, %ld before syncs; %ld checkpoints, %ld group writes ",
           exact, bounded, unknown, before, emitted, writes);
    /* the simulation must exercise every kind of result */
    CU_ASSERT(exact > 100 && bounded > 1000 && unknown > 100 && before > 10 && emitted > 1000 && writes > 100);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"OffsetSyncStoreTest.testOffsetTranslation (+ items 39-42)", test_offset_translation},
        {"OffsetSyncStoreTest.testNoTranslationIfStoreNotStarted", test_no_translation_if_store_not_started},
        {"OffsetSyncStoreTest.testNoTranslationIfNoOffsetSync", test_no_translation_if_no_offset_sync},
        {"OffsetSyncStoreTest.testPastOffsetTranslation (item 47)", test_past_offset_translation},
        {"OffsetSyncStoreTest.testPastOffsetTranslationWithoutInitializationReadToEnd (item 48)",
         test_past_offset_translation_without_init_read_to_end},
        {"OffsetSyncStoreTest.testConsistentlySpacedSyncs", test_consistently_spaced_syncs},
        {"OffsetSyncStoreTest.testRandomlySpacedSyncs", test_randomly_spaced_syncs},
        {"OffsetSyncStoreTest.testDroppedSyncsSpacing", test_dropped_syncs_spacing},
        {"checklist 43-44: initial loads", test_checklist_initial_loads},
        {"checklist 45, 49: downstream gaps, sync identity", test_checklist_gaps_and_identity},
        {"checklist 46 and the replay bound", test_checklist_sparse_history_and_replay_bound},
        {"offsets near Long.MAX_VALUE", test_offsets_near_long_max},
        {"concurrent handle and translate", test_concurrent_handle_and_translate},
        {"MirrorSourceTaskTest.testOffsetSync/testZeroOffsetSync", test_partition_state},
        {"OffsetSyncWriterTest (queue, fire, promote; item 56)", test_writer_java_cases},
        {"checklist 51-54: due syncs", test_writer_checklist},
        {"checklist 55: queues, order, in-flight limit", test_writer_queues_and_in_flight},
        {"MirrorCheckpointTaskTest.testCheckpoint", test_checkpoint},
        {"MirrorCheckpointTaskTest.testNoCheckpointFor*", test_no_checkpoint_cases},
        {"MirrorCheckpointTaskTest.testCheckpointRecordsMonotonicIfStoreRewinds",
         test_checkpoints_monotonic_if_store_rewinds},
        {"MirrorCheckpointTaskTest.testCheckpointsTaskRestartUsesExistingCheckpoints", test_checkpoints_task_restart},
        {"checklist 60-61: checkpoint rule", test_checkpoint_rule_table},
        {"MirrorCheckpointTaskTest.testSyncOffset* and checklist 62-64", test_group_offset_sync},
        {"simulation: no skipped record, replay bound, monotonic checkpoints", test_simulation},
        {NULL, NULL},
    };
    return kc_test_run("offset_translation", cases);
}
