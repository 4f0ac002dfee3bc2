/* Connect's embedded group protocol codecs (spec/connect-group-protocol.md §4). */
#include "connect/cluster/connect_protocol.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connect/kafka/protocol.h"

/* ---- protocol names --------------------------------------------------------------------------- */

const char *kc_cp_protocol_name(kc_cp_protocol p)
{
    switch (p) {
    case KC_CP_EAGER:
        return "default";
    case KC_CP_COMPATIBLE:
        return "compatible";
    case KC_CP_SESSIONED:
        return "sessioned";
    }
    return "default";
}

int kc_cp_protocol_from_name(const char *name, kc_cp_protocol *out, kc_error *err)
{
    static const kc_cp_protocol all[] = {KC_CP_EAGER, KC_CP_COMPATIBLE, KC_CP_SESSIONED};
    for (size_t i = 0; name && i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(name, kc_cp_protocol_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    }
    return kc_error_set(err, KC_ERR_INVALID, "unknown Connect group protocol '%s' (expected default, compatible "
                        "or sessioned)", name ? name : "(null)");
}

int kc_cp_protocol_parse_mode(const char *mode, kc_cp_protocol *out, kc_error *err)
{
    if (mode && strcasecmp(mode, "eager") == 0)
        *out = KC_CP_EAGER;
    else if (mode && strcasecmp(mode, "compatible") == 0)
        *out = KC_CP_COMPATIBLE;
    else if (mode && strcasecmp(mode, "sessioned") == 0)
        *out = KC_CP_SESSIONED;
    else
        return kc_error_set(err, KC_ERR_INVALID, "connect.protocol '%s' is not one of eager, compatible, sessioned",
                            mode ? mode : "(null)");
    return 0;
}

size_t kc_cp_protocols_offered(kc_cp_protocol mode, kc_cp_protocol out[3])
{
    size_t n = 0;
    for (int v = (int)mode; v >= 0; v--)
        out[n++] = (kc_cp_protocol)v;
    return n;
}

/* ---- work lists ------------------------------------------------------------------------------- */

static int grow(void **arr, size_t n, size_t elem, kc_error *err)
{
    /* capacity follows powers of two: grow when n is 0 or a power of two */
    if (n != 0 && (n & (n - 1)) != 0)
        return 0;
    size_t cap = n ? n * 2 : 4;
    void *p = realloc(*arr, cap * elem);
    if (!p)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    *arr = p;
    return 0;
}

int kc_cp_work_add_connector(kc_cp_work *w, const char *connector, kc_error *err)
{
    if (grow((void **)&w->connectors, w->nconnectors, sizeof *w->connectors, err) < 0)
        return -1;
    char *s = strdup(connector);
    if (!s)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    w->connectors[w->nconnectors++] = s;
    return 0;
}

int kc_cp_work_add_task(kc_cp_work *w, const char *connector, int32_t task, kc_error *err)
{
    if (grow((void **)&w->tasks, w->ntasks, sizeof *w->tasks, err) < 0)
        return -1;
    char *s = strdup(connector);
    if (!s)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    w->tasks[w->ntasks].connector = s;
    w->tasks[w->ntasks].task = task;
    w->ntasks++;
    return 0;
}

void kc_cp_work_clear(kc_cp_work *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nconnectors; i++)
        free(w->connectors[i]);
    for (size_t i = 0; i < w->ntasks; i++)
        free(w->tasks[i].connector);
    free(w->connectors);
    free(w->tasks);
    memset(w, 0, sizeof *w);
}

int kc_cp_work_copy(kc_cp_work *dst, const kc_cp_work *src, kc_error *err)
{
    memset(dst, 0, sizeof *dst);
    for (size_t i = 0; i < src->nconnectors; i++)
        if (kc_cp_work_add_connector(dst, src->connectors[i], err) < 0)
            goto fail;
    for (size_t i = 0; i < src->ntasks; i++)
        if (kc_cp_work_add_task(dst, src->tasks[i].connector, src->tasks[i].task, err) < 0)
            goto fail;
    return 0;
fail:
    kc_cp_work_clear(dst);
    return -1;
}

void kc_cp_assignment_clear(kc_cp_assignment *a)
{
    if (!a)
        return;
    free(a->leader);
    free(a->leader_url);
    kc_cp_work_clear(&a->assigned);
    kc_cp_work_clear(&a->revoked);
    memset(a, 0, sizeof *a);
}

void kc_cp_metadata_clear(kc_cp_metadata *m)
{
    if (!m)
        return;
    free(m->url);
    if (m->allocation) {
        kc_cp_assignment_clear(m->allocation);
        free(m->allocation);
    }
    memset(m, 0, sizeof *m);
}

/* ---- encoding --------------------------------------------------------------------------------- */

static int put_string(kc_kbuf *b, const char *s, const char *what, kc_error *err)
{
    if (!s)
        s = "";
    if (strlen(s) > 32767)
        return kc_error_set(err, KC_ERR_INVALID, "%s is longer than 32767 bytes", what);
    kc_kw_string(b, s);
    return 0;
}

/* Java's layout of a list (ConnectProtocol/ExtendedAssignment taskAssignments): one entry per
 * distinct connector with [-1], then each task appended to its connector's entry, creating entries
 * for connectors not yet listed. Entries here follow first appearance (Java: hash order). */
static int put_work(kc_kbuf *b, const kc_cp_work *w, const char *what, kc_error *err)
{
    size_t n = w->nconnectors + w->ntasks;
    const char **names = calloc(n ? n : 1, sizeof *names);
    if (!names)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    size_t nnames = 0;
    for (size_t i = 0; i < n; i++) {
        const char *c = i < w->nconnectors ? w->connectors[i] : w->tasks[i - w->nconnectors].connector;
        size_t j = 0;
        while (j < nnames && strcmp(names[j], c) != 0)
            j++;
        if (j == nnames)
            names[nnames++] = c;
    }
    int rc = 0;
    kc_kw_i32(b, (int32_t)nnames);
    for (size_t j = 0; j < nnames && rc == 0; j++) {
        rc = put_string(b, names[j], what, err);
        int32_t count = 0;
        int has_connector = 0;
        for (size_t i = 0; i < w->nconnectors; i++)
            if (strcmp(w->connectors[i], names[j]) == 0)
                has_connector = 1;
        count += has_connector;
        for (size_t i = 0; i < w->ntasks; i++)
            if (strcmp(w->tasks[i].connector, names[j]) == 0)
                count++;
        kc_kw_i32(b, count);
        if (has_connector)
            kc_kw_i32(b, KC_CP_CONNECTOR_TASK);
        for (size_t i = 0; i < w->ntasks; i++)
            if (strcmp(w->tasks[i].connector, names[j]) == 0)
                kc_kw_i32(b, w->tasks[i].task);
    }
    free(names);
    return rc;
}

static int write_assignment(kc_kbuf *b, const kc_cp_assignment *a, int16_t version, kc_error *err)
{
    if (version < 0)
        return kc_error_set(err, KC_ERR_INVALID, "assignment version %d is negative", version);
    kc_kw_i16(b, version);
    kc_kw_i16(b, a->error);
    if (put_string(b, a->leader, "assignment leader", err) < 0 ||
        put_string(b, a->leader_url, "assignment leader url", err) < 0)
        return -1;
    kc_kw_i64(b, a->config_offset);
    if (put_work(b, &a->assigned, "assigned connector name", err) < 0)
        return -1;
    if (version >= 1) {
        if (put_work(b, &a->revoked, "revoked connector name", err) < 0)
            return -1;
        kc_kw_i32(b, a->delay);
    }
    return 0;
}

static unsigned char *finish(kc_kbuf *b, size_t *len, const char *what, kc_error *err)
{
    if (b->failed) {
        kc_kbuf_free(b);
        kc_error_set(err, KC_ERR_INVALID, "%s is too large (limit %u bytes) or out of memory", what,
                     KC_CP_MAX_ENCODED);
        return NULL;
    }
    unsigned char *out = b->data;
    *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return out;
}

unsigned char *kc_cp_assignment_encode(const kc_cp_assignment *a, int16_t version, size_t *len, kc_error *err)
{
    kc_kbuf b;
    kc_kbuf_init(&b, KC_CP_MAX_ENCODED);
    if (write_assignment(&b, a, version, err) < 0) {
        kc_kbuf_free(&b);
        return NULL;
    }
    return finish(&b, len, "Connect assignment", err);
}

unsigned char *kc_cp_metadata_encode(kc_cp_protocol p, const char *url, int64_t config_offset,
                                     const kc_cp_assignment *allocation, size_t *len, kc_error *err)
{
    kc_kbuf b;
    kc_kbuf_init(&b, KC_CP_MAX_ENCODED);
    kc_kw_i16(&b, (int16_t)p);
    if (put_string(&b, url, "worker url", err) < 0) {
        kc_kbuf_free(&b);
        return NULL;
    }
    kc_kw_i64(&b, config_offset);
    if (p != KC_CP_EAGER) {
        if (!allocation) {
            kc_kw_i32(&b, -1);
        } else {
            kc_kbuf inner;
            kc_kbuf_init(&inner, KC_CP_MAX_ENCODED);
            if (write_assignment(&inner, allocation, (int16_t)p, err) < 0) {
                kc_kbuf_free(&inner);
                kc_kbuf_free(&b);
                return NULL;
            }
            if (inner.failed)
                b.failed = 1;
            else
                kc_kw_bytes(&b, inner.data, inner.len);
            kc_kbuf_free(&inner);
        }
    }
    return finish(&b, len, "Connect worker metadata", err);
}

/* ---- decoding --------------------------------------------------------------------------------- */

static int cut(kc_error *err, const char *what, const char *field)
{
    return kc_error_set(err, KC_ERR_INVALID, "malformed %s: field '%s' is cut off or has a bad length", what,
                        field);
}

static int get_i16(kc_kreader *r, int16_t *v, const char *what, const char *field, kc_error *err)
{
    *v = kc_kr_i16(r);
    return r->bad ? cut(err, what, field) : 0;
}

static int get_i32(kc_kreader *r, int32_t *v, const char *what, const char *field, kc_error *err)
{
    *v = kc_kr_i32(r);
    return r->bad ? cut(err, what, field) : 0;
}

static int get_i64(kc_kreader *r, int64_t *v, const char *what, const char *field, kc_error *err)
{
    *v = kc_kr_i64(r);
    return r->bad ? cut(err, what, field) : 0;
}

static int get_string(kc_kreader *r, char **out, const char *what, const char *field, kc_error *err)
{
    const char *s = NULL;
    size_t n = 0;
    *out = NULL;
    if (kc_kr_string(r, &s, &n) < 0 || r->bad)
        return cut(err, what, field);
    if (!s)
        return kc_error_set(err, KC_ERR_INVALID, "malformed %s: field '%s' is null", what, field);
    if (memchr(s, '\0', n))
        return kc_error_set(err, KC_ERR_INVALID, "malformed %s: field '%s' contains a NUL byte", what, field);
    char *c = malloc(n + 1);
    if (!c)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    memcpy(c, s, n);
    c[n] = '\0';
    *out = c;
    return 0;
}

/* ARRAY of (connector STRING, tasks ARRAY of int32); a null outer array reads as empty. */
static int get_work(kc_kreader *r, kc_cp_work *w, const char *what, const char *field, kc_error *err)
{
    int32_t n = 0;
    if (get_i32(r, &n, what, field, err) < 0)
        return -1;
    if (n == -1)
        return 0;
    /* an entry is at least 6 bytes (empty name, zero tasks) */
    if (n < 0 || (size_t)n > kc_kr_remaining(r) / 6 || n > KC_CP_MAX_ITEMS)
        return kc_error_set(err, KC_ERR_INVALID, "malformed %s: '%s' has a bad entry count %d", what, field, (int)n);
    size_t items = 0;
    for (int32_t i = 0; i < n; i++) {
        char *name = NULL;
        if (get_string(r, &name, what, field, err) < 0)
            return -1;
        int32_t nt = 0;
        if (get_i32(r, &nt, what, field, err) < 0) {
            free(name);
            return -1;
        }
        if (nt < 0 || (size_t)nt > kc_kr_remaining(r) / 4 || (items += (size_t)nt) > KC_CP_MAX_ITEMS) {
            kc_error_set(err, KC_ERR_INVALID, "malformed %s: tasks of connector '%s' in '%s' has a bad count %d",
                         what, name, field, (int)nt);
            free(name);
            return -1;
        }
        for (int32_t t = 0; t < nt; t++) {
            int32_t id = kc_kr_i32(r);
            int rc = id == KC_CP_CONNECTOR_TASK ? kc_cp_work_add_connector(w, name, err)
                                                : kc_cp_work_add_task(w, name, id, err);
            if (rc < 0) {
                free(name);
                return -1;
            }
        }
        free(name);
    }
    return 0;
}

static int read_assignment(kc_kreader *r, kc_cp_assignment *a, const char *what, kc_error *err)
{
    memset(a, 0, sizeof *a);
    if (get_i16(r, &a->version, what, "version", err) < 0)
        return -1;
    if (a->version < 0)
        return kc_error_set(err, KC_ERR_INVALID, "malformed %s: negative version %d", what, a->version);
    if (get_i16(r, &a->error, what, "error", err) < 0 || get_string(r, &a->leader, what, "leader", err) < 0 ||
        get_string(r, &a->leader_url, what, "leader url", err) < 0 ||
        get_i64(r, &a->config_offset, what, "config offset", err) < 0)
        goto fail;
    if (kc_kr_remaining(r) > 0 && get_work(r, &a->assigned, what, "assignment", err) < 0)
        goto fail;
    if (kc_kr_remaining(r) > 0 && get_work(r, &a->revoked, what, "revoked", err) < 0)
        goto fail;
    if (kc_kr_remaining(r) > 0 && get_i32(r, &a->delay, what, "delay", err) < 0)
        goto fail;
    return 0;
fail:
    kc_cp_assignment_clear(a);
    return -1;
}

int kc_cp_assignment_decode(const void *data, size_t len, kc_cp_assignment *out, kc_error *err)
{
    kc_kreader r;
    kc_kr_init(&r, data, len);
    return read_assignment(&r, out, "Connect assignment", err);
}

int kc_cp_metadata_decode(const void *data, size_t len, kc_cp_metadata *out, kc_error *err)
{
    static const char what[] = "Connect worker metadata";
    kc_kreader r;
    kc_kr_init(&r, data, len);
    memset(out, 0, sizeof *out);
    if (get_i16(&r, &out->version, what, "version", err) < 0)
        return -1;
    if (out->version < 0)
        return kc_error_set(err, KC_ERR_INVALID, "malformed %s: negative version %d", what, out->version);
    if (get_string(&r, &out->url, what, "url", err) < 0 || get_i64(&r, &out->config_offset, what, "config offset", err) < 0)
        goto fail;
    if (kc_kr_remaining(&r) > 0) {
        const unsigned char *alloc = NULL;
        size_t alen = 0;
        if (kc_kr_bytes(&r, &alloc, &alen) < 0 || r.bad) {
            cut(err, what, "allocation");
            goto fail;
        }
        if (alloc) {
            out->allocation = calloc(1, sizeof *out->allocation);
            if (!out->allocation) {
                kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
                goto fail;
            }
            kc_kreader ar;
            kc_kr_init(&ar, alloc, alen);
            if (read_assignment(&ar, out->allocation, "allocation in Connect worker metadata", err) < 0)
                goto fail;
        }
    }
    return 0;
fail:
    kc_cp_metadata_clear(out);
    return -1;
}
