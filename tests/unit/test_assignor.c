/* Connect assignors: the §9 scenarios 1–14 of spec/connect-group-protocol.md. Cooperative rounds
 * run against members that apply each assignment (drop revoked, add assigned) before the next. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/cluster/assignor.h"
#include "kc_test.h"

#define MAXM 8

typedef struct sim {
    kc_coop_assignor *a;
    kc_cp_connector_config conns[8];
    size_t nconns;
    int64_t snapshot_offset;
    int32_t generation;      /* last completed */
    int64_t now;
    const char *ids[MAXM];
    kc_cp_work cur[MAXM];
    int present[MAXM];
    size_t n;
    kc_cp_assignment *last;  /* results of the last round, indexed like ids */
} sim;

static void sim_init(sim *s, int32_t max_delay)
{
    memset(s, 0, sizeof *s);
    s->a = kc_coop_assignor_new(max_delay);
    s->now = 1000000;
}

static void sim_connector(sim *s, const char *name, int32_t tasks)
{
    for (size_t i = 0; i < s->nconns; i++)
        if (strcmp(s->conns[i].name, name) == 0) {
            s->conns[i].tasks = tasks;
            return;
        }
    s->conns[s->nconns].name = name;
    s->conns[s->nconns++].tasks = tasks;
}

static void sim_delete(sim *s, const char *name)
{
    for (size_t i = 0; i < s->nconns; i++)
        if (strcmp(s->conns[i].name, name) == 0) {
            s->conns[i] = s->conns[--s->nconns];
            return;
        }
}

/* Adds (or brings back) an empty member; returns its index. */
static size_t sim_join(sim *s, const char *id)
{
    s->ids[s->n] = id;
    s->present[s->n] = 1;
    return s->n++;
}

static void sim_give(sim *s, size_t m, const char *conn, int32_t task)
{
    kc_error err;
    int rc = task < 0 ? kc_cp_work_add_connector(&s->cur[m], conn, &err)
                      : kc_cp_work_add_task(&s->cur[m], conn, task, &err);
    CU_ASSERT(rc == 0);
}

static size_t m_conns(const sim *s, size_t m)
{
    return s->cur[m].nconnectors;
}

static size_t m_tasks(const sim *s, size_t m)
{
    return s->cur[m].ntasks;
}

static int work_has(const kc_cp_work *w, const char *conn, int32_t task)
{
    if (task < 0) {
        for (size_t i = 0; i < w->nconnectors; i++)
            if (strcmp(w->connectors[i], conn) == 0)
                return 1;
        return 0;
    }
    for (size_t i = 0; i < w->ntasks; i++)
        if (strcmp(w->tasks[i].connector, conn) == 0 && w->tasks[i].task == task)
            return 1;
    return 0;
}

static size_t work_size(const kc_cp_work *w)
{
    return w->nconnectors + w->ntasks;
}

static void work_remove(kc_cp_work *w, const kc_cp_work *rm)
{
    kc_cp_work keep = {0};
    kc_error err;
    for (size_t i = 0; i < w->nconnectors; i++)
        if (!work_has(rm, w->connectors[i], -1))
            kc_cp_work_add_connector(&keep, w->connectors[i], &err);
    for (size_t i = 0; i < w->ntasks; i++)
        if (!work_has(rm, w->tasks[i].connector, w->tasks[i].task))
            kc_cp_work_add_task(&keep, w->tasks[i].connector, w->tasks[i].task, &err);
    kc_cp_work_clear(w);
    *w = keep;
}

static void sim_free_last(sim *s)
{
    if (s->last) {
        size_t k = 0;
        for (size_t m = 0; m < s->n; m++)
            k += s->present[m];
        (void)k;
        for (size_t m = 0; m < s->n; m++)
            kc_cp_assignment_clear(&s->last[m]);
        free(s->last);
        s->last = NULL;
    }
}

/* One cooperative round led by the first present member; applies the results. */
static void sim_round(sim *s)
{
    sim_free_last(s);
    kc_cp_member members[MAXM];
    size_t pos[MAXM], k = 0;
    char urls[MAXM][32];
    for (size_t m = 0; m < s->n; m++) {
        if (!s->present[m])
            continue;
        snprintf(urls[m], sizeof urls[m], "http://%s:8083/", s->ids[m]);
        members[k] = (kc_cp_member){s->ids[m], urls[m], s->snapshot_offset, &s->cur[m]};
        pos[k++] = m;
    }
    kc_cp_snapshot snap = {s->snapshot_offset, s->conns, s->nconns};
    kc_cp_assign_input in = {
        .leader_id = members[0].member_id, .members = members, .nmembers = k, .snapshot = &snap,
        .protocol = KC_CP_SESSIONED, .generation = s->generation + 1, .last_completed_generation = s->generation,
        .now_ms = s->now};
    kc_error err;
    kc_cp_assignment *out = kc_coop_assign(s->a, &in, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    s->generation++;
    s->last = calloc(MAXM, sizeof *s->last);
    for (size_t i = 0; i < k; i++) {
        size_t m = pos[i];
        CU_ASSERT_EQUAL(out[i].version, 2);
        CU_ASSERT_EQUAL(out[i].error, 0);
        CU_ASSERT_STRING_EQUAL(out[i].leader, members[0].member_id);
        CU_ASSERT_STRING_EQUAL(out[i].leader_url, urls[pos[0]]);
        work_remove(&s->cur[m], &out[i].revoked);
        kc_cp_work add;
        CU_ASSERT(kc_cp_work_copy(&add, &out[i].assigned, &err) == 0);
        for (size_t j = 0; j < add.nconnectors; j++)
            kc_cp_work_add_connector(&s->cur[m], add.connectors[j], &err);
        for (size_t j = 0; j < add.ntasks; j++)
            kc_cp_work_add_task(&s->cur[m], add.tasks[j].connector, add.tasks[j].task, &err);
        kc_cp_work_clear(&add);
        s->last[m] = out[i];
    }
    free(out);
}

static void sim_free(sim *s)
{
    sim_free_last(s);
    for (size_t m = 0; m < MAXM; m++)
        kc_cp_work_clear(&s->cur[m]);
    kc_coop_assignor_free(s->a);
}

static int32_t delay_of(const sim *s)
{
    for (size_t m = 0; m < s->n; m++)
        if (s->present[m])
            return s->last[m].delay;
    return -1;
}

static size_t changes(const sim *s)
{
    size_t c = 0;
    for (size_t m = 0; m < s->n; m++)
        if (s->present[m])
            c += work_size(&s->last[m].assigned) + work_size(&s->last[m].revoked);
    return c;
}

/* ---- eager ------------------------------------------------------------------------------------ */

static void test_eager_scenario_1(void)
{
    kc_cp_connector_config conns[] = {{"B", 1}, {"A", 2}};
    kc_cp_snapshot snap = {3, conns, 2};
    kc_cp_member members[] = {
        {"w3", "http://w3/", 3, NULL}, {"w1", "http://w1/", 3, NULL}, {"w2", "http://w2/", 2, NULL}};
    kc_cp_assign_input in = {.leader_id = "w1", .members = members, .nmembers = 3, .snapshot = &snap,
                             .protocol = KC_CP_EAGER, .generation = 1, .last_completed_generation = -1};
    kc_error err;
    kc_cp_assignment *out = kc_eager_assign(&in, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    const kc_cp_assignment *w3 = &out[0], *w1 = &out[1], *w2 = &out[2];
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(out[i].version, 0);
        CU_ASSERT_EQUAL(out[i].error, 0);
        CU_ASSERT_EQUAL(out[i].config_offset, 3);
        CU_ASSERT_STRING_EQUAL(out[i].leader, "w1");
        CU_ASSERT_STRING_EQUAL(out[i].leader_url, "http://w1/");
    }
    CU_ASSERT(w1->assigned.nconnectors == 1 && work_has(&w1->assigned, "A", -1));
    CU_ASSERT(w1->assigned.ntasks == 1 && work_has(&w1->assigned, "A", 1));
    CU_ASSERT(w2->assigned.nconnectors == 1 && work_has(&w2->assigned, "B", -1));
    CU_ASSERT(w2->assigned.ntasks == 1 && work_has(&w2->assigned, "B", 0));
    CU_ASSERT(w3->assigned.nconnectors == 0);
    CU_ASSERT(w3->assigned.ntasks == 1 && work_has(&w3->assigned, "A", 0));
    kc_cp_assignments_free(out, 3);
}

/* ---- cooperative ------------------------------------------------------------------------------ */

/* #2 and #3: w1 alone with A(4), B(4); w2 joins. */
static void build_balanced_two(sim *s, size_t *w1, size_t *w2)
{
    sim_connector(s, "A", 4);
    sim_connector(s, "B", 4);
    *w1 = sim_join(s, "w1");
    sim_round(s);
    *w2 = sim_join(s, "w2");
    sim_round(s);
    sim_round(s);
}

static void test_coop_scenario_2_3(void)
{
    sim s;
    sim_init(&s, 300000);
    sim_connector(&s, "A", 4);
    sim_connector(&s, "B", 4);
    size_t w1 = sim_join(&s, "w1");
    sim_round(&s);
    CU_ASSERT_EQUAL(s.last[w1].assigned.nconnectors, 2);
    CU_ASSERT_EQUAL(s.last[w1].assigned.ntasks, 8);
    CU_ASSERT_EQUAL(work_size(&s.last[w1].revoked), 0);
    CU_ASSERT_EQUAL(s.last[w1].delay, 0);

    size_t w2 = sim_join(&s, "w2");
    sim_round(&s);
    const kc_cp_work *rv = &s.last[w1].revoked;
    CU_ASSERT(rv->nconnectors == 1 && work_has(rv, "A", -1));
    CU_ASSERT(rv->ntasks == 4 && work_has(rv, "A", 0) && work_has(rv, "A", 1) && work_has(rv, "A", 2) &&
              work_has(rv, "A", 3));
    CU_ASSERT_EQUAL(work_size(&s.last[w1].assigned), 0);
    CU_ASSERT_EQUAL(work_size(&s.last[w2].assigned), 0);
    CU_ASSERT_EQUAL(delay_of(&s), 0);

    sim_round(&s);
    const kc_cp_work *as = &s.last[w2].assigned;
    CU_ASSERT(as->nconnectors == 1 && work_has(as, "A", -1) && as->ntasks == 4);
    CU_ASSERT(m_conns(&s, w1) == 1 && m_tasks(&s, w1) == 4 && m_conns(&s, w2) == 1 && m_tasks(&s, w2) == 4);
    CU_ASSERT_EQUAL(work_size(&s.last[w1].revoked) + work_size(&s.last[w2].revoked), 0);

    sim_round(&s);
    CU_ASSERT_EQUAL(changes(&s), 0);
    CU_ASSERT_EQUAL(delay_of(&s), 0);
    sim_free(&s);
}

static void test_coop_scenario_4(void)
{
    sim s;
    sim_init(&s, 300000);
    size_t w1, w2;
    build_balanced_two(&s, &w1, &w2);
    s.present[w2] = 0;
    sim_round(&s);
    CU_ASSERT_EQUAL(delay_of(&s), 300000);
    CU_ASSERT_EQUAL(changes(&s), 0);
    s.now += 150000;
    sim_round(&s);
    CU_ASSERT_EQUAL(delay_of(&s), 150000);
    CU_ASSERT_EQUAL(changes(&s), 0);
    s.now += 75000;
    size_t w2b = sim_join(&s, "w2b");
    sim_round(&s);
    CU_ASSERT_EQUAL(delay_of(&s), 75000);
    CU_ASSERT_EQUAL(changes(&s), 0);
    s.now += 75000;
    sim_round(&s);
    CU_ASSERT_EQUAL(delay_of(&s), 0);
    CU_ASSERT_EQUAL(s.last[w2b].assigned.nconnectors, 1);
    CU_ASSERT_EQUAL(s.last[w2b].assigned.ntasks, 4);
    CU_ASSERT_EQUAL(work_size(&s.last[w1].assigned) + work_size(&s.last[w1].revoked), 0);
    CU_ASSERT_EQUAL(work_size(&s.last[w2b].revoked), 0);
    sim_free(&s);
}

static void test_coop_scenario_5(void)
{
    sim s;
    sim_init(&s, 300000);
    size_t w1, w2;
    build_balanced_two(&s, &w1, &w2);
    s.present[w2] = 0;
    sim_round(&s);
    CU_ASSERT_EQUAL(delay_of(&s), 300000);
    s.now += 300000;
    sim_round(&s);
    CU_ASSERT_EQUAL(delay_of(&s), 0);
    CU_ASSERT(m_conns(&s, w1) == 2 && m_tasks(&s, w1) == 8);
    CU_ASSERT_EQUAL(work_size(&s.last[w1].revoked), 0);
    sim_free(&s);
}

static void test_coop_scenario_6(void)
{
    sim s;
    sim_init(&s, 0);
    size_t w1, w2;
    build_balanced_two(&s, &w1, &w2);
    s.present[w2] = 0;
    sim_round(&s);
    CU_ASSERT_EQUAL(delay_of(&s), 0);
    CU_ASSERT(m_conns(&s, w1) == 2 && m_tasks(&s, w1) == 8);
    sim_free(&s);
}

static void test_coop_scenario_7(void)
{
    for (int variant = 0; variant < 2; variant++) {
        sim s;
        sim_init(&s, variant ? 0 : 300000);
        sim_connector(&s, "A", 4);
        sim_connector(&s, "B", 4);
        sim_connector(&s, "C", 4);
        size_t w1 = sim_join(&s, "w1");
        sim_round(&s);
        size_t w2 = sim_join(&s, "w2");
        sim_round(&s);
        CU_ASSERT_EQUAL(s.last[w1].revoked.nconnectors, 1);
        CU_ASSERT_EQUAL(s.last[w1].revoked.ntasks, 6);
        size_t w3 = sim_join(&s, "w3");
        sim_round(&s);
        if (!variant) {
            CU_ASSERT_EQUAL(changes(&s) - work_size(&s.last[w2].assigned) - work_size(&s.last[w3].assigned), 0);
            CU_ASSERT_EQUAL(delay_of(&s), 40);
            CU_ASSERT(m_conns(&s, w1) == 2 && m_conns(&s, w2) == 1 && m_conns(&s, w3) == 0);
            CU_ASSERT(m_tasks(&s, w1) == 6 && m_tasks(&s, w2) == 3 && m_tasks(&s, w3) == 3);
        } else {
            CU_ASSERT(work_size(&s.last[w1].revoked) > 0);
            CU_ASSERT_EQUAL(delay_of(&s), 0);
            sim_round(&s);
            for (size_t m = 0; m < 3; m++)
                CU_ASSERT(m_conns(&s, m) == 1 && m_tasks(&s, m) == 4);
        }
        sim_free(&s);
    }
}

/* w1 (A + A-0, A-2, B-0, B-2), w2 (B + A-1, A-3, B-1, B-3), established by a first round. */
static void build_interleaved(sim *s, size_t *w1, size_t *w2)
{
    sim_connector(s, "A", 4);
    sim_connector(s, "B", 4);
    *w1 = sim_join(s, "w1");
    *w2 = sim_join(s, "w2");
    sim_give(s, *w1, "A", -1);
    sim_give(s, *w1, "A", 0);
    sim_give(s, *w1, "A", 2);
    sim_give(s, *w1, "B", 0);
    sim_give(s, *w1, "B", 2);
    sim_give(s, *w2, "B", -1);
    sim_give(s, *w2, "A", 1);
    sim_give(s, *w2, "A", 3);
    sim_give(s, *w2, "B", 1);
    sim_give(s, *w2, "B", 3);
    sim_round(s);
    CU_ASSERT_EQUAL(changes(s), 0);
}

static void test_coop_scenario_8(void)
{
    sim s;
    sim_init(&s, 300000);
    size_t w1, w2;
    build_interleaved(&s, &w1, &w2);
    sim_delete(&s, "A");
    sim_round(&s);
    const kc_cp_work *r1 = &s.last[w1].revoked, *r2 = &s.last[w2].revoked;
    CU_ASSERT(r1->nconnectors == 1 && work_has(r1, "A", -1));
    CU_ASSERT(r1->ntasks == 2 && work_has(r1, "A", 0) && work_has(r1, "A", 2));
    CU_ASSERT(r2->nconnectors == 0 && r2->ntasks == 2 && work_has(r2, "A", 1) && work_has(r2, "A", 3));
    CU_ASSERT_EQUAL(work_size(&s.last[w1].assigned) + work_size(&s.last[w2].assigned), 0);
    CU_ASSERT_EQUAL(delay_of(&s), 0);
    sim_round(&s);
    CU_ASSERT_EQUAL(changes(&s), 0);
    sim_free(&s);
}

static void test_coop_scenario_9(void)
{
    sim s;
    sim_init(&s, 300000);
    size_t w1, w2;
    build_interleaved(&s, &w1, &w2);
    sim_connector(&s, "A", 2);
    sim_round(&s);
    const kc_cp_work *r1 = &s.last[w1].revoked, *r2 = &s.last[w2].revoked;
    CU_ASSERT(r1->nconnectors == 0 && r1->ntasks == 1 && work_has(r1, "A", 2));
    CU_ASSERT(r2->nconnectors == 0 && r2->ntasks == 1 && work_has(r2, "A", 3));
    CU_ASSERT_EQUAL(work_size(&s.last[w1].assigned) + work_size(&s.last[w2].assigned), 0);
    sim_round(&s);
    CU_ASSERT_EQUAL(changes(&s), 0);
    sim_free(&s);
}

static void test_coop_scenario_10(void)
{
    sim s;
    sim_init(&s, 300000);
    sim_connector(&s, "A", 2);
    size_t w1 = sim_join(&s, "w1"), w2 = sim_join(&s, "w2");
    sim_give(&s, w1, "A", -1);
    sim_give(&s, w1, "A", 0);
    sim_give(&s, w2, "A", 1);
    sim_give(&s, w2, "A", 0);
    sim_round(&s);
    CU_ASSERT(work_size(&s.last[w1].revoked) == 1 && work_has(&s.last[w1].revoked, "A", 0));
    CU_ASSERT(work_size(&s.last[w2].revoked) == 1 && work_has(&s.last[w2].revoked, "A", 0));
    CU_ASSERT_EQUAL(work_size(&s.last[w1].assigned) + work_size(&s.last[w2].assigned), 0);
    sim_round(&s);
    CU_ASSERT(work_size(&s.last[w1].assigned) == 1 && work_has(&s.last[w1].assigned, "A", 0));
    CU_ASSERT_EQUAL(work_size(&s.last[w2].assigned), 0);
    sim_free(&s);
}

static void test_coop_scenario_11(void)
{
    sim s;
    sim_init(&s, 300000);
    sim_connector(&s, "A", 4);
    sim_connector(&s, "B", 4);
    size_t w1 = sim_join(&s, "w1"), w2 = sim_join(&s, "w2");
    sim_give(&s, w1, "A", -1);
    sim_give(&s, w2, "B", -1);
    for (int t = 0; t < 4; t++) {
        sim_give(&s, w1, "A", t);
        sim_give(&s, w2, "B", t);
    }
    sim_round(&s);
    CU_ASSERT_EQUAL(changes(&s), 0);
    sim_connector(&s, "C", 4);
    sim_round(&s);
    const kc_cp_work *a1 = &s.last[w1].assigned, *a2 = &s.last[w2].assigned;
    CU_ASSERT(a1->nconnectors == 1 && work_has(a1, "C", -1));
    CU_ASSERT(a1->ntasks == 2 && work_has(a1, "C", 0) && work_has(a1, "C", 2));
    CU_ASSERT(a2->nconnectors == 0 && a2->ntasks == 2 && work_has(a2, "C", 1) && work_has(a2, "C", 3));
    CU_ASSERT_EQUAL(work_size(&s.last[w1].revoked) + work_size(&s.last[w2].revoked), 0);
    sim_free(&s);
}

static void test_coop_scenario_12(void)
{
    sim s;
    sim_init(&s, 300000);
    sim_connector(&s, "A", 4);
    sim_connector(&s, "B", 4);
    size_t w1 = sim_join(&s, "w1"), w2 = sim_join(&s, "w2"), w3 = sim_join(&s, "w3");
    sim_round(&s); /* first round with three empty members */
    CU_ASSERT(m_conns(&s, w1) == 1 && work_has(&s.cur[w1], "A", -1));
    CU_ASSERT(m_tasks(&s, w1) == 3 && work_has(&s.cur[w1], "A", 0) && work_has(&s.cur[w1], "A", 3) &&
              work_has(&s.cur[w1], "B", 2));
    CU_ASSERT(m_conns(&s, w2) == 1 && work_has(&s.cur[w2], "B", -1));
    CU_ASSERT(m_tasks(&s, w2) == 3 && work_has(&s.cur[w2], "A", 1) && work_has(&s.cur[w2], "B", 0) &&
              work_has(&s.cur[w2], "B", 3));
    CU_ASSERT(m_conns(&s, w3) == 0 && m_tasks(&s, w3) == 2 && work_has(&s.cur[w3], "A", 2) &&
              work_has(&s.cur[w3], "B", 1));
    /* w1 dies; w2 leads with a fresh assignor */
    s.present[w1] = 0;
    kc_coop_assignor_free(s.a);
    s.a = kc_coop_assignor_new(300000);
    sim_round(&s);
    CU_ASSERT_EQUAL(delay_of(&s), 0);
    const kc_cp_work *a2 = &s.last[w2].assigned, *a3 = &s.last[w3].assigned;
    CU_ASSERT(a3->nconnectors == 1 && work_has(a3, "A", -1));
    CU_ASSERT(a3->ntasks == 2 && work_has(a3, "A", 0) && work_has(a3, "A", 3));
    CU_ASSERT(a2->nconnectors == 0 && a2->ntasks == 1 && work_has(a2, "B", 2));
    CU_ASSERT(m_conns(&s, w2) == 1 && m_tasks(&s, w2) == 4 && m_conns(&s, w3) == 1 && m_tasks(&s, w3) == 4);
    sim_free(&s);
}

/* §4.6 CONFIG_MISMATCH assignment v2: leader w1-abc, url http://w1:8083/, offset 12 (49 bytes). */
static const unsigned char MISMATCH_V2[] = {
    0x00, 0x02, 0x00, 0x01, 0x00, 0x06, 0x77, 0x31, 0x2d, 0x61, 0x62, 0x63, 0x00, 0x0f, 0x68, 0x74, 0x74,
    0x70, 0x3a, 0x2f, 0x2f, 0x77, 0x31, 0x3a, 0x38, 0x30, 0x38, 0x33, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

static const kc_cp_snapshot *refresh_10(void *arg)
{
    return arg;
}

static void test_config_mismatch_scenario_13(void)
{
    kc_cp_connector_config conns[] = {{"A", 1}};
    kc_cp_snapshot snap = {10, conns, 1}, fresh12 = {12, conns, 1};
    kc_cp_member members[] = {{"w1-abc", "http://w1:8083/", 10, NULL}, {"w2", "http://w2/", 12, NULL}};
    kc_cp_assign_input in = {.leader_id = "w1-abc", .members = members, .nmembers = 2, .snapshot = &snap,
                             .refresh = refresh_10, .refresh_arg = &snap, .protocol = KC_CP_SESSIONED,
                             .generation = 1, .last_completed_generation = -1, .now_ms = 5};
    kc_error err;
    kc_coop_assignor *a = kc_coop_assignor_new(300000);
    for (int eager = 0; eager < 2; eager++) {
        in.protocol = eager ? KC_CP_EAGER : KC_CP_SESSIONED;
        kc_cp_assignment *out = eager ? kc_eager_assign(&in, &err) : kc_coop_assign(a, &in, &err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(out);
        for (int i = 0; i < 2; i++) {
            CU_ASSERT_EQUAL(out[i].error, KC_CP_ERROR_CONFIG_MISMATCH);
            CU_ASSERT_EQUAL(out[i].config_offset, 12);
            CU_ASSERT_STRING_EQUAL(out[i].leader, "w1-abc");
            CU_ASSERT_STRING_EQUAL(out[i].leader_url, "http://w1:8083/");
            CU_ASSERT_EQUAL(work_size(&out[i].assigned) + work_size(&out[i].revoked), 0);
            CU_ASSERT_EQUAL(out[i].delay, 0);
        }
        /* byte-checked against the spec's CONFIG_MISMATCH vector (§4.6); the v0 form stops after
         * the (empty) assignment array */
        size_t len = 0;
        unsigned char *b = kc_cp_assignment_encode(&out[0], out[0].version, &len, &err);
        unsigned char want[sizeof MISMATCH_V2];
        memcpy(want, MISMATCH_V2, sizeof want);
        want[1] = eager ? 0 : 2;
        CU_ASSERT(b && len == (eager ? 41u : 49u) && memcmp(b, want, len) == 0);
        free(b);
        kc_cp_assignments_free(out, 2);
    }
    /* state untouched: a later good round (fresh snapshot at 12) behaves like a first round */
    in.protocol = KC_CP_SESSIONED;
    in.refresh_arg = &fresh12;
    kc_cp_assignment *out = kc_coop_assign(a, &in, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_EQUAL(out[0].error, 0);
    CU_ASSERT_EQUAL(out[0].config_offset, 12);
    CU_ASSERT_EQUAL(work_size(&out[0].assigned) + work_size(&out[1].assigned), 2);
    kc_cp_assignments_free(out, 2);
    /* the snapshot not behind: the offset is the largest member offset */
    members[1].config_offset = 9;
    out = kc_eager_assign(&in, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_EQUAL(out[0].config_offset, 10);
    kc_cp_assignments_free(out, 2);
    /* the leader must be a member */
    in.leader_id = "nobody";
    CU_ASSERT_PTR_NULL(kc_eager_assign(&in, &err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "leader"));
    kc_coop_assignor_free(a);
}

static void test_backoff_scenario_14(void)
{
    static const int32_t def[] = {40, 1600, 64000, 300000, 300000};
    static const int32_t m100k[] = {40, 1600, 64000, 99999, 99999};
    for (int k = 1; k <= 5; k++) {
        CU_ASSERT_EQUAL(kc_coop_backoff(300000, k), def[k - 1]);
        CU_ASSERT_EQUAL(kc_coop_backoff(100000, k), m100k[k - 1]);
        CU_ASSERT_EQUAL(kc_coop_backoff(1, k), 1);
        CU_ASSERT_EQUAL(kc_coop_backoff(0, k), 0);
    }
    CU_ASSERT_EQUAL(kc_coop_backoff(1000, 1), 40);
    CU_ASSERT_EQUAL(kc_coop_backoff(1000, 2), 999);
    CU_ASSERT_EQUAL(kc_coop_backoff(1000, 3), 999);
}

static void test_java_string_order(void)
{
    CU_ASSERT(kc_cp_java_strcmp("a", "b") < 0);
    CU_ASSERT(kc_cp_java_strcmp("ab", "a") > 0);
    CU_ASSERT(kc_cp_java_strcmp("", "") == 0);
    CU_ASSERT(kc_cp_java_strcmp("B", "a") < 0);
    /* U+1F600 (surrogates D83D DE00) sorts before U+FF21 in Java, after it in UTF-8 byte order */
    CU_ASSERT(kc_cp_java_strcmp("\xf0\x9f\x98\x80", "\xef\xbc\xa1") < 0);
    CU_ASSERT(kc_cp_java_strcmp("\xef\xbc\xa1", "\xf0\x9f\x98\x80") > 0);
    CU_ASSERT(kc_cp_java_strcmp("\xc3\xa9", "z") > 0);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"#1 eager assignor", test_eager_scenario_1},
        {"#2 #3 cooperative: alone, then a second worker joins", test_coop_scenario_2_3},
        {"#4 departed worker: delays, returning empty worker gets its work", test_coop_scenario_4},
        {"#5 nobody returns: lost work reassigned at expiry", test_coop_scenario_5},
        {"#6 maxDelay 0: lost work reassigned at once", test_coop_scenario_6},
        {"#7 successive joins: revocation backoff, water-filling", test_coop_scenario_7},
        {"#8 connector deleted", test_coop_scenario_8},
        {"#9 task count reduced", test_coop_scenario_9},
        {"#10 duplicated task revoked from every holder", test_coop_scenario_10},
        {"#11 connector created", test_coop_scenario_11},
        {"#12 leader dies, fresh assignor", test_coop_scenario_12},
        {"#13 CONFIG_MISMATCH", test_config_mismatch_scenario_13},
        {"#14 revocation backoff", test_backoff_scenario_14},
        {"Java String order", test_java_string_order},
        {NULL, NULL},
    };
    return kc_test_run("assignor", cases);
}
