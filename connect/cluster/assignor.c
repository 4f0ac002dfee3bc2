/* Assignor preamble shared by both assignors, and the eager assignor (Java's EagerAssignor). */
#include "connect/cluster/assignor.h"

#include <stdlib.h>
#include <string.h>

#include "connect/cluster/assignor_internal.h"

/* Next UTF-16 code unit of a UTF-8 string; *pending carries a low surrogate. Bytes that are not
 * valid UTF-8 count as one unit each (they cannot come from a Java String anyway). */
static unsigned next_unit(const unsigned char **p, unsigned *pending)
{
    if (*pending) {
        unsigned u = *pending;
        *pending = 0;
        return u;
    }
    const unsigned char *s = *p;
    unsigned c = s[0];
    int n = 0;
    if (c >= 0xf0 && c <= 0xf4)
        n = 3, c &= 0x07;
    else if (c >= 0xe0 && c <= 0xef)
        n = 2, c &= 0x0f;
    else if (c >= 0xc2 && c <= 0xdf)
        n = 1, c &= 0x1f;
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *p = s + 1;
            return s[0];
        }
    }
    for (int i = 1; i <= n; i++)
        c = (c << 6) | (s[i] & 0x3f);
    *p = s + 1 + n;
    if (c >= 0x10000) {
        c -= 0x10000;
        *pending = 0xdc00 + (c & 0x3ff);
        return 0xd800 + (c >> 10);
    }
    return c;
}

int kc_cp_java_strcmp(const char *a, const char *b)
{
    const unsigned char *pa = (const unsigned char *)a, *pb = (const unsigned char *)b;
    unsigned qa = 0, qb = 0;
    for (;;) {
        int ea = !*pa && !qa, eb = !*pb && !qb;
        if (ea || eb)
            return eb - ea;
        unsigned ua = next_unit(&pa, &qa), ub = next_unit(&pb, &qb);
        if (ua != ub)
            return ua < ub ? -1 : 1;
    }
}

void kc_cp_assignments_free(kc_cp_assignment *a, size_t n)
{
    if (!a)
        return;
    for (size_t i = 0; i < n; i++)
        kc_cp_assignment_clear(&a[i]);
    free(a);
}

int kc__cp_header(kc_cp_assignment *a, int16_t version, int16_t error, const char *leader, const char *url,
                  int64_t offset, kc_error *err)
{
    a->version = version;
    a->error = error;
    a->config_offset = offset;
    a->leader = strdup(leader ? leader : "");
    a->leader_url = strdup(url ? url : "");
    if (!a->leader || !a->leader_url)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return 0;
}

static int cmp_member(const void *x, const void *y, void *arg)
{
    const kc_cp_assign_input *in = arg;
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    return kc_cp_java_strcmp(in->members[i].member_id, in->members[j].member_id);
}

size_t *kc__cp_sorted_members(const kc_cp_assign_input *in)
{
    size_t *idx = malloc((in->nmembers ? in->nmembers : 1) * sizeof *idx);
    if (!idx)
        return NULL;
    for (size_t i = 0; i < in->nmembers; i++)
        idx[i] = i;
    qsort_r(idx, in->nmembers, sizeof *idx, cmp_member, (void *)in);
    return idx;
}

int kc__cp_preamble(const kc_cp_assign_input *in, const kc_cp_snapshot **snap, int64_t *offset,
                    const char **leader_url, kc_cp_assignment **mismatch, kc_error *err)
{
    *mismatch = NULL;
    if (in->nmembers == 0 || !in->snapshot)
        return kc_error_set(err, KC_ERR_INVALID, "assignment needs at least one member and a config snapshot");
    *leader_url = NULL;
    int64_t max_offset = in->members[0].config_offset;
    for (size_t i = 0; i < in->nmembers; i++) {
        if (!in->members[i].member_id)
            return kc_error_set(err, KC_ERR_INVALID, "group member %zu has no member id", i);
        if (in->members[i].config_offset > max_offset)
            max_offset = in->members[i].config_offset;
        if (in->leader_id && strcmp(in->members[i].member_id, in->leader_id) == 0)
            *leader_url = in->members[i].url;
    }
    if (!*leader_url)
        return kc_error_set(err, KC_ERR_INVALID, "the leader '%s' is not among the group members",
                            in->leader_id ? in->leader_id : "(null)");
    *snap = in->snapshot;
    *offset = max_offset;
    if (in->snapshot->offset >= max_offset)
        return 0;
    const kc_cp_snapshot *fresh = in->refresh ? in->refresh(in->refresh_arg) : NULL;
    if (fresh && fresh->offset >= max_offset) {
        *snap = fresh;
        *offset = fresh->offset;
        return 0;
    }
    kc_cp_assignment *out = calloc(in->nmembers, sizeof *out);
    if (!out)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    for (size_t i = 0; i < in->nmembers; i++) {
        if (kc__cp_header(&out[i], (int16_t)in->protocol, KC_CP_ERROR_CONFIG_MISMATCH, in->leader_id, *leader_url,
                          max_offset, err) < 0) {
            kc_cp_assignments_free(out, in->nmembers);
            return -1;
        }
    }
    *mismatch = out;
    return 1;
}

/* ---- eager ------------------------------------------------------------------------------------ */

static int cmp_connector(const void *x, const void *y, void *arg)
{
    const kc_cp_snapshot *snap = arg;
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    return kc_cp_java_strcmp(snap->connectors[i].name, snap->connectors[j].name);
}

kc_cp_assignment *kc_eager_assign(const kc_cp_assign_input *in, kc_error *err)
{
    const kc_cp_snapshot *snap = NULL;
    const char *url = NULL;
    int64_t offset = 0;
    kc_cp_assignment *out = NULL;
    int rc = kc__cp_preamble(in, &snap, &offset, &url, &out, err);
    if (rc != 0)
        return rc > 0 ? out : NULL;

    size_t *members = kc__cp_sorted_members(in);
    size_t *conns = malloc((snap->nconnectors ? snap->nconnectors : 1) * sizeof *conns);
    out = calloc(in->nmembers, sizeof *out);
    if (!members || !conns || !out) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < snap->nconnectors; i++)
        conns[i] = i;
    qsort_r(conns, snap->nconnectors, sizeof *conns, cmp_connector, (void *)snap);

    for (size_t i = 0; i < in->nmembers; i++)
        if (kc__cp_header(&out[i], 0, KC_CP_ERROR_NONE, in->leader_id, url, offset, err) < 0)
            goto fail;
    size_t pos = 0; /* the circle over the sorted members, continued from connectors to tasks */
    for (size_t c = 0; c < snap->nconnectors; c++) {
        kc_cp_assignment *a = &out[members[pos++ % in->nmembers]];
        if (kc_cp_work_add_connector(&a->assigned, snap->connectors[conns[c]].name, err) < 0)
            goto fail;
    }
    for (size_t c = 0; c < snap->nconnectors; c++) {
        const kc_cp_connector_config *cc = &snap->connectors[conns[c]];
        for (int32_t t = 0; t < cc->tasks; t++) {
            kc_cp_assignment *a = &out[members[pos++ % in->nmembers]];
            if (kc_cp_work_add_task(&a->assigned, cc->name, t, err) < 0)
                goto fail;
        }
    }
    free(members);
    free(conns);
    return out;
fail:
    free(members);
    free(conns);
    kc_cp_assignments_free(out, in->nmembers);
    return NULL;
}
