/*
 * Codecs of the classic group APIs (connect/kafka/group_codec.h): golden byte vectors computed by
 * hand from Apache Kafka's FindCoordinator/JoinGroup/SyncGroup/Heartbeat/LeaveGroup JSON schemas
 * (spec/connect-group-protocol.md §1.5, §1.7).
 */
#include <stdlib.h>
#include <string.h>

#include "connect/kafka/group_codec.h"
#include "kc_test.h"

#define ASSERT_BYTES(buf, len, expect)                                                                   \
    do {                                                                                                 \
        CU_ASSERT_EQUAL_FATAL((len), sizeof(expect));                                                   \
        CU_ASSERT(memcmp((buf), (expect), sizeof(expect)) == 0);                                        \
    } while (0)

static void test_heartbeat(void)
{
    kc_kbuf b;
    kc_kbuf_init(&b, 4096);
    CU_ASSERT_EQUAL(kc_heartbeat_request(&b, 7, "cw", "g", 3, "m"), 0);
    static const unsigned char want[] = {0x00, 0x00, 0x00, 0x17, 0x00, 0x0c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07,
                                         0x00, 0x02, 0x63, 0x77, 0x00, 0x02, 0x67, 0x00, 0x00, 0x00, 0x03, 0x02,
                                         0x6d, 0x00, 0x00};
    ASSERT_BYTES(b.data, b.len, want);
    kc_kbuf_free(&b);

    static const unsigned char resp[] = {0x00, 0x00, 0x00, 0x07, 0x00, /* header v1 */
                                         0x00, 0x00, 0x00, 0x0a, 0x00, 0x1b, 0x00};
    kc_kreader r;
    int32_t corr = 0;
    kc_error err;
    CU_ASSERT_EQUAL(kc_group_response_begin(&r, resp, sizeof resp, &corr, &err), 0);
    CU_ASSERT_EQUAL(corr, 7);
    kc_heartbeat_resp hr;
    CU_ASSERT_EQUAL(kc_heartbeat_response(&r, &hr, &err), 0);
    CU_ASSERT_EQUAL(hr.throttle_time_ms, 10);
    CU_ASSERT_EQUAL(hr.error_code, KC_KAFKA_ERR_REBALANCE_IN_PROGRESS);
    CU_ASSERT_STRING_EQUAL(kc_group_error_name(hr.error_code), "REBALANCE_IN_PROGRESS");
    kc_kr_init(&r, resp + 5, 5); /* cut */
    CU_ASSERT_EQUAL(kc_heartbeat_response(&r, &hr, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_IO);
}

static void test_find_coordinator(void)
{
    kc_kbuf b;
    kc_kbuf_init(&b, 4096);
    CU_ASSERT_EQUAL(kc_find_coordinator_request(&b, 1, "cw", "g"), 0);
    static const unsigned char want[] = {0x00, 0x00, 0x00, 0x11, 0x00, 0x0a, 0x00, 0x03, 0x00, 0x00, 0x00,
                                         0x01, 0x00, 0x02, 0x63, 0x77, 0x00, 0x02, 0x67, 0x00, 0x00};
    ASSERT_BYTES(b.data, b.len, want);
    kc_kbuf_free(&b);

    static const unsigned char body[] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                         0x01, 0x02, 0x68, 0x00, 0x00, 0x23, 0x84, 0x00};
    kc_kreader r;
    kc_kr_init(&r, body, sizeof body);
    kc_find_coordinator_resp fc;
    kc_error err;
    CU_ASSERT_EQUAL_FATAL(kc_find_coordinator_response(&r, &fc, &err), 0);
    CU_ASSERT_EQUAL(fc.error_code, 0);
    CU_ASSERT_STRING_EQUAL(fc.error_message, "");
    CU_ASSERT_EQUAL(fc.node_id, 1);
    CU_ASSERT_STRING_EQUAL(fc.host, "h");
    CU_ASSERT_EQUAL(fc.port, 9092);
    CU_ASSERT_EQUAL(kc_kr_remaining(&r), 0);
}

static void test_join_group(void)
{
    static const unsigned char md[] = {0xaa, 0xbb};
    kc_group_protocol p = {.name = "sessioned", .metadata = md, .metadata_len = 2};
    kc_join_group_req req = {.group_id = "g", .session_timeout_ms = 10000, .rebalance_timeout_ms = 60000,
                             .member_id = "", .protocol_type = "connect", .protocols = &p, .protocol_count = 1,
                             .reason = "ignored before v8"};
    kc_kbuf b;
    kc_kbuf_init(&b, 4096);
    CU_ASSERT_EQUAL(kc_join_group_request(&b, 7, 2, "cw", &req), 0);
    static const unsigned char want[] = {
        0x00, 0x00, 0x00, 0x31, 0x00, 0x0b, 0x00, 0x07, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x63, 0x77, 0x00,
        0x02, 0x67, 0x00, 0x00, 0x27, 0x10, 0x00, 0x00, 0xea, 0x60, 0x01, 0x00,
        0x08, 'c', 'o', 'n', 'n', 'e', 'c', 't',
        0x02, 0x0a, 's', 'e', 's', 's', 'i', 'o', 'n', 'e', 'd', 0x03, 0xaa, 0xbb, 0x00, 0x00};
    ASSERT_BYTES(b.data, b.len, want);
    kc_kbuf_free(&b);

    /* v8 adds the reason (compact nullable string) before the tagged fields */
    kc_kbuf_init(&b, 4096);
    req.reason = "r";
    CU_ASSERT_EQUAL(kc_join_group_request(&b, 8, 2, "cw", &req), 0);
    CU_ASSERT_EQUAL_FATAL(b.len, sizeof want + 2);
    CU_ASSERT_EQUAL(b.data[3], 0x33);
    CU_ASSERT_EQUAL(b.data[7], 8);
    CU_ASSERT(memcmp(b.data + b.len - 3, "\x02r\x00", 3) == 0);
    kc_kbuf_free(&b);
    kc_kbuf_init(&b, 4096);
    CU_ASSERT_EQUAL(kc_join_group_request(&b, 5, 2, "cw", &req), -1); /* not flexible: refused */
    kc_kbuf_free(&b);

    static const unsigned char body[] = {
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
        0x08, 'c', 'o', 'n', 'n', 'e', 'c', 't', 0x0a, 's', 'e', 's', 's', 'i', 'o', 'n', 'e', 'd',
        0x03, 'm', '1', 0x00, 0x03, 'm', '1',
        0x03, 0x03, 'm', '1', 0x00, 0x02, 0xaa, 0x00, 0x03, 'm', '2', 0x00, 0x01, 0x00, 0x00};
    kc_kreader r;
    kc_kr_init(&r, body, sizeof body);
    kc_join_group_resp jr;
    kc_error err;
    CU_ASSERT_EQUAL_FATAL(kc_join_group_response(&r, 9, &jr, &err), 0);
    CU_ASSERT_EQUAL(jr.generation_id, 5);
    CU_ASSERT_FALSE(jr.protocol_type_null);
    CU_ASSERT_STRING_EQUAL(jr.protocol_type, "connect");
    CU_ASSERT_STRING_EQUAL(jr.protocol_name, "sessioned");
    CU_ASSERT_STRING_EQUAL(jr.leader, "m1");
    CU_ASSERT_STRING_EQUAL(jr.member_id, "m1");
    CU_ASSERT_EQUAL(jr.skip_assignment, 0);
    CU_ASSERT_EQUAL_FATAL(jr.member_count, 2);
    CU_ASSERT_STRING_EQUAL(jr.members[0].member_id, "m1");
    CU_ASSERT_EQUAL(jr.members[0].metadata_len, 1);
    CU_ASSERT_EQUAL(jr.members[0].metadata[0], 0xaa);
    CU_ASSERT_STRING_EQUAL(jr.members[1].member_id, "m2");
    CU_ASSERT_EQUAL(jr.members[1].metadata_len, 0);
    CU_ASSERT_EQUAL(kc_kr_remaining(&r), 0);
    kc_join_group_resp_free(&jr);

    /* every truncation is an error and leaks nothing */
    for (size_t n = 0; n < sizeof body; n++) {
        kc_kr_init(&r, body, n);
        CU_ASSERT_EQUAL(kc_join_group_response(&r, 9, &jr, &err), -1);
        CU_ASSERT_PTR_NULL(jr.members);
    }
    /* a forged member count cannot allocate much */
    static const unsigned char forged[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0x01, 0x00, 0x01,
                                           0xff, 0xff, 0xff, 0xff, 0x0f};
    kc_kr_init(&r, forged, sizeof forged);
    CU_ASSERT_EQUAL(kc_join_group_response(&r, 9, &jr, &err), -1);
}

static void test_sync_group(void)
{
    static const unsigned char data[] = {0x01, 0x02};
    kc_group_assignment a = {.member_id = "m1", .data = data, .len = 2};
    kc_sync_group_req req = {.group_id = "g", .generation_id = 5, .member_id = "m1", .protocol_type = "connect",
                             .protocol_name = "sessioned", .assignments = &a, .assignment_count = 1};
    kc_kbuf b;
    kc_kbuf_init(&b, 4096);
    CU_ASSERT_EQUAL(kc_sync_group_request(&b, 5, 3, "cw", &req), 0);
    static const unsigned char want[] = {
        0x00, 0x00, 0x00, 0x32, 0x00, 0x0e, 0x00, 0x05, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x63, 0x77, 0x00,
        0x02, 0x67, 0x00, 0x00, 0x00, 0x05, 0x03, 'm', '1', 0x00,
        0x08, 'c', 'o', 'n', 'n', 'e', 'c', 't', 0x0a, 's', 'e', 's', 's', 'i', 'o', 'n', 'e', 'd',
        0x02, 0x03, 'm', '1', 0x03, 0x01, 0x02, 0x00, 0x00};
    ASSERT_BYTES(b.data, b.len, want);
    kc_kbuf_free(&b);

    /* v4: no protocol fields; follower: empty array */
    req.assignment_count = 0;
    kc_kbuf_init(&b, 4096);
    CU_ASSERT_EQUAL(kc_sync_group_request(&b, 4, 3, "cw", &req), 0);
    static const unsigned char want4[] = {0x00, 0x00, 0x00, 0x19, 0x00, 0x0e, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03,
                                          0x00, 0x02, 0x63, 0x77, 0x00, 0x02, 0x67, 0x00, 0x00, 0x00, 0x05, 0x03,
                                          'm', '1', 0x00, 0x01, 0x00};
    ASSERT_BYTES(b.data, b.len, want4);
    kc_kbuf_free(&b);

    static const unsigned char body[] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                         0x08, 'c', 'o', 'n', 'n', 'e', 'c', 't',
                                         0x0a, 's', 'e', 's', 's', 'i', 'o', 'n', 'e', 'd',
                                         0x03, 0x01, 0x02, 0x00};
    kc_kreader r;
    kc_kr_init(&r, body, sizeof body);
    kc_sync_group_resp sr;
    kc_error err;
    CU_ASSERT_EQUAL_FATAL(kc_sync_group_response(&r, 5, &sr, &err), 0);
    CU_ASSERT_EQUAL(sr.error_code, 0);
    CU_ASSERT_STRING_EQUAL(sr.protocol_type, "connect");
    CU_ASSERT_STRING_EQUAL(sr.protocol_name, "sessioned");
    CU_ASSERT_EQUAL_FATAL(sr.assignment_len, 2);
    CU_ASSERT_EQUAL(sr.assignment[1], 0x02);
    static const unsigned char body4[] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x1b, 0x01, 0x00};
    kc_kr_init(&r, body4, sizeof body4);
    CU_ASSERT_EQUAL_FATAL(kc_sync_group_response(&r, 4, &sr, &err), 0);
    CU_ASSERT_EQUAL(sr.error_code, 27);
    CU_ASSERT(sr.protocol_name_null);
    CU_ASSERT_EQUAL(sr.assignment_len, 0);
}

static void test_leave_group(void)
{
    kc_kbuf b;
    kc_kbuf_init(&b, 4096);
    CU_ASSERT_EQUAL(kc_leave_group_request(&b, 5, 4, "cw", "g", "m1", "bye"), 0);
    static const unsigned char want[] = {0x00, 0x00, 0x00, 0x1a, 0x00, 0x0d, 0x00, 0x05, 0x00, 0x00, 0x00, 0x04,
                                         0x00, 0x02, 0x63, 0x77, 0x00, 0x02, 0x67, 0x02, 0x03, 'm', '1', 0x00,
                                         0x04, 'b', 'y', 'e', 0x00, 0x00};
    ASSERT_BYTES(b.data, b.len, want);
    kc_kbuf_free(&b);
    kc_kbuf_init(&b, 4096);
    CU_ASSERT_EQUAL(kc_leave_group_request(&b, 4, 4, "cw", "g", "m1", "bye"), 0);
    CU_ASSERT_EQUAL(b.len, sizeof want - 4); /* no reason in v4 */
    kc_kbuf_free(&b);

    static const unsigned char body[] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03,
                                         'm', '1', 0x00, 0x00, 0x19, 0x00, 0x00};
    kc_kreader r;
    kc_kr_init(&r, body, sizeof body);
    kc_leave_group_resp lr;
    kc_error err;
    CU_ASSERT_EQUAL_FATAL(kc_leave_group_response(&r, &lr, &err), 0);
    CU_ASSERT_EQUAL(lr.error_code, 0);
    CU_ASSERT_EQUAL(lr.member_error_code, KC_KAFKA_ERR_UNKNOWN_MEMBER_ID);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"heartbeat v4 (spec §1.7 frame)", test_heartbeat},
        {"find coordinator v3", test_find_coordinator},
        {"join group v7/v8/v9", test_join_group},
        {"sync group v4/v5", test_sync_group},
        {"leave group v4/v5", test_leave_group},
        {NULL, NULL},
    };
    return kc_test_run("group_codec", cases);
}
