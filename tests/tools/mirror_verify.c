/*
 * mirror_verify: a source topic against its mirror, record by record (see mirror_verify.h).
 *
 * Built twice: as the `mirror_verify` executable (with main) and, with KC_MIRROR_VERIFY_NO_MAIN,
 * into tests that call kc_mirror_verify in-process.
 */
#include "mirror_verify.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "connect/config/client_config.h"

#define DEFAULT_WINDOW (1L << 20)
#define DEFAULT_LOOKAHEAD 4096L
#define DEFAULT_MAX_SECONDS 600
#define META_TIMEOUT_MS 10000

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- record hash ------------------------------------------------------------------------------ */

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* A length (-1 for null) then the bytes: "ab"+"c" and "a"+"bc" hash differently. */
static uint64_t fnv_field(uint64_t h, const void *data, size_t n, int is_null)
{
    int64_t len = is_null ? -1 : (int64_t)n;
    h = fnv(h, &len, sizeof len);
    return is_null ? h : fnv(h, data, n);
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t hash_key(const rd_kafka_message_t *m)
{
    return fnv_field(0xcbf29ce484222325ULL, m->key, m->key_len, m->key == NULL);
}

static uint64_t hash_value(const rd_kafka_message_t *m)
{
    return fnv_field(0xcbf29ce484222325ULL, m->payload, m->len, m->payload == NULL);
}

static uint64_t hash_headers(const rd_kafka_message_t *m)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    rd_kafka_headers_t *hdrs = NULL;
    /* the message keeps the parsed headers; no headers and an empty list compare equal */
    if (rd_kafka_message_headers(m, &hdrs) != 0 || !hdrs)
        return fnv(h, "0", 1);
    size_t cnt = rd_kafka_header_cnt(hdrs);
    h = fnv(h, &cnt, sizeof cnt);
    for (size_t i = 0; i < cnt; i++) {
        const char *name;
        const void *v;
        size_t sz;
        if (rd_kafka_header_get_all(hdrs, i, &name, &v, &sz) != 0)
            break;
        h = fnv_field(h, name, strlen(name), 0);
        h = fnv_field(h, v, sz, v == NULL);
    }
    return h;
}

static int64_t timestamp_of(const rd_kafka_message_t *m)
{
    rd_kafka_timestamp_type_t tt;
    return rd_kafka_message_timestamp(m, &tt);
}

static uint64_t record_hash(const rd_kafka_message_t *m)
{
    int64_t ts = timestamp_of(m);
    uint64_t parts[4] = {hash_key(m), hash_value(m), hash_headers(m), (uint64_t)ts};
    return mix(fnv(0xcbf29ce484222325ULL, parts, sizeof parts));
}

/* ---- result helpers --------------------------------------------------------------------------- */

static void printable(char *out, size_t len, const void *data, size_t n, int is_null)
{
    if (is_null) {
        snprintf(out, len, "null");
        return;
    }
    size_t o = 0;
    const unsigned char *p = data;
    for (size_t i = 0; i < n && o + 5 < len; i++)
        out[o++] = isprint(p[i]) ? (char)p[i] : '.';
    if (o + 5 >= len && n > 0)
        memcpy(out + o, "...", 3), o += 3;
    out[o] = '\0';
}

static void add_example(kc_mirror_verify_result *r, kc_mirror_verify_kind k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_example(kc_mirror_verify_result *r, kc_mirror_verify_kind k, const char *fmt, ...)
{
    if (r->examples_n[k] >= KC_MIRROR_VERIFY_EXAMPLES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->examples[k][r->examples_n[k]++], KC_MIRROR_VERIFY_EXAMPLE_LEN, fmt, ap);
    va_end(ap);
}

/* ---- per-partition state ---------------------------------------------------------------------- */

#define NIL UINT32_MAX

/* The last `window` consumed source records: hash and offset, indexed by hash (chained buckets). */
typedef struct ring {
    size_t w, nb;        /* window, buckets (power of two >= w) */
    uint64_t *hash;
    int64_t *offset;
    uint32_t *next;
    uint32_t *head;
    long long count;     /* source records inserted = index of the next one */
} ring;

/* Skipped source records not yet seen on the target: hash -> offset, open addressing. */
typedef struct pending {
    size_t cap, size, used;  /* max entries, table size (power of two), full entries */
    uint64_t *hash;
    int64_t *offset;
    unsigned char *state;    /* 0 empty, 1 full, 2 removed */
} pending;

/* Source records read but not consumed yet. */
typedef struct lookahead {
    size_t cap, first, n;
    rd_kafka_message_t **msg;
    uint64_t *hash;
} lookahead;

typedef struct side {
    const char *what;        /* "source" / "target" */
    const char *topic;
    rd_kafka_t *rk;
    int partitions;
    int partition;           /* being read */
    int64_t lo, hi;
    int done;
} side;

typedef struct verifier {
    side src, tgt;
    ring ring;
    pending pend;
    lookahead la;
    long deadline;
    kc_mirror_verify_result *r;
} verifier;

static size_t pow2_at_least(size_t n)
{
    size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

static int ring_init(ring *g, size_t w)
{
    g->w = w;
    g->nb = pow2_at_least(w);
    g->hash = malloc(w * sizeof *g->hash);
    g->offset = malloc(w * sizeof *g->offset);
    g->next = malloc(w * sizeof *g->next);
    g->head = malloc(g->nb * sizeof *g->head);
    return g->hash && g->offset && g->next && g->head ? 0 : -1;
}

static void ring_reset(ring *g)
{
    for (size_t i = 0; i < g->nb; i++)
        g->head[i] = NIL;
    g->count = 0;
}

static void ring_free(ring *g)
{
    free(g->hash);
    free(g->offset);
    free(g->next);
    free(g->head);
}

static void ring_insert(ring *g, uint64_t h, int64_t offset)
{
    uint32_t slot = (uint32_t)(g->count % (long long)g->w);
    if (g->count >= (long long)g->w) { /* evict the oldest from its chain */
        uint32_t *link = &g->head[g->hash[slot] & (g->nb - 1)];
        while (*link != slot)
            link = &g->next[*link];
        *link = g->next[slot];
    }
    g->hash[slot] = h;
    g->offset[slot] = offset;
    size_t b = h & (g->nb - 1);
    g->next[slot] = g->head[b];
    g->head[b] = slot;
    g->count++;
}

/* Index of the most recent source record with hash h in the window, or -1. */
static long long ring_find(const ring *g, uint64_t h)
{
    for (uint32_t s = g->head[h & (g->nb - 1)]; s != NIL; s = g->next[s])
        if (g->hash[s] == h) {
            long long last = g->count - 1, w = (long long)g->w;
            return last - ((last % w) - s + w) % w;
        }
    return -1;
}

static int ring_has(const ring *g, long long idx)
{
    return idx >= 0 && idx < g->count && idx >= g->count - (long long)g->w;
}

static int pending_init(pending *p, size_t cap)
{
    p->cap = cap;
    p->size = pow2_at_least(cap * 2);
    p->hash = malloc(p->size * sizeof *p->hash);
    p->offset = malloc(p->size * sizeof *p->offset);
    p->state = malloc(p->size);
    return p->hash && p->offset && p->state ? 0 : -1;
}

static void pending_reset(pending *p)
{
    memset(p->state, 0, p->size);
    p->used = 0;
}

static void pending_free(pending *p)
{
    free(p->hash);
    free(p->offset);
    free(p->state);
}

/* 0, or -1 when full (the caller counts the record lost at once). */
static int pending_add(pending *p, uint64_t h, int64_t offset)
{
    if (p->used >= p->cap)
        return -1;
    size_t i = h & (p->size - 1);
    while (p->state[i] == 1)
        i = (i + 1) & (p->size - 1);
    p->state[i] = 1;
    p->hash[i] = h;
    p->offset[i] = offset;
    p->used++;
    return 0;
}

/* 1 and *offset when h was pending (now removed), else 0. */
static int pending_take(pending *p, uint64_t h, int64_t *offset)
{
    if (p->used == 0)
        return 0;
    for (size_t i = h & (p->size - 1), n = 0; p->state[i] != 0 && n < p->size; i = (i + 1) & (p->size - 1), n++)
        if (p->state[i] == 1 && p->hash[i] == h) {
            p->state[i] = 2;
            p->used--;
            *offset = p->offset[i];
            return 1;
        }
    return 0;
}

/* ---- clients ---------------------------------------------------------------------------------- */

static rd_kafka_t *consumer_new(const char *bootstrap, const kc_props *config, const char *what, kc_error *err)
{
    kc_props *p = config ? kc_props_copy(config) : kc_props_new();
    if (!p)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory"), NULL;
    char group[64];
    snprintf(group, sizeof group, "kc-mirror-verify-%ld", (long)getpid());
    kc_props_set(p, "bootstrap.servers", bootstrap);
    kc_props_set(p, "group.id", group);
    kc_props_set(p, "enable.auto.commit", "false");
    /* Java's default: see aborted transactions' records too, as MM2's consumer does by default */
    if (!kc_props_get(p, "isolation.level"))
        kc_props_set(p, "isolation.level", "read_uncommitted");
    rd_kafka_conf_t *conf = kc_client_conf_new(p, KC_CLIENT_CONSUMER, NULL, NULL, err);
    kc_props_free(p);
    if (!conf)
        return kc_error_prefix(err, "%s client config", what), NULL;
    char errstr[512];
    /* bounded prefetch: at most ~16 MB queued per client */
    if (rd_kafka_conf_set(conf, "enable.partition.eof", "true", errstr, sizeof errstr) != RD_KAFKA_CONF_OK ||
        rd_kafka_conf_set(conf, "queued.max.messages.kbytes", "16384", errstr, sizeof errstr) != RD_KAFKA_CONF_OK ||
        rd_kafka_conf_set(conf, "fetch.max.bytes", "8388608", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        return kc_error_set(err, KC_ERR_INTERNAL, "%s client: %s", what, errstr), NULL;
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        return kc_error_set(err, KC_ERR_INVALID, "%s client: %s", what, errstr), NULL;
    }
    return rk;
}

static int time_left(const verifier *v) { return (int)(v->deadline - now_ms()); }

static int timed_out(kc_error *err, const char *doing)
{
    return kc_error_set(err, KC_ERR_TIMEOUT, "max time reached while %s", doing);
}

/* The partition count of s->topic; retries transient errors until the deadline. */
static int side_partitions(verifier *v, side *s, kc_error *err)
{
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(s->rk, s->topic, NULL);
    rd_kafka_resp_err_t last = RD_KAFKA_RESP_ERR_NO_ERROR;
    int unknown = 0;
    while (time_left(v) > 0) {
        const struct rd_kafka_metadata *md = NULL;
        int t = time_left(v) < META_TIMEOUT_MS ? time_left(v) : META_TIMEOUT_MS;
        last = rd_kafka_metadata(s->rk, 0, rkt, &md, t > 0 ? t : 1);
        if (last == RD_KAFKA_RESP_ERR_NO_ERROR && md->topic_cnt == 1) {
            last = md->topics[0].err;
            s->partitions = md->topics[0].partition_cnt;
            rd_kafka_metadata_destroy(md);
            if (last == RD_KAFKA_RESP_ERR_NO_ERROR && s->partitions > 0) {
                rd_kafka_topic_destroy(rkt);
                return 0;
            }
            /* a fresh metadata cache may answer "unknown" once before the broker replies */
            if (last == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART && ++unknown >= 3)
                break;
            if (last == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)
                break;
        } else if (md) {
            rd_kafka_metadata_destroy(md);
        }
        usleep(200 * 1000);
    }
    rd_kafka_topic_destroy(rkt);
    if (last == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
        return kc_error_set(err, KC_ERR_NOT_FOUND, "%s topic '%s' does not exist", s->what, s->topic);
    return kc_error_set(err, time_left(v) > 0 ? KC_ERR_UNREACHABLE : KC_ERR_TIMEOUT,
                        "%s topic '%s': no metadata (%s)", s->what, s->topic, rd_kafka_err2str(last));
}

/* Assigns partition p from its low watermark and notes the high watermark. */
static int side_open(verifier *v, side *s, int p, kc_error *err)
{
    s->partition = p;
    s->done = 0;
    if (p >= s->partitions) {
        s->lo = s->hi = 0;
        s->done = 1;
        return 0;
    }
    rd_kafka_resp_err_t e;
    do {
        int t = time_left(v) < META_TIMEOUT_MS ? time_left(v) : META_TIMEOUT_MS;
        e = rd_kafka_query_watermark_offsets(s->rk, s->topic, p, &s->lo, &s->hi, t > 0 ? t : 1);
    } while (e != RD_KAFKA_RESP_ERR_NO_ERROR && time_left(v) > 0);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return kc_error_set(err, KC_ERR_TIMEOUT, "%s %s-%d: watermarks: %s", s->what, s->topic, p, rd_kafka_err2str(e));
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, s->topic, p)->offset = s->lo;
    e = rd_kafka_assign(s->rk, l);
    rd_kafka_topic_partition_list_destroy(l);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return kc_error_set(err, KC_ERR_INTERNAL, "%s %s-%d: assign: %s", s->what, s->topic, p, rd_kafka_err2str(e));
    if (s->hi <= s->lo)
        s->done = 1;
    return 0;
}

/* 1 and *out (the caller destroys it), 0 at the partition's end, -1 on error or timeout. */
static int side_next(verifier *v, side *s, rd_kafka_message_t **out, kc_error *err)
{
    while (!s->done) {
        if (time_left(v) <= 0)
            return timed_out(err, s == &v->src ? "reading the source" : "reading the target");
        rd_kafka_message_t *m = rd_kafka_consumer_poll(s->rk, 200);
        if (!m)
            continue;
        if (m->partition != s->partition) { /* left over from the previous assignment */
            rd_kafka_message_destroy(m);
            continue;
        }
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            if (m->offset >= s->hi)
                s->done = 1;
            rd_kafka_message_destroy(m);
            continue;
        }
        if (m->err) {
            rd_kafka_resp_err_t e = m->err;
            rd_kafka_message_destroy(m);
            if (e == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED || e == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
                e == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE || e == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET)
                return kc_error_set(err, KC_ERR_UNAVAILABLE, "%s %s-%d: %s", s->what, s->topic, s->partition,
                                    rd_kafka_err2str(e));
            continue; /* transient: the client retries */
        }
        if (m->offset >= s->hi) {
            s->done = 1;
            rd_kafka_message_destroy(m);
            break;
        }
        if (m->offset == s->hi - 1)
            s->done = 1;
        *out = m;
        return 1;
    }
    return 0;
}

/* Reads source records until the look-ahead holds n (or the source partition ends). */
static int la_fill(verifier *v, size_t n, kc_error *err)
{
    lookahead *la = &v->la;
    if (n > la->cap)
        n = la->cap;
    while (la->n < n) {
        rd_kafka_message_t *m = NULL;
        int rc = side_next(v, &v->src, &m, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        size_t at = (la->first + la->n) % la->cap;
        la->msg[at] = m;
        la->hash[at] = record_hash(m);
        la->n++;
        v->r->source_records++;
    }
    return 0;
}

static rd_kafka_message_t *la_at(const lookahead *la, size_t k) { return la->msg[(la->first + k) % la->cap]; }
static uint64_t la_hash_at(const lookahead *la, size_t k) { return la->hash[(la->first + k) % la->cap]; }

/* Moves the first look-ahead record into the window. */
static void la_consume(verifier *v)
{
    lookahead *la = &v->la;
    rd_kafka_message_t *m = la->msg[la->first];
    ring_insert(&v->ring, la->hash[la->first], m->offset);
    rd_kafka_message_destroy(m);
    la->first = (la->first + 1) % la->cap;
    la->n--;
}

static void key_text(char *out, size_t len, const rd_kafka_message_t *m)
{
    printable(out, len, m->key, m->key_len, m->key == NULL);
}

static void note_lost(verifier *v, int p, int64_t offset, const char *why)
{
    v->r->count[KC_MV_LOST]++;
    add_example(v->r, KC_MV_LOST, "partition %d: source offset %" PRId64 " %s", p, offset, why);
}

/* ---- the walk --------------------------------------------------------------------------------- */

static int verify_partition(verifier *v, int p, long lookahead_n, kc_error *err)
{
    kc_mirror_verify_result *r = v->r;
    ring_reset(&v->ring);
    pending_reset(&v->pend);
    if (side_open(v, &v->src, p, err) != 0 || side_open(v, &v->tgt, p, err) != 0)
        return -1;
    long long dup_cursor = -1; /* the source index the next target record repeats, in a duplicate run */
    char key[48];
    for (;;) {
        rd_kafka_message_t *t = NULL;
        int rc = side_next(v, &v->tgt, &t, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        r->target_records++;
        uint64_t h = record_hash(t);
        int64_t toff = t->offset;
        if (dup_cursor >= 0) {
            if (ring_has(&v->ring, dup_cursor) && v->ring.hash[dup_cursor % (long long)v->ring.w] == h) {
                r->count[KC_MV_DUPLICATED]++;
                if (++dup_cursor >= v->ring.count)
                    dup_cursor = -1;
                rd_kafka_message_destroy(t);
                continue;
            }
            dup_cursor = -1;
        }
        if (la_fill(v, 1, err) != 0) {
            rd_kafka_message_destroy(t);
            return -1;
        }
        if (v->la.n > 0 && la_hash_at(&v->la, 0) == h) {
            r->matched++;
            la_consume(v);
            rd_kafka_message_destroy(t);
            continue;
        }
        int64_t soff;
        if (pending_take(&v->pend, h, &soff)) {
            r->count[KC_MV_REORDERED]++;
            key_text(key, sizeof key, t);
            add_example(r, KC_MV_REORDERED, "partition %d: source offset %" PRId64 " (key %s) came late, at target offset %" PRId64,
                        p, soff, key, toff);
            rd_kafka_message_destroy(t);
            continue;
        }
        long long j = ring_find(&v->ring, h);
        if (j >= 0) {
            r->count[KC_MV_DUPLICATED]++;
            key_text(key, sizeof key, t);
            add_example(r, KC_MV_DUPLICATED, "partition %d: target offset %" PRId64 " repeats source offset %" PRId64 " (key %s)",
                        p, toff, v->ring.offset[j % (long long)v->ring.w], key);
            dup_cursor = j + 1 < v->ring.count ? j + 1 : -1;
            rd_kafka_message_destroy(t);
            continue;
        }
        if (la_fill(v, (size_t)lookahead_n, err) != 0) {
            rd_kafka_message_destroy(t);
            return -1;
        }
        size_t k = 1;
        while (k < v->la.n && la_hash_at(&v->la, k) != h)
            k++;
        if (k < v->la.n) { /* records 0..k-1 skipped: late (reordered) or lost, decided later */
            for (size_t s = 0; s < k; s++) {
                if (pending_add(&v->pend, la_hash_at(&v->la, 0), la_at(&v->la, 0)->offset) != 0)
                    note_lost(v, p, la_at(&v->la, 0)->offset, "not on the target where expected (too many skipped to track)");
                la_consume(v);
            }
            r->matched++;
            la_consume(v);
            rd_kafka_message_destroy(t);
            continue;
        }
        r->count[KC_MV_DIFFERING]++;
        key_text(key, sizeof key, t);
        if (v->la.n == 0) {
            add_example(r, KC_MV_DIFFERING, "partition %d: target offset %" PRId64 " (key %s) matches no source record",
                        p, toff, key);
        } else {
            const rd_kafka_message_t *s = la_at(&v->la, 0);
            char what[64] = "";
            if (hash_key(s) != hash_key(t))
                strcat(what, " key");
            if (hash_value(s) != hash_value(t))
                strcat(what, " value");
            if (hash_headers(s) != hash_headers(t))
                strcat(what, " headers");
            if (timestamp_of(s) != timestamp_of(t))
                strcat(what, " timestamp");
            char skey[48];
            key_text(skey, sizeof skey, s);
            add_example(r, KC_MV_DIFFERING, "partition %d: source offset %" PRId64 " (key %s) vs target offset %" PRId64
                        " (key %s):%s differ", p, s->offset, skey, toff, key, what);
            la_consume(v);
        }
        rd_kafka_message_destroy(t);
    }
    /* the target ended: the rest of the source and the skipped records never came */
    for (;;) {
        if (la_fill(v, 1, err) != 0)
            return -1;
        if (v->la.n == 0)
            break;
        note_lost(v, p, la_at(&v->la, 0)->offset, "not on the target (the target partition ended)");
        la_consume(v);
    }
    for (size_t i = 0; i < v->pend.size; i++)
        if (v->pend.state[i] == 1)
            note_lost(v, p, v->pend.offset[i], "skipped on the target and never came");
    return 0;
}

int kc_mirror_verify_ok(const kc_mirror_verify_result *r)
{
    return r->count[KC_MV_LOST] == 0 && r->count[KC_MV_REORDERED] == 0 && r->count[KC_MV_DIFFERING] == 0;
}

int kc_mirror_verify(const kc_mirror_verify_opts *o, kc_mirror_verify_result *r, kc_error *err)
{
    memset(r, 0, sizeof *r);
    if (!o->source_bootstrap || !o->source_topic || !o->target_bootstrap || !o->target_topic)
        return kc_error_set(err, KC_ERR_INVALID, "source and target bootstrap servers and topics are required");
    long window = o->window > 0 ? o->window : DEFAULT_WINDOW;
    long lookahead_n = o->lookahead > 0 ? o->lookahead : DEFAULT_LOOKAHEAD;
    if (window >= (long)NIL / 2)
        return kc_error_set(err, KC_ERR_INVALID, "window %ld is too large", window);
    verifier v;
    memset(&v, 0, sizeof v);
    v.r = r;
    v.deadline = now_ms() + 1000L * (o->max_seconds > 0 ? o->max_seconds : DEFAULT_MAX_SECONDS);
    v.src.what = "source";
    v.src.topic = o->source_topic;
    v.tgt.what = "target";
    v.tgt.topic = o->target_topic;
    v.la.cap = (size_t)lookahead_n;
    v.la.msg = calloc(v.la.cap, sizeof *v.la.msg);
    v.la.hash = calloc(v.la.cap, sizeof *v.la.hash);
    int rc = -1;
    if (!v.la.msg || !v.la.hash || ring_init(&v.ring, (size_t)window) != 0 || pending_init(&v.pend, (size_t)window) != 0) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto out;
    }
    if (!(v.src.rk = consumer_new(o->source_bootstrap, o->source_config, "source", err)) ||
        !(v.tgt.rk = consumer_new(o->target_bootstrap, o->target_config, "target", err)))
        goto out;
    if (side_partitions(&v, &v.src, err) != 0 || side_partitions(&v, &v.tgt, err) != 0)
        goto out;
    r->partitions = v.src.partitions;
    for (int p = 0; p < v.src.partitions; p++)
        if (verify_partition(&v, p, lookahead_n, err) != 0) {
            kc_error_prefix(err, "partition %d", p);
            goto out;
        }
    /* target partitions without a source partition hold only records that match nothing */
    for (int p = v.src.partitions; p < v.tgt.partitions; p++) {
        if (side_open(&v, &v.tgt, p, err) != 0)
            goto out;
        if (v.tgt.hi > v.tgt.lo) {
            r->count[KC_MV_DIFFERING] += v.tgt.hi - v.tgt.lo;
            r->target_records += v.tgt.hi - v.tgt.lo;
            add_example(r, KC_MV_DIFFERING, "target partition %d (%" PRId64 " records) has no source partition", p,
                        v.tgt.hi - v.tgt.lo);
        }
    }
    rc = 0;
out:
    while (v.la.n > 0) {
        rd_kafka_message_destroy(v.la.msg[v.la.first]);
        v.la.first = (v.la.first + 1) % v.la.cap;
        v.la.n--;
    }
    for (side *s = &v.src; s; s = s == &v.src ? &v.tgt : NULL)
        if (s->rk) {
            rd_kafka_consumer_close(s->rk);
            rd_kafka_destroy(s->rk);
        }
    free(v.la.msg);
    free(v.la.hash);
    ring_free(&v.ring);
    pending_free(&v.pend);
    return rc;
}

void kc_mirror_verify_print(const kc_mirror_verify_result *r, FILE *out, const char *prefix)
{
    static const char *names[KC_MV_KINDS] = {"lost", "duplicated", "reordered", "differing"};
    fprintf(out, "%spartitions %d, source records %lld, target records %lld, matched %lld\n", prefix, r->partitions,
            r->source_records, r->target_records, r->matched);
    fprintf(out, "%slost %lld, duplicated %lld, reordered %lld, differing %lld: %s\n", prefix, r->count[KC_MV_LOST],
            r->count[KC_MV_DUPLICATED], r->count[KC_MV_REORDERED], r->count[KC_MV_DIFFERING],
            kc_mirror_verify_ok(r) ? "OK" : "FAILED");
    for (int k = 0; k < KC_MV_KINDS; k++)
        for (int i = 0; i < r->examples_n[k]; i++)
            fprintf(out, "%s  %s: %s\n", prefix, names[k], r->examples[k][i]);
}

#ifndef KC_MIRROR_VERIFY_NO_MAIN

static void usage(FILE *f)
{
    fprintf(f, "usage: mirror_verify --source-bootstrap H:P --source-topic T --target-bootstrap H:P --target-topic T'\n"
               "                     [--source-config file.properties] [--target-config file.properties]\n"
               "                     [--max-seconds N] [--window N] [--lookahead N]\n"
               "Compares the topics partition by partition; exit 0 when nothing is lost, reordered or differing\n"
               "(duplicates are reported), 1 when something is, 2 when the comparison could not run.\n");
}

int main(int argc, char **argv)
{
    kc_mirror_verify_opts o;
    memset(&o, 0, sizeof o);
    const char *src_cfg = NULL, *tgt_cfg = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        }
        if (!val) {
            fprintf(stderr, "mirror_verify: %s needs a value\n", a);
            usage(stderr);
            return 2;
        }
        i++;
        if (!strcmp(a, "--source-bootstrap"))
            o.source_bootstrap = val;
        else if (!strcmp(a, "--source-topic"))
            o.source_topic = val;
        else if (!strcmp(a, "--target-bootstrap"))
            o.target_bootstrap = val;
        else if (!strcmp(a, "--target-topic"))
            o.target_topic = val;
        else if (!strcmp(a, "--source-config"))
            src_cfg = val;
        else if (!strcmp(a, "--target-config"))
            tgt_cfg = val;
        else if (!strcmp(a, "--max-seconds"))
            o.max_seconds = atoi(val);
        else if (!strcmp(a, "--window"))
            o.window = atol(val);
        else if (!strcmp(a, "--lookahead"))
            o.lookahead = atol(val);
        else {
            fprintf(stderr, "mirror_verify: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    kc_error err;
    kc_error_clear(&err);
    kc_props *sp = NULL, *tp = NULL;
    int rc = 2;
    if (src_cfg && (!(sp = kc_props_new()) || kc_props_load_file(sp, src_cfg, &err) != 0)) {
        fprintf(stderr, "mirror_verify: %s: %s\n", src_cfg, err.msg);
        goto out;
    }
    if (tgt_cfg && (!(tp = kc_props_new()) || kc_props_load_file(tp, tgt_cfg, &err) != 0)) {
        fprintf(stderr, "mirror_verify: %s: %s\n", tgt_cfg, err.msg);
        goto out;
    }
    o.source_config = sp;
    o.target_config = tp;
    kc_mirror_verify_result *r = malloc(sizeof *r);
    if (!r)
        goto out;
    if (kc_mirror_verify(&o, r, &err) != 0) {
        fprintf(stderr, "mirror_verify: %s\n", err.msg);
        if (!o.source_bootstrap || !o.source_topic || !o.target_bootstrap || !o.target_topic)
            usage(stderr);
    } else {
        kc_mirror_verify_print(r, stdout, "");
        rc = kc_mirror_verify_ok(r) ? 0 : 1;
    }
    free(r);
out:
    kc_props_free(sp);
    kc_props_free(tp);
    return rc;
}

#endif
