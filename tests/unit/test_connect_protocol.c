/* Connect group sub-protocol codecs: the §4.6 vectors of spec/connect-group-protocol.md byte for
 * byte (encode and decode), the §4.5 tolerant-decoding rules, malformed input, protocol names and
 * the connect.protocol lists (§4.1, §9 #15, #16). */
#include <stdlib.h>
#include <string.h>

#include "connect/cluster/connect_protocol.h"
#include "kc_test.h"

static const char URL[] = "http://w1:8083/";

/* Metadata v2, url URL, offset 5, allocation null (31 bytes). */
static const unsigned char META_V2_NULL[] = {
    0x00, 0x02, 0x00, 0x0f, 'h', 't', 't', 'p', ':', '/', '/', 'w', '1', ':', '8', '0', '8', '3', '/',
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0xff, 0xff, 0xff, 0xff};

/* Assignment v2: leader w1-abc, URL, offset 5, "c": [-1, 0], nothing revoked, delay 0 (64 bytes). */
static const unsigned char ASSIGN_V2[] = {
    0x00, 0x02, 0x00, 0x00, 0x00, 0x06, 'w', '1', '-', 'a', 'b', 'c', 0x00, 0x0f, 'h', 't', 't', 'p', ':', '/',
    '/', 'w', '1', ':', '8', '0', '8', '3', '/', 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x01, 'c', 0x00, 0x00, 0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

/* CONFIG_MISMATCH assignment v2 (49 bytes). */
static const unsigned char MISMATCH_V2[] = {
    0x00, 0x02, 0x00, 0x01, 0x00, 0x06, 0x77, 0x31, 0x2d, 0x61, 0x62, 0x63, 0x00, 0x0f, 0x68, 0x74, 0x74,
    0x70, 0x3a, 0x2f, 0x2f, 0x77, 0x31, 0x3a, 0x38, 0x30, 0x38, 0x33, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

/* Assignment v1 revoking connector b and task b-1, leader L, url http://l:8083/, offset 7, delay 300000. */
static const unsigned char REVOKE_V1[] = {
    0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x4c, 0x00, 0x0e, 0x68, 0x74, 0x74, 0x70, 0x3a, 0x2f, 0x2f, 0x6c,
    0x3a, 0x38, 0x30, 0x38, 0x33, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x62, 0x00, 0x00, 0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x04, 0x93, 0xe0};

static void make_assign_v2(kc_cp_assignment *a)
{
    kc_error err;
    memset(a, 0, sizeof *a);
    a->version = 2;
    a->leader = strdup("w1-abc");
    a->leader_url = strdup(URL);
    a->config_offset = 5;
    CU_ASSERT(kc_cp_work_add_connector(&a->assigned, "c", &err) == 0);
    CU_ASSERT(kc_cp_work_add_task(&a->assigned, "c", 0, &err) == 0);
}

static int bytes_eq(const unsigned char *got, size_t got_len, const unsigned char *want, size_t want_len)
{
    return got && got_len == want_len && memcmp(got, want, want_len) == 0;
}

static void test_metadata_v2_null_allocation(void)
{
    kc_error err;
    size_t len = 0;
    unsigned char *b = kc_cp_metadata_encode(KC_CP_SESSIONED, URL, 5, NULL, &len, &err);
    CU_ASSERT(bytes_eq(b, len, META_V2_NULL, sizeof META_V2_NULL));
    free(b);
    /* v0 entry: first 27 bytes, version 00 00 */
    unsigned char v0[27];
    memcpy(v0, META_V2_NULL, 27);
    v0[1] = 0;
    b = kc_cp_metadata_encode(KC_CP_EAGER, URL, 5, NULL, &len, &err);
    CU_ASSERT(bytes_eq(b, len, v0, sizeof v0));
    free(b);

    kc_cp_metadata m;
    CU_ASSERT_FATAL(kc_cp_metadata_decode(META_V2_NULL, sizeof META_V2_NULL, &m, &err) == 0);
    CU_ASSERT_EQUAL(m.version, 2);
    CU_ASSERT_STRING_EQUAL(m.url, URL);
    CU_ASSERT_EQUAL(m.config_offset, 5);
    CU_ASSERT_PTR_NULL(m.allocation);
    kc_cp_metadata_clear(&m);
    /* v0 metadata decodes with no allocation */
    CU_ASSERT_FATAL(kc_cp_metadata_decode(v0, sizeof v0, &m, &err) == 0);
    CU_ASSERT_EQUAL(m.version, 0);
    CU_ASSERT_EQUAL(m.config_offset, 5);
    CU_ASSERT_PTR_NULL(m.allocation);
    kc_cp_metadata_clear(&m);
}

static void test_assignment_v2_vector(void)
{
    kc_error err;
    kc_cp_assignment a;
    make_assign_v2(&a);
    size_t len = 0;
    unsigned char *b = kc_cp_assignment_encode(&a, 2, &len, &err);
    CU_ASSERT_EQUAL(len, 64);
    CU_ASSERT(bytes_eq(b, len, ASSIGN_V2, sizeof ASSIGN_V2));
    free(b);
    /* v0: the same bytes up to and including the connector entry, version 00 00 (56 bytes) */
    unsigned char v0[56];
    memcpy(v0, ASSIGN_V2, 56);
    v0[1] = 0;
    b = kc_cp_assignment_encode(&a, 0, &len, &err);
    CU_ASSERT(bytes_eq(b, len, v0, sizeof v0));
    free(b);
    kc_cp_assignment_clear(&a);

    kc_cp_assignment d;
    CU_ASSERT_FATAL(kc_cp_assignment_decode(ASSIGN_V2, sizeof ASSIGN_V2, &d, &err) == 0);
    CU_ASSERT_EQUAL(d.version, 2);
    CU_ASSERT_EQUAL(d.error, 0);
    CU_ASSERT_STRING_EQUAL(d.leader, "w1-abc");
    CU_ASSERT_STRING_EQUAL(d.leader_url, URL);
    CU_ASSERT_EQUAL(d.config_offset, 5);
    CU_ASSERT_EQUAL_FATAL(d.assigned.nconnectors, 1);
    CU_ASSERT_STRING_EQUAL(d.assigned.connectors[0], "c");
    CU_ASSERT_EQUAL_FATAL(d.assigned.ntasks, 1);
    CU_ASSERT_STRING_EQUAL(d.assigned.tasks[0].connector, "c");
    CU_ASSERT_EQUAL(d.assigned.tasks[0].task, 0);
    CU_ASSERT_EQUAL(d.revoked.nconnectors + d.revoked.ntasks, 0);
    CU_ASSERT_EQUAL(d.delay, 0);
    kc_cp_assignment_clear(&d);

    /* v0 assignment decodes with empty revoked and delay 0 */
    CU_ASSERT_FATAL(kc_cp_assignment_decode(v0, sizeof v0, &d, &err) == 0);
    CU_ASSERT_EQUAL(d.version, 0);
    CU_ASSERT_EQUAL(d.assigned.nconnectors, 1);
    CU_ASSERT_EQUAL(d.assigned.ntasks, 1);
    CU_ASSERT_EQUAL(d.revoked.nconnectors + d.revoked.ntasks, 0);
    CU_ASSERT_EQUAL(d.delay, 0);
    kc_cp_assignment_clear(&d);
}

static void test_metadata_with_allocation(void)
{
    kc_error err;
    kc_cp_assignment a;
    make_assign_v2(&a);
    unsigned char want[95];
    memcpy(want, META_V2_NULL, 27);
    const unsigned char len64[] = {0x00, 0x00, 0x00, 0x40};
    memcpy(want + 27, len64, 4);
    memcpy(want + 31, ASSIGN_V2, 64);
    size_t len = 0;
    unsigned char *b = kc_cp_metadata_encode(KC_CP_SESSIONED, URL, 5, &a, &len, &err);
    CU_ASSERT(bytes_eq(b, len, want, sizeof want));
    free(b);
    /* compatible: both version fields 00 01, even though the allocation arrived as v2 */
    unsigned char compat[95];
    memcpy(compat, want, 95);
    compat[1] = 1;
    compat[32] = 1;
    b = kc_cp_metadata_encode(KC_CP_COMPATIBLE, URL, 5, &a, &len, &err);
    CU_ASSERT(bytes_eq(b, len, compat, sizeof compat));
    free(b);
    /* default: the 27-byte v0 form */
    unsigned char v0[27];
    memcpy(v0, META_V2_NULL, 27);
    v0[1] = 0;
    b = kc_cp_metadata_encode(KC_CP_EAGER, URL, 5, &a, &len, &err);
    CU_ASSERT(bytes_eq(b, len, v0, sizeof v0));
    free(b);
    kc_cp_assignment_clear(&a);

    kc_cp_metadata m;
    CU_ASSERT_FATAL(kc_cp_metadata_decode(compat, sizeof compat, &m, &err) == 0);
    CU_ASSERT_EQUAL(m.version, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m.allocation);
    CU_ASSERT_EQUAL(m.allocation->version, 1);
    CU_ASSERT_STRING_EQUAL(m.allocation->leader, "w1-abc");
    CU_ASSERT_EQUAL(m.allocation->assigned.nconnectors, 1);
    CU_ASSERT_EQUAL(m.allocation->assigned.ntasks, 1);
    kc_cp_metadata_clear(&m);
}

static void test_config_mismatch_vector(void)
{
    kc_error err;
    kc_cp_assignment a = {.version = 2, .error = KC_CP_ERROR_CONFIG_MISMATCH, .config_offset = 12};
    a.leader = strdup("w1-abc");
    a.leader_url = strdup(URL);
    size_t len = 0;
    unsigned char *b = kc_cp_assignment_encode(&a, 2, &len, &err);
    CU_ASSERT(bytes_eq(b, len, MISMATCH_V2, sizeof MISMATCH_V2));
    free(b);
    kc_cp_assignment_clear(&a);
    kc_cp_assignment d;
    CU_ASSERT_FATAL(kc_cp_assignment_decode(MISMATCH_V2, sizeof MISMATCH_V2, &d, &err) == 0);
    CU_ASSERT_EQUAL(d.error, 1);
    CU_ASSERT_EQUAL(d.config_offset, 12);
    kc_cp_assignment_clear(&d);
}

static void test_revoke_v1_vector(void)
{
    kc_error err;
    kc_cp_assignment a = {.version = 1, .config_offset = 7, .delay = 300000};
    a.leader = strdup("L");
    a.leader_url = strdup("http://l:8083/");
    CU_ASSERT(kc_cp_work_add_connector(&a.revoked, "b", &err) == 0);
    CU_ASSERT(kc_cp_work_add_task(&a.revoked, "b", 1, &err) == 0);
    size_t len = 0;
    unsigned char *b = kc_cp_assignment_encode(&a, 1, &len, &err);
    CU_ASSERT(bytes_eq(b, len, REVOKE_V1, sizeof REVOKE_V1));
    free(b);
    kc_cp_assignment_clear(&a);
    kc_cp_assignment d;
    CU_ASSERT_FATAL(kc_cp_assignment_decode(REVOKE_V1, sizeof REVOKE_V1, &d, &err) == 0);
    CU_ASSERT_EQUAL(d.version, 1);
    CU_ASSERT_STRING_EQUAL(d.leader, "L");
    CU_ASSERT_EQUAL(d.assigned.nconnectors + d.assigned.ntasks, 0);
    CU_ASSERT_EQUAL_FATAL(d.revoked.nconnectors, 1);
    CU_ASSERT_STRING_EQUAL(d.revoked.connectors[0], "b");
    CU_ASSERT_EQUAL_FATAL(d.revoked.ntasks, 1);
    CU_ASSERT_EQUAL(d.revoked.tasks[0].task, 1);
    CU_ASSERT_EQUAL(d.delay, 300000);
    kc_cp_assignment_clear(&d);
}

static void test_tolerant_decoding(void)
{
    kc_error err;
    kc_cp_assignment d;
    unsigned char buf[128];
    /* trailing bytes ignored */
    memcpy(buf, ASSIGN_V2, 64);
    memset(buf + 64, 0xab, 5);
    CU_ASSERT_FATAL(kc_cp_assignment_decode(buf, 69, &d, &err) == 0);
    CU_ASSERT_EQUAL(d.assigned.ntasks, 1);
    kc_cp_assignment_clear(&d);
    /* version 9 decodes with the v1 layout */
    memcpy(buf, ASSIGN_V2, 64);
    buf[1] = 9;
    CU_ASSERT_FATAL(kc_cp_assignment_decode(buf, 64, &d, &err) == 0);
    CU_ASSERT_EQUAL(d.version, 9);
    CU_ASSERT_EQUAL(d.assigned.nconnectors, 1);
    kc_cp_assignment_clear(&d);
    /* null assignment and revoked arrays decode empty */
    memcpy(buf, MISMATCH_V2, 49);
    memset(buf + 37, 0xff, 8);
    CU_ASSERT_FATAL(kc_cp_assignment_decode(buf, 49, &d, &err) == 0);
    CU_ASSERT_EQUAL(d.assigned.nconnectors + d.assigned.ntasks + d.revoked.nconnectors + d.revoked.ntasks, 0);
    kc_cp_assignment_clear(&d);
    /* fields absent at the end default: delay, then revoked, then assignment */
    for (size_t cutlen = 37; cutlen <= 45; cutlen += 4) {
        CU_ASSERT_FATAL(kc_cp_assignment_decode(MISMATCH_V2, cutlen, &d, &err) == 0);
        CU_ASSERT_EQUAL(d.delay, 0);
        kc_cp_assignment_clear(&d);
    }
    /* duplicate entries for one connector and any order */
    static const unsigned char dupe[] = {
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 'L', 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
        0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 'a', 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03,
        0x00, 0x01, 'a', 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff};
    CU_ASSERT_FATAL(kc_cp_assignment_decode(dupe, sizeof dupe, &d, &err) == 0);
    CU_ASSERT_EQUAL(d.assigned.nconnectors, 1);
    CU_ASSERT_EQUAL(d.assigned.ntasks, 2);
    kc_cp_assignment_clear(&d);
}

static void expect_error(const unsigned char *b, size_t len, const char *needle)
{
    kc_error err;
    kc_cp_assignment d;
    kc_error_clear(&err);
    CU_ASSERT_EQUAL(kc_cp_assignment_decode(b, len, &d, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
}

static void test_malformed(void)
{
    unsigned char buf[128];
    /* negative version */
    memcpy(buf, ASSIGN_V2, 64);
    buf[0] = 0xff;
    expect_error(buf, 64, "negative version");
    /* null leader string */
    memcpy(buf, ASSIGN_V2, 64);
    buf[4] = 0xff;
    buf[5] = 0xff;
    expect_error(buf, 64, "'leader' is null");
    /* null inner tasks array: "c" count -1 */
    memcpy(buf, ASSIGN_V2, 64);
    memset(buf + 44, 0xff, 4);
    expect_error(buf, 64, "tasks of connector 'c'");
    /* field cut part-way: every prefix that ends inside a field */
    static const size_t cuts[] = {1, 3, 5, 10, 20, 30, 36, 38, 42, 47, 55, 58, 62};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        kc_error err;
        kc_cp_assignment d;
        CU_ASSERT_EQUAL(kc_cp_assignment_decode(ASSIGN_V2, cuts[i], &d, &err), -1);
    }
    expect_error(ASSIGN_V2, 0, "'version'");
    expect_error(ASSIGN_V2, 10, "'leader'");
    expect_error(ASSIGN_V2, 30, "'config offset'");
    expect_error(ASSIGN_V2, 62, "'delay'");
    /* huge counts are refused before allocating */
    memcpy(buf, MISMATCH_V2, 49);
    buf[37] = 0x7f;
    expect_error(buf, 49, "bad entry count");
    /* metadata: null url, truncated allocation, allocation that is itself malformed */
    kc_error err;
    kc_cp_metadata m;
    memcpy(buf, META_V2_NULL, 31);
    buf[2] = 0xff;
    buf[3] = 0xff;
    CU_ASSERT_EQUAL(kc_cp_metadata_decode(buf, 31, &m, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'url' is null"));
    memcpy(buf, META_V2_NULL, 27);
    const unsigned char len64[] = {0x00, 0x00, 0x00, 0x40};
    memcpy(buf + 27, len64, 4);
    memcpy(buf + 31, ASSIGN_V2, 40);
    CU_ASSERT_EQUAL(kc_cp_metadata_decode(buf, 71, &m, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'allocation'"));
    CU_ASSERT_EQUAL(kc_cp_metadata_decode(META_V2_NULL, 29, &m, &err), -1);
    buf[1] = 0;
    buf[0] = 0x80;
    CU_ASSERT_EQUAL(kc_cp_metadata_decode(buf, 27, &m, &err), -1);
}

static void test_round_trip(void)
{
    kc_error err;
    kc_cp_assignment a = {.version = 1, .config_offset = 123456789012LL, .delay = 77};
    a.leader = strdup("leader-1");
    a.leader_url = strdup("https://x:8443/");
    CU_ASSERT(kc_cp_work_add_connector(&a.assigned, "x", &err) == 0);
    CU_ASSERT(kc_cp_work_add_task(&a.assigned, "y", 3, &err) == 0);
    CU_ASSERT(kc_cp_work_add_task(&a.assigned, "x", 0, &err) == 0);
    CU_ASSERT(kc_cp_work_add_task(&a.revoked, "z", 9, &err) == 0);
    size_t len = 0;
    unsigned char *b = kc_cp_metadata_encode(KC_CP_SESSIONED, "http://me/", -1, &a, &len, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    kc_cp_metadata m;
    CU_ASSERT_FATAL(kc_cp_metadata_decode(b, len, &m, &err) == 0);
    CU_ASSERT_EQUAL(m.config_offset, -1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m.allocation);
    const kc_cp_assignment *d = m.allocation;
    CU_ASSERT_EQUAL(d->version, 2);
    CU_ASSERT_EQUAL(d->config_offset, 123456789012LL);
    CU_ASSERT_EQUAL(d->delay, 77);
    CU_ASSERT_STRING_EQUAL(d->leader_url, "https://x:8443/");
    CU_ASSERT_EQUAL(d->assigned.nconnectors, 1);
    CU_ASSERT_EQUAL_FATAL(d->assigned.ntasks, 2);
    CU_ASSERT_STRING_EQUAL(d->assigned.tasks[0].connector, "x"); /* entries: x first (connector), then y */
    CU_ASSERT_STRING_EQUAL(d->assigned.tasks[1].connector, "y");
    CU_ASSERT_EQUAL(d->revoked.ntasks, 1);
    kc_cp_metadata_clear(&m);
    free(b);
    kc_cp_assignment_clear(&a);
}

static void test_protocol_names(void)
{
    kc_error err;
    kc_cp_protocol p = KC_CP_EAGER, list[3];
    CU_ASSERT(kc_cp_protocol_parse_mode("SESSIONED", &p, &err) == 0 && p == KC_CP_SESSIONED);
    CU_ASSERT(kc_cp_protocol_parse_mode("Compatible", &p, &err) == 0 && p == KC_CP_COMPATIBLE);
    CU_ASSERT(kc_cp_protocol_parse_mode("eager", &p, &err) == 0 && p == KC_CP_EAGER);
    CU_ASSERT_EQUAL(kc_cp_protocol_parse_mode("default", &p, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "connect.protocol"));
    CU_ASSERT_EQUAL(kc_cp_protocols_offered(KC_CP_SESSIONED, list), 3);
    CU_ASSERT(list[0] == KC_CP_SESSIONED && list[1] == KC_CP_COMPATIBLE && list[2] == KC_CP_EAGER);
    CU_ASSERT_EQUAL(kc_cp_protocols_offered(KC_CP_COMPATIBLE, list), 2);
    CU_ASSERT(list[0] == KC_CP_COMPATIBLE && list[1] == KC_CP_EAGER);
    CU_ASSERT_EQUAL(kc_cp_protocols_offered(KC_CP_EAGER, list), 1);
    CU_ASSERT(list[0] == KC_CP_EAGER);
    CU_ASSERT_STRING_EQUAL(kc_cp_protocol_name(KC_CP_EAGER), "default");
    CU_ASSERT_STRING_EQUAL(kc_cp_protocol_name(KC_CP_COMPATIBLE), "compatible");
    CU_ASSERT_STRING_EQUAL(kc_cp_protocol_name(KC_CP_SESSIONED), "sessioned");
    CU_ASSERT(kc_cp_protocol_from_name("compatible", &p, &err) == 0 && p == KC_CP_COMPATIBLE);
    CU_ASSERT_EQUAL(kc_cp_protocol_from_name("eager", &p, &err), -1);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"metadata v2 / v0, null allocation (§4.6)", test_metadata_v2_null_allocation},
        {"assignment v2 / v0 vector (§4.6)", test_assignment_v2_vector},
        {"metadata embedding an allocation: sessioned, compatible, default", test_metadata_with_allocation},
        {"CONFIG_MISMATCH vector", test_config_mismatch_vector},
        {"v1 revocation with delay vector", test_revoke_v1_vector},
        {"tolerant decoding (§4.5)", test_tolerant_decoding},
        {"malformed input is refused with the field named", test_malformed},
        {"round trip", test_round_trip},
        {"protocol names and lists (§4.1)", test_protocol_names},
        {NULL, NULL},
    };
    return kc_test_run("connect_protocol", cases);
}
