/* The incremental cooperative assignor (Java's IncrementalCooperativeAssignor; spec §5.3, §5.4). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "connect/cluster/assignor.h"
#include "connect/cluster/assignor_internal.h"

/* A list of work items; task KC_CP_CONNECTOR_TASK (-1) is the connector itself. Owns the names. */
typedef struct ilist {
    kc_cp_task *v;
    size_t n, cap;
} ilist;

struct kc_coop_assignor {
    int32_t max_delay;
    ilist prev_assignment;
    ilist prev_revocation;
    int32_t prev_generation;
    char **prev_members;
    size_t nprev_members;
    int revoked_in_previous;
    int num_successive;
    int64_t scheduled;
    int32_t delay;
    char **candidates;   /* in the order first seen */
    size_t ncandidates;
};

#define IS_CONN(it) ((it)->task == KC_CP_CONNECTOR_TASK)

static int il_add(ilist *l, const char *conn, int32_t task, kc_error *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        kc_cp_task *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        l->v = v;
        l->cap = cap;
    }
    char *s = strdup(conn);
    if (!s)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    l->v[l->n].connector = s;
    l->v[l->n].task = task;
    l->n++;
    return 0;
}

static void il_clear(ilist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].connector);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int il_find(const ilist *l, const kc_cp_task *it)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].task == it->task && strcmp(l->v[i].connector, it->connector) == 0)
            return (int)i;
    return -1;
}

static int il_has(const ilist *l, const kc_cp_task *it)
{
    return il_find(l, it) >= 0;
}

/* Adds it unless already present. */
static int il_put(ilist *l, const kc_cp_task *it, kc_error *err)
{
    return il_has(l, it) ? 0 : il_add(l, it->connector, it->task, err);
}

static void il_remove(ilist *l, const kc_cp_task *it)
{
    int i = il_find(l, it);
    if (i < 0)
        return;
    free(l->v[i].connector);
    memmove(&l->v[i], &l->v[i + 1], (l->n - (size_t)i - 1) * sizeof *l->v);
    l->n--;
}

static int il_copy(ilist *dst, const ilist *src, kc_error *err)
{
    memset(dst, 0, sizeof *dst);
    for (size_t i = 0; i < src->n; i++)
        if (il_add(dst, src->v[i].connector, src->v[i].task, err) < 0)
            return -1;
    return 0;
}

static int cmp_item(const void *x, const void *y)
{
    const kc_cp_task *a = x, *b = y;
    int c = kc_cp_java_strcmp(a->connector, b->connector);
    if (c)
        return c;
    return a->task < b->task ? -1 : a->task > b->task;
}

static void il_sort(ilist *l)
{
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, cmp_item);
}

static size_t il_count(const ilist *l, int conn)
{
    size_t c = 0;
    for (size_t i = 0; i < l->n; i++)
        c += (IS_CONN(&l->v[i]) != 0) == (conn != 0);
    return c;
}

/* out := a - b - c (c may be NULL), keeping a's order. */
static int il_diff(ilist *out, const ilist *a, const ilist *b, const ilist *c, kc_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < a->n; i++)
        if (!il_has(b, &a->v[i]) && !(c && il_has(c, &a->v[i])) && il_add(out, a->v[i].connector, a->v[i].task, err) < 0)
            return -1;
    return 0;
}

static int il_to_work(kc_cp_work *w, const ilist *l, kc_error *err)
{
    for (size_t i = 0; i < l->n; i++) {
        int rc = IS_CONN(&l->v[i]) ? kc_cp_work_add_connector(w, l->v[i].connector, err)
                                   : kc_cp_work_add_task(w, l->v[i].connector, l->v[i].task, err);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int names_has(char **names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return 1;
    return 0;
}

static void names_clear(char ***names, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free((*names)[i]);
    free(*names);
    *names = NULL;
    *n = 0;
}

static int names_add(char ***names, size_t *n, const char *s, kc_error *err)
{
    char **v = realloc(*names, (*n + 1) * sizeof *v);
    if (!v)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    *names = v;
    if (!(v[*n] = strdup(s)))
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    (*n)++;
    return 0;
}

kc_coop_assignor *kc_coop_assignor_new(int32_t max_delay_ms)
{
    kc_coop_assignor *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->max_delay = max_delay_ms < 0 ? 0 : max_delay_ms;
    a->prev_generation = -1;
    return a;
}

void kc_coop_assignor_free(kc_coop_assignor *a)
{
    if (!a)
        return;
    il_clear(&a->prev_assignment);
    il_clear(&a->prev_revocation);
    names_clear(&a->prev_members, &a->nprev_members);
    names_clear(&a->candidates, &a->ncandidates);
    free(a);
}

int32_t kc_coop_backoff(int32_t max_delay_ms, int attempt)
{
    if (max_delay_ms <= 1)
        return max_delay_ms < 0 ? 0 : max_delay_ms;
    if (attempt < 1)
        attempt = 1;
    /* ExponentialBackoff(initial 1, multiplier 40, max, jitter 0): min(attempts, expMax) as exponent */
    double exp_max = log((double)max_delay_ms) / log(40.0);
    double e = (double)attempt < exp_max ? (double)attempt : exp_max;
    double term = pow(40.0, e);
    if (term >= (double)max_delay_ms)
        return max_delay_ms;
    return (int32_t)term;
}

static void reset_delay(kc_coop_assignor *a)
{
    names_clear(&a->candidates, &a->ncandidates);
    a->scheduled = 0;
    a->delay = 0;
}

/* Per-round scratch, indexed by position in ascending member id order. */
typedef struct coop_round {
    size_t n;
    const char **ids;
    ilist *next;     /* what each member keeps / gets */
    ilist *added;    /* newly given this round */
    ilist *revoke;   /* to stop now */
} coop_round;

static int give(coop_round *r, size_t m, const kc_cp_task *it, kc_error *err)
{
    if (il_add(&r->next[m], it->connector, it->task, err) < 0 || il_add(&r->added[m], it->connector, it->task, err) < 0)
        return -1;
    return 0;
}

/* balance(C, next) for one kind: appends the revocations to revoke[] and removes them from next[]. */
static int balance_kind(coop_round *r, size_t total, int conn, int *any, kc_error *err)
{
    size_t min = total / r->n, extra = total % r->n, at_extra = 0, at_min = 0;
    for (size_t m = 0; m < r->n; m++) {
        size_t c = il_count(&r->next[m], conn);
        at_extra += c == min + 1;
        at_min += c == min;
    }
    if (at_extra == extra && at_extra + at_min == r->n)
        return 0;
    size_t granted = 0;
    for (size_t m = 0; m < r->n; m++) {
        size_t c = il_count(&r->next[m], conn), max;
        if (c <= min)
            continue;
        if (granted < extra) {
            granted++;
            if (c == min + 1)
                continue;
            max = min + 1;
        } else {
            max = min;
        }
        size_t surplus = c - max;
        for (size_t i = 0; i < r->next[m].n && surplus > 0;) {
            kc_cp_task *it = &r->next[m].v[i];
            if ((IS_CONN(it) != 0) != (conn != 0)) {
                i++;
                continue;
            }
            if (il_add(&r->revoke[m], it->connector, it->task, err) < 0)
                return -1;
            free(it->connector);
            memmove(it, it + 1, (r->next[m].n - i - 1) * sizeof *it);
            r->next[m].n--;
            surplus--;
            *any = 1;
        }
    }
    return 0;
}

/* The revocations balance() would make, computed on copies (to know whether R is empty). */
static int balance_needed(coop_round *r, const ilist *configured, kc_error *err, int *needed)
{
    *needed = 0;
    int all_empty = 1;
    for (size_t m = 0; m < r->n; m++)
        all_empty &= r->next[m].n == 0;
    if (all_empty || configured->n == 0)
        return 0;
    coop_round copy = *r;
    ilist *next = calloc(r->n, sizeof *next), *rev = calloc(r->n, sizeof *rev);
    int rc = -1;
    if (!next || !rev) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto done;
    }
    for (size_t m = 0; m < r->n; m++)
        if (il_copy(&next[m], &r->next[m], err) < 0)
            goto done;
    copy.next = next;
    copy.revoke = rev;
    if (balance_kind(&copy, il_count(configured, 1), 1, needed, err) < 0 ||
        balance_kind(&copy, il_count(configured, 0), 0, needed, err) < 0)
        goto done;
    rc = 0;
done:
    for (size_t m = 0; next && m < r->n; m++)
        il_clear(&next[m]);
    for (size_t m = 0; rev && m < r->n; m++)
        il_clear(&rev[m]);
    free(next);
    free(rev);
    return rc;
}

typedef struct load_ctx {
    const coop_round *r;
    int conn;
} load_ctx;

static int cmp_load(const void *x, const void *y, void *arg)
{
    const load_ctx *ctx = arg;
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    size_t ci = il_count(&ctx->r->next[i], ctx->conn), cj = il_count(&ctx->r->next[j], ctx->conn);
    if (ci != cj)
        return ci < cj ? -1 : 1;
    return i < j ? -1 : i > j; /* positions are already in member id order */
}

/* Water-filling of the pool items of one kind (§5.3 step 7). */
static int water_fill(coop_round *r, const ilist *pool, int conn, kc_error *err)
{
    size_t *order = malloc(r->n * sizeof *order);
    size_t *count = malloc(r->n * sizeof *count);
    if (!order || !count) {
        free(order);
        free(count);
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    for (size_t m = 0; m < r->n; m++)
        order[m] = m;
    load_ctx ctx = {r, conn};
    qsort_r(order, r->n, sizeof *order, cmp_load, &ctx);
    for (size_t m = 0; m < r->n; m++)
        count[m] = il_count(&r->next[m], conn);
    size_t p = 0;
    int rc = 0;
    while (rc == 0) {
        while (p < pool->n && (IS_CONN(&pool->v[p]) != 0) != (conn != 0))
            p++;
        if (p >= pool->n)
            break;
        size_t level = count[order[0]];
        for (size_t k = 0; k < r->n && rc == 0; k++) {
            size_t m = order[k];
            if (count[m] > level)
                break;
            while (p < pool->n && (IS_CONN(&pool->v[p]) != 0) != (conn != 0))
                p++;
            if (p >= pool->n)
                break;
            rc = give(r, m, &pool->v[p++], err);
            count[m]++;
        }
    }
    free(order);
    free(count);
    return rc;
}

static size_t member_pos(const coop_round *r, const char *id)
{
    for (size_t m = 0; m < r->n; m++)
        if (strcmp(r->ids[m], id) == 0)
            return m;
    return (size_t)-1;
}

/* Step 5: lost work. Adds to pool what is to be spread like new work. */
static int handle_lost(kc_coop_assignor *a, coop_round *r, const ilist *lost, ilist *pool, int64_t now, kc_error *err)
{
    if (lost->n == 0 && !a->revoked_in_previous) {
        reset_delay(a);
        return 0;
    }
    int all_present = 1;
    for (size_t i = 0; i < a->nprev_members; i++)
        all_present &= member_pos(r, a->prev_members[i]) != (size_t)-1;
    if ((a->scheduled <= 0 && all_present) || a->max_delay == 0) {
        for (size_t i = 0; i < lost->n; i++)
            if (il_add(pool, lost->v[i].connector, lost->v[i].task, err) < 0)
                return -1;
        return 0;
    }
    if (a->scheduled > 0 && now >= a->scheduled) {
        size_t *cand = malloc((a->ncandidates ? a->ncandidates : 1) * sizeof *cand), nc = 0;
        if (!cand)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        for (size_t i = 0; i < a->ncandidates; i++) {
            size_t m = member_pos(r, a->candidates[i]);
            if (m != (size_t)-1)
                cand[nc++] = m;
        }
        int rc = 0;
        for (int conn = 1; conn >= 0 && rc == 0; conn--) {
            size_t k = 0;
            for (size_t i = 0; i < lost->n && rc == 0; i++) {
                if ((IS_CONN(&lost->v[i]) != 0) != (conn != 0))
                    continue;
                rc = nc ? give(r, cand[k++ % nc], &lost->v[i], err)
                        : il_add(pool, lost->v[i].connector, lost->v[i].task, err);
            }
        }
        free(cand);
        if (rc < 0)
            return -1;
        reset_delay(a);
        a->revoked_in_previous = 0;
        return 0;
    }
    for (size_t m = 0; m < r->n; m++)
        if (r->next[m].n == 0 && !names_has(a->candidates, a->ncandidates, r->ids[m]) &&
            names_add(&a->candidates, &a->ncandidates, r->ids[m], err) < 0)
            return -1;
    if (a->scheduled > 0) {
        int64_t left = a->scheduled - now;
        a->delay = left < a->max_delay ? (int32_t)left : a->max_delay;
    } else {
        a->delay = a->max_delay;
    }
    a->scheduled = now + a->delay;
    return 0;
}

kc_cp_assignment *kc_coop_assign(kc_coop_assignor *a, const kc_cp_assign_input *in, kc_error *err)
{
    const kc_cp_snapshot *snap = NULL;
    const char *url = NULL;
    int64_t offset = 0;
    kc_cp_assignment *out = NULL;
    int rc = kc__cp_preamble(in, &snap, &offset, &url, &out, err);
    if (rc != 0)
        return rc > 0 ? out : NULL;

    size_t n = in->nmembers;
    coop_round r = {.n = n};
    ilist configured = {0}, active = {0}, deleted = {0}, dup = {0}, lost = {0}, created = {0}, pool = {0};
    ilist prev_now = {0}, revoked_all = {0}, lost_pool = {0};
    size_t *idx = kc__cp_sorted_members(in);
    r.ids = calloc(n, sizeof *r.ids);
    r.next = calloc(n, sizeof *r.next);
    r.added = calloc(n, sizeof *r.added);
    r.revoke = calloc(n, sizeof *r.revoke);
    out = calloc(n, sizeof *out);
    if (!idx || !r.ids || !r.next || !r.added || !r.revoke || !out) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto fail;
    }
    for (size_t m = 0; m < n; m++)
        r.ids[m] = in->members[idx[m]].member_id;

    for (size_t c = 0; c < snap->nconnectors; c++) {
        const kc_cp_connector_config *cc = &snap->connectors[c];
        if (il_add(&configured, cc->name, KC_CP_CONNECTOR_TASK, err) < 0)
            goto fail;
        for (int32_t t = 0; t < cc->tasks; t++)
            if (il_add(&configured, cc->name, t, err) < 0)
                goto fail;
    }
    il_sort(&configured);

    /* step 1 */
    if (a->prev_generation != in->last_completed_generation)
        il_clear(&a->prev_assignment);
    /* step 2: current work of each member (deduplicated, in its list order), the active set, duplicates */
    for (size_t m = 0; m < n; m++) {
        const kc_cp_work *w = in->members[idx[m]].current;
        for (size_t i = 0; w && i < w->nconnectors; i++) {
            kc_cp_task it = {w->connectors[i], KC_CP_CONNECTOR_TASK};
            if (il_put(&r.next[m], &it, err) < 0)
                goto fail;
        }
        for (size_t i = 0; w && i < w->ntasks; i++)
            if (il_put(&r.next[m], &w->tasks[i], err) < 0)
                goto fail;
        for (size_t i = 0; i < r.next[m].n; i++) {
            const kc_cp_task *it = &r.next[m].v[i];
            if (il_has(&active, it)) {
                if (il_put(&dup, it, err) < 0)
                    goto fail;
            } else if (il_add(&active, it->connector, it->task, err) < 0) {
                goto fail;
            }
        }
    }
    il_sort(&active);
    if (a->prev_revocation.n) {
        int still = 0;
        for (size_t i = 0; i < a->prev_revocation.n; i++)
            still |= il_has(&active, &a->prev_revocation.v[i]);
        if (still) {
            il_clear(&a->prev_assignment);
            if (il_copy(&a->prev_assignment, &active, err) < 0)
                goto fail;
        }
        il_clear(&a->prev_revocation);
    }
    /* step 3 */
    il_sort(&a->prev_assignment);
    if (il_diff(&deleted, &a->prev_assignment, &configured, NULL, err) < 0 ||
        il_diff(&lost, &a->prev_assignment, &active, &deleted, err) < 0 ||
        il_diff(&created, &configured, &a->prev_assignment, &active, err) < 0)
        goto fail;
    /* step 4 */
    for (size_t m = 0; m < n; m++) {
        for (size_t i = 0; i < r.next[m].n;) {
            kc_cp_task *it = &r.next[m].v[i];
            if (il_has(&deleted, it) || il_has(&dup, it)) {
                if (il_add(&r.revoke[m], it->connector, it->task, err) < 0)
                    goto fail;
                il_remove(&r.next[m], it);
            } else {
                i++;
            }
        }
    }
    /* step 5 */
    if (handle_lost(a, &r, &lost, &lost_pool, in->now_ms, err) < 0)
        goto fail;
    /* step 6 */
    if (a->delay == 0) {
        int needed = 0;
        if (balance_needed(&r, &configured, err, &needed) < 0)
            goto fail;
        int apply = 0;
        if (needed && a->revoked_in_previous) {
            a->num_successive++;
            a->delay = kc_coop_backoff(a->max_delay, a->num_successive);
            if (a->delay != 0)
                a->scheduled = in->now_ms + a->delay;
            else
                apply = 1;
        } else if (needed) {
            apply = 1;
            a->revoked_in_previous = 1;
        } else if (a->revoked_in_previous) {
            a->revoked_in_previous = 0;
            a->num_successive = 0;
        }
        int any = 0;
        if (apply && (balance_kind(&r, il_count(&configured, 1), 1, &any, err) < 0 ||
                      balance_kind(&r, il_count(&configured, 0), 0, &any, err) < 0))
            goto fail;
    } else {
        a->revoked_in_previous = 0;
    }
    /* step 7 */
    for (size_t i = 0; i < created.n; i++)
        if (il_add(&pool, created.v[i].connector, created.v[i].task, err) < 0)
            goto fail;
    il_sort(&lost_pool);
    for (size_t i = 0; i < lost_pool.n; i++)
        if (il_add(&pool, lost_pool.v[i].connector, lost_pool.v[i].task, err) < 0)
            goto fail;
    if (water_fill(&r, &pool, 1, err) < 0 || water_fill(&r, &pool, 0, err) < 0)
        goto fail;
    /* step 8 */
    for (size_t m = 0; m < n; m++) {
        kc_cp_assignment *o = &out[idx[m]];
        if (kc__cp_header(o, (int16_t)in->protocol, KC_CP_ERROR_NONE, in->leader_id, url, offset, err) < 0 ||
            il_to_work(&o->assigned, &r.added[m], err) < 0 || il_to_work(&o->revoked, &r.revoke[m], err) < 0)
            goto fail;
        o->delay = a->delay;
    }
    /* step 9 */
    for (size_t m = 0; m < n; m++) {
        for (size_t i = 0; i < r.revoke[m].n; i++)
            if (il_put(&revoked_all, &r.revoke[m].v[i], err) < 0)
                goto fail;
    }
    for (size_t m = 0; m < n; m++)
        for (size_t i = 0; i < r.next[m].n; i++)
            if (!il_has(&revoked_all, &r.next[m].v[i]) && il_put(&prev_now, &r.next[m].v[i], err) < 0)
                goto fail;
    for (size_t i = 0; i < lost.n; i++)
        if (il_put(&prev_now, &lost.v[i], err) < 0)
            goto fail;
    il_sort(&prev_now);
    il_sort(&revoked_all);
    il_clear(&a->prev_assignment);
    il_clear(&a->prev_revocation);
    a->prev_assignment = prev_now;
    a->prev_revocation = revoked_all;
    prev_now = (ilist){0};
    revoked_all = (ilist){0};
    a->prev_generation = in->generation;
    names_clear(&a->prev_members, &a->nprev_members);
    for (size_t m = 0; m < n; m++)
        if (names_add(&a->prev_members, &a->nprev_members, r.ids[m], err) < 0)
            goto fail;
    goto done;
fail:
    kc_cp_assignments_free(out, n);
    out = NULL;
done:
    for (size_t m = 0; r.next && m < n; m++)
        il_clear(&r.next[m]);
    for (size_t m = 0; r.added && m < n; m++)
        il_clear(&r.added[m]);
    for (size_t m = 0; r.revoke && m < n; m++)
        il_clear(&r.revoke[m]);
    free(r.next);
    free(r.added);
    free(r.revoke);
    free(r.ids);
    free(idx);
    il_clear(&configured);
    il_clear(&active);
    il_clear(&deleted);
    il_clear(&dup);
    il_clear(&lost);
    il_clear(&created);
    il_clear(&pool);
    il_clear(&prev_now);
    il_clear(&revoked_all);
    il_clear(&lost_pool);
    return out;
}
