/*
 * The provenance header kc.mm2.origin (connectors/mirror/provenance.h, spec/mirrormaker2.md 8.4):
 * what the source task of a flow S->T does with a record's chain of cluster ids, and how the
 * record's headers are rewritten. Cluster ids are shaped like real ones (22 base64url characters).
 */
#include <stdlib.h>
#include <string.h>

#include "connectors/mirror/provenance.h"
#include "kc_test.h"

#define ID_A "lkc2GmzNR3qZ7Qw9Yl4mXg"
#define ID_B "Qm9iQ2x1c3Rlcklk_B0001"
#define ID_C "Q2x1c3RlckNfaWRfQzAwMQ"

/* kc_provenance_decide_value on a NUL-terminated origin (NULL: no header); the new value in out. */
static kc_provenance_verdict decide(const char *origin, const char *s, const char *t, char *out, size_t cap)
{
    size_t len = 0;
    kc_provenance_verdict v =
        kc_provenance_decide_value(origin, origin ? strlen(origin) : 0, s, t, out, cap - 1, &len);
    if (v == KC_PROVENANCE_FORWARD) {
        CU_ASSERT_FATAL(len < cap);
        out[len] = '\0';
    }
    return v;
}

static void expect_forward(const char *origin, const char *s, const char *t, const char *want)
{
    char out[512];
    kc_provenance_verdict v = decide(origin, s, t, out, sizeof out);
    CU_ASSERT_EQUAL(v, KC_PROVENANCE_FORWARD);
    if (v == KC_PROVENANCE_FORWARD && strcmp(out, want) != 0) {
        fprintf(stderr, "\norigin %s, %s->%s:\n  got  %s\n  want %s\n", origin ? origin : "(none)", s, t, out, want);
        CU_FAIL("wrong kc.mm2.origin value");
    }
}

static void expect_drop(const char *origin, const char *s, const char *t)
{
    char out[512];
    CU_ASSERT_EQUAL(decide(origin, s, t, out, sizeof out), KC_PROVENANCE_DROP);
}

static void test_no_header(void)
{
    /* produced on S: the chain is [idS], the record leaves as "idS,idT" */
    expect_forward(NULL, ID_A, ID_B, ID_A "," ID_B);
    /* a null or an empty value counts as no chain */
    size_t len = 0;
    char out[128];
    CU_ASSERT_EQUAL(kc_provenance_decide_value("", 0, ID_A, ID_B, out, sizeof out, &len), KC_PROVENANCE_FORWARD);
    CU_ASSERT_EQUAL(len, strlen(ID_A "," ID_B));
    CU_ASSERT(memcmp(out, ID_A "," ID_B, len) == 0);
    CU_ASSERT_EQUAL(kc_provenance_decide_value(NULL, 7, ID_A, ID_B, out, sizeof out, &len), KC_PROVENANCE_FORWARD);
    CU_ASSERT_EQUAL(len, strlen(ID_A "," ID_B));
    /* through librdkafka headers: none at all, and headers without kc.mm2.origin */
    CU_ASSERT_EQUAL(kc_provenance_decide(NULL, ID_A, ID_B, out, sizeof out, &len), KC_PROVENANCE_FORWARD);
    CU_ASSERT(len == strlen(ID_A "," ID_B) && memcmp(out, ID_A "," ID_B, len) == 0);
    rd_kafka_headers_t *h = rd_kafka_headers_new(2);
    rd_kafka_header_add(h, "kc.mm2.origin.x", -1, ID_B, -1);
    rd_kafka_header_add(h, "KC.MM2.ORIGIN", -1, ID_B, -1); /* the name is case-sensitive */
    CU_ASSERT_EQUAL(kc_provenance_decide(h, ID_A, ID_B, out, sizeof out, &len), KC_PROVENANCE_FORWARD);
    CU_ASSERT(len == strlen(ID_A "," ID_B) && memcmp(out, ID_A "," ID_B, len) == 0);
    rd_kafka_headers_destroy(h);
}

static void test_java_hop(void)
{
    /* C -> (kconnect) -> X -> (Java MM2, header copied unchanged) -> A -> B: A appends itself */
    expect_forward(ID_C "," "Xid", ID_A, ID_B, ID_C ",Xid," ID_A "," ID_B);
    expect_forward(ID_C, ID_A, ID_B, ID_C "," ID_A "," ID_B);
    /* a kconnect hop into A already appended A: not twice */
    expect_forward(ID_C "," ID_A, ID_A, ID_B, ID_C "," ID_A "," ID_B);
    /* B -> (Java MM2) -> A -> B: the chain [B] + A holds the target */
    expect_drop(ID_B, ID_A, ID_B);
}

static void test_target_in_chain(void)
{
    expect_drop(ID_B "," ID_A, ID_A, ID_B); /* produced on B, came back to A */
    expect_drop(ID_C "," ID_B "," ID_A, ID_A, ID_B); /* passed through B on the way */
    expect_drop(ID_B "," ID_C, ID_A, ID_B); /* B anywhere, even before a Java hop */
    expect_drop(NULL, ID_A, ID_A);          /* a flow into its own cluster copies nothing */
    /* elements compare whole: a prefix, a suffix or a trimmed id is not the target */
    expect_forward("xab,abx, ab", "S", "ab", "xab,abx, ab,S,ab");
    expect_forward("a,,b", "S", "T", "a,,b,S,T"); /* an empty element stays as it is */
    expect_forward("a,", "S", "T", "a,,S,T");     /* the last element is empty, not S */
}

static void test_small_buffer(void)
{
    char buf[8] = "unset!!";
    size_t len = 0;
    CU_ASSERT_EQUAL(kc_provenance_decide_value(ID_C, strlen(ID_C), ID_A, ID_B, buf, sizeof buf, &len),
                    KC_PROVENANCE_FORWARD);
    CU_ASSERT_EQUAL(len, strlen(ID_C "," ID_A "," ID_B));
    CU_ASSERT_STRING_EQUAL(buf, "unset!!"); /* untouched */
    char *big = malloc(len);
    size_t len2 = 0;
    CU_ASSERT_EQUAL(kc_provenance_decide_value(ID_C, strlen(ID_C), ID_A, ID_B, big, len, &len2),
                    KC_PROVENANCE_FORWARD);
    CU_ASSERT_EQUAL(len2, len);
    CU_ASSERT(memcmp(big, ID_C "," ID_A "," ID_B, len) == 0);
    free(big);
    /* a drop leaves the length alone */
    len = 42;
    CU_ASSERT_EQUAL(kc_provenance_decide_value(ID_B, strlen(ID_B), ID_A, ID_B, buf, sizeof buf, &len),
                    KC_PROVENANCE_DROP);
    CU_ASSERT_EQUAL(len, 42);
}

/* The value of header i of h as a string (or "(null)"), for comparisons. */
static const char *header_text(const kc_headers *h, size_t i, char *buf, size_t cap)
{
    const kc_value *v = h->items[i].value;
    if (!v)
        return "(null)";
    size_t n = 0;
    const void *p = kc_value_get_bytes(v, &n);
    CU_ASSERT_FATAL(n < cap);
    if (n)
        memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

static void test_multiple_headers(void)
{
    rd_kafka_headers_t *in = rd_kafka_headers_new(8);
    rd_kafka_header_add(in, "trace", -1, "t1", -1);
    rd_kafka_header_add(in, KC_PROVENANCE_HEADER, -1, "first,ignored", -1);
    rd_kafka_header_add(in, "dup", -1, "1", -1);
    rd_kafka_header_add(in, "nullv", -1, NULL, 0);
    rd_kafka_header_add(in, KC_PROVENANCE_HEADER, -1, ID_C, -1); /* the last one wins */
    rd_kafka_header_add(in, "dup", -1, "2", -1);
    rd_kafka_header_add(in, "empty", -1, "", 0);
    char val[256];
    size_t len = 0;
    CU_ASSERT_EQUAL_FATAL(kc_provenance_decide(in, ID_A, ID_B, val, sizeof val, &len), KC_PROVENANCE_FORWARD);
    CU_ASSERT(len == strlen(ID_C "," ID_A "," ID_B) && memcmp(val, ID_C "," ID_A "," ID_B, len) == 0);

    kc_headers out = {0};
    CU_ASSERT_EQUAL_FATAL(kc_provenance_copy_headers(in, val, len, &out), 0);
    /* every other header unchanged and in order, every kc.mm2.origin removed, one appended last */
    static const char *const want[][2] = {{"trace", "t1"}, {"dup", "1"},    {"nullv", "(null)"},
                                          {"dup", "2"},     {"empty", ""},
                                          {KC_PROVENANCE_HEADER, ID_C "," ID_A "," ID_B}};
    size_t nwant = sizeof want / sizeof want[0];
    CU_ASSERT_EQUAL_FATAL(out.count, nwant);
    for (size_t i = 0; i < nwant; i++) {
        char buf[256];
        CU_ASSERT_STRING_EQUAL(out.items[i].key, want[i][0]);
        CU_ASSERT_STRING_EQUAL(header_text(&out, i, buf, sizeof buf), want[i][1]);
        CU_ASSERT(out.items[i].schema == kc_schema_bytes());
    }
    kc_headers_clear(&out);

    /* the last header holds the target: dropped, whatever the earlier ones say */
    rd_kafka_header_add(in, KC_PROVENANCE_HEADER, -1, ID_B "," ID_C, -1);
    CU_ASSERT_EQUAL(kc_provenance_decide(in, ID_A, ID_B, val, sizeof val, &len), KC_PROVENANCE_DROP);
    /* ... and an earlier header holding the target does not count */
    rd_kafka_header_add(in, KC_PROVENANCE_HEADER, -1, ID_C, -1);
    CU_ASSERT_EQUAL(kc_provenance_decide(in, ID_A, ID_B, val, sizeof val, &len), KC_PROVENANCE_FORWARD);
    rd_kafka_headers_destroy(in);

    /* no headers at all: only the new one */
    CU_ASSERT_EQUAL_FATAL(kc_provenance_copy_headers(NULL, ID_A "," ID_B, strlen(ID_A "," ID_B), &out), 0);
    CU_ASSERT_EQUAL_FATAL(out.count, 1);
    char buf[128];
    CU_ASSERT_STRING_EQUAL(out.items[0].key, KC_PROVENANCE_HEADER);
    CU_ASSERT_STRING_EQUAL(header_text(&out, 0, buf, sizeof buf), ID_A "," ID_B);
    kc_headers_clear(&out);
    CU_ASSERT(kc_provenance_is_header("kc.mm2.origin"));
    CU_ASSERT(!kc_provenance_is_header("kc.mm2.origin "));
    CU_ASSERT(!kc_provenance_is_header(NULL));
}

/* One hop S->T of a record carrying origin (NULL: none): 1 dropped, else 0 with origin replaced. */
static int hop(char *origin, size_t cap, const char *s, const char *t)
{
    char out[512];
    if (decide(*origin ? origin : NULL, s, t, out, sizeof out) == KC_PROVENANCE_DROP)
        return 1;
    CU_ASSERT_FATAL(strlen(out) < cap);
    strcpy(origin, out);
    return 0;
}

static void test_ring_of_three(void)
{
    /* flows A->B, B->C, C->A with identity names: a record goes round once and stops */
    const char *ring[] = {ID_A, ID_B, ID_C};
    for (int start = 0; start < 3; start++) {
        char origin[512] = "";
        int at = start, hops = 0;
        while (hops < 10 && !hop(origin, sizeof origin, ring[at], ring[(at + 1) % 3])) {
            at = (at + 1) % 3;
            hops++;
        }
        CU_ASSERT_EQUAL(hops, 2); /* reached the two other clusters, then dropped on the way home */
        char want[512];
        snprintf(want, sizeof want, "%s,%s,%s", ring[start], ring[(start + 1) % 3], ring[(start + 2) % 3]);
        CU_ASSERT_STRING_EQUAL(origin, want);
    }
    /* a full mesh A<->B<->C<->A: from A, B and C each receive it once through each path and drop
     * every way back */
    char ab[512] = "", ac[512] = "";
    CU_ASSERT_EQUAL(hop(ab, sizeof ab, ID_A, ID_B), 0);
    CU_ASSERT_EQUAL(hop(ac, sizeof ac, ID_A, ID_C), 0);
    char abc[512], acb[512];
    strcpy(abc, ab);
    strcpy(acb, ac);
    CU_ASSERT_EQUAL(hop(abc, sizeof abc, ID_B, ID_C), 0); /* C gets a second copy via B ... */
    CU_ASSERT_EQUAL(hop(acb, sizeof acb, ID_C, ID_B), 0); /* ... and B via C: a mesh duplicates once */
    CU_ASSERT_STRING_EQUAL(abc, ID_A "," ID_B "," ID_C);
    char back[512];
    strcpy(back, ab);
    CU_ASSERT_EQUAL(hop(back, sizeof back, ID_B, ID_A), 1);
    strcpy(back, abc);
    CU_ASSERT_EQUAL(hop(back, sizeof back, ID_C, ID_A), 1);
    strcpy(back, abc);
    CU_ASSERT_EQUAL(hop(back, sizeof back, ID_C, ID_B), 1);
    strcpy(back, acb);
    CU_ASSERT_EQUAL(hop(back, sizeof back, ID_B, ID_C), 1);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"no header: produced on the source, leaves as idS,idT", test_no_header},
        {"a header from Java MM2 (source not last): the source is appended", test_java_hop},
        {"the target in the chain: dropped; elements compare whole", test_target_in_chain},
        {"a buffer too small: the length, then the value", test_small_buffer},
        {"several kc.mm2.origin headers: the last wins, all removed, others kept in order", test_multiple_headers},
        {"a ring of three clusters and a mesh: each record stops", test_ring_of_three},
        {NULL, NULL},
    };
    return kc_test_run("mirror_provenance", cases);
}
