/*
 * MirrorMaker 2 record formats and connector offsets (connectors/mirror/mirror_records.h).
 * Every byte vector and every decoding outcome below was printed by Kafka 4.3.1's own classes on
 * Java 17 (OffsetSync / Checkpoint / Heartbeat recordKey(), recordValue() and deserializeRecord()
 * of connect-mirror(-client)-4.3.1.jar; Connect's JsonConverter for the offsets-topic keys;
 * MirrorUtils.validateSource* for the alterOffsets messages). The spec's vectors (§1.2-1.4, §9.1)
 * are among them. Where kconnect deliberately differs, the case says so.
 */
#include <stdlib.h>
#include <string.h>

#include "connect/worker/offsets.h"
#include "connectors/mirror/mirror_records.h"
#include "kc_test.h"

/* ---- helpers ---------------------------------------------------------------------------------- */

static size_t unhex(const char *hex, unsigned char *out, size_t cap)
{
    CU_ASSERT_FATAL(strlen(hex) % 2 == 0);
    size_t n = strlen(hex) / 2;
    CU_ASSERT_FATAL(n <= cap);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        CU_ASSERT_FATAL(sscanf(hex + 2 * i, "%2x", &v) == 1);
        out[i] = (unsigned char)v;
    }
    return n;
}

static char *hex_of(const kc_mirror_bytes *b)
{
    char *s = malloc(2 * b->len + 1);
    for (size_t i = 0; i < b->len; i++)
        sprintf(s + 2 * i, "%02x", b->data[i]);
    s[2 * b->len] = '\0';
    return s;
}

static void assert_hex(const kc_mirror_bytes *b, const char *want, const char *what)
{
    char *got = hex_of(b);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "\n%s:\n  got  %s\n  want %s\n", what, got, want);
        CU_FAIL("bytes differ from Java's");
    }
    free(got);
}

/* "abab..." n times */
static char *repeat(const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = malloc(u * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * u, unit, u);
    s[u * n] = '\0';
    return s;
}

static char *cat3(const char *a, const char *b, const char *c)
{
    char *s = malloc(strlen(a) + strlen(b) + strlen(c) + 1);
    strcpy(s, a);
    strcat(s, b);
    strcat(s, c);
    return s;
}

#define BUF 70000

/* ---- encoding: Java's bytes ------------------------------------------------------------------- */

static void test_offset_sync_vectors(void)
{
    char *x300 = repeat("x", 300), *x300_hex = repeat("78", 300), *x300_key = cat3("012c", x300_hex, "7fffffff");
    const struct {
        kc_mirror_offset_sync s;
        const char *key, *value;
    } v[] = {
        {{"topic-1", 2, 3, 4}, "0007746f7069632d3100000002", "00000000000000030000000000000004"},
        {{"test", 0, 100, 200}, "00047465737400000000", "000000000000006400000000000000c8"},
        {{"orders", 11, -1, 0}, "00066f72646572730000000b", "ffffffffffffffff0000000000000000"},
        {{"", 0, 0, 0}, "000000000000", "00000000000000000000000000000000"},
        {{"t", -1, INT64_MIN, INT64_MAX}, "000174ffffffff", "80000000000000007fffffffffffffff"},
        {{x300, INT32_MAX, 0x0102030405060708, -2}, x300_key, "0102030405060708fffffffffffffffe"},
    };
    kc_error err;
    unsigned char *kb = malloc(BUF), *vb = malloc(BUF);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        kc_mirror_bytes key, value;
        CU_ASSERT_FATAL(kc_mirror_offset_sync_encode(&v[i].s, &key, &value, &err) == 0);
        assert_hex(&key, v[i].key, "OffsetSync key");
        assert_hex(&value, v[i].value, "OffsetSync value");
        kc_mirror_bytes_clear(&key);
        kc_mirror_bytes_clear(&value);
        kc_mirror_offset_sync d;
        size_t kn = unhex(v[i].key, kb, BUF), vn = unhex(v[i].value, vb, BUF);
        CU_ASSERT_FATAL(kc_mirror_offset_sync_decode(kb, kn, vb, vn, &d, &err) == 0);
        CU_ASSERT_STRING_EQUAL(d.topic, v[i].s.topic);
        CU_ASSERT_EQUAL(d.partition, v[i].s.partition);
        CU_ASSERT_EQUAL(d.upstream_offset, v[i].s.upstream_offset);
        CU_ASSERT_EQUAL(d.downstream_offset, v[i].s.downstream_offset);
        kc_mirror_offset_sync_clear(&d);
    }
    free(kb);
    free(vb);
    free(x300);
    free(x300_hex);
    free(x300_key);
}

static void test_checkpoint_vectors(void)
{
    char *x300 = repeat("x", 300), *y256 = repeat("y", 256), *x_hex = repeat("78", 300), *y_hex = repeat("79", 256);
    char *big_key = cat3("012c", x_hex, "00017400000001");
    char *big_value = cat3("0000000000000000000200000000000000030100", y_hex, "");
    const struct {
        kc_mirror_checkpoint c;
        const char *key, *value;
    } v[] = {
        {{"group-1", "topic-2", 3, 4, 5, "metadata-6", 0}, "000767726f75702d310007746f7069632d3200000003",
         "000000000000000000040000000000000005000a6d657461646174612d36"},
        {{"g", "A.test", 0, 1000, 999, "", 0}, "0001670006412e7465737400000000",
         "000000000000000003e800000000000003e70000"},
        {{"gr\xc3\xbcppe", "x", 7, 0x1122334455667788, 1, "\xc3\xa9", 0}, "00076772c3bc70706500017800000007",
         "0000112233445566778800000000000000010002c3a9"}, /* lengths count UTF-8 bytes */
        {{"", "", 0, 0, 0, "", 0}, "0000000000000000", "0000000000000000000000000000000000000000"},
        {{"g\xf0\x9f\x98\x80", "B.A.t", -5, -1, INT64_MIN, "m\xe2\x82\xac", 0}, "000567f09f98800005422e412e74fffffffb",
         "0000ffffffffffffffff800000000000000000046de282ac"},
        {{x300, "t", 1, 2, 3, y256, 0}, big_key, big_value},
    };
    kc_error err;
    unsigned char *kb = malloc(BUF), *vb = malloc(BUF);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        kc_mirror_bytes key, value;
        CU_ASSERT_FATAL(kc_mirror_checkpoint_encode(&v[i].c, &key, &value, &err) == 0);
        assert_hex(&key, v[i].key, "Checkpoint key");
        assert_hex(&value, v[i].value, "Checkpoint value");
        kc_mirror_bytes_clear(&key);
        kc_mirror_bytes_clear(&value);
        kc_mirror_checkpoint d;
        size_t kn = unhex(v[i].key, kb, BUF), vn = unhex(v[i].value, vb, BUF);
        CU_ASSERT_FATAL(kc_mirror_checkpoint_decode(kb, kn, vb, vn, &d, &err) == 0);
        CU_ASSERT_STRING_EQUAL(d.group, v[i].c.group);
        CU_ASSERT_STRING_EQUAL(d.topic, v[i].c.topic);
        CU_ASSERT_EQUAL(d.partition, v[i].c.partition);
        CU_ASSERT_EQUAL(d.upstream_offset, v[i].c.upstream_offset);
        CU_ASSERT_EQUAL(d.downstream_offset, v[i].c.downstream_offset);
        CU_ASSERT_STRING_EQUAL(d.metadata, v[i].c.metadata);
        CU_ASSERT_EQUAL(d.version, 0);
        kc_mirror_checkpoint_clear(&d);
    }
    free(kb);
    free(vb);
    free(x300);
    free(y256);
    free(x_hex);
    free(y_hex);
    free(big_key);
    free(big_value);
}

static void test_heartbeat_vectors(void)
{
    const struct {
        kc_mirror_heartbeat h;
        const char *key, *value;
    } v[] = {
        {{"source-1", "target-2", 1234567890, 0}, "0008736f757263652d3100087461726765742d32", "000000000000499602d2"},
        {{"A", "B", 1700000000000, 0}, "000141000142", "00000000018bcfe56800"},
        {{"", "", -1, 0}, "00000000", "0000ffffffffffffffff"},
        {{"us-west", "\xc3\xa9u", INT64_MAX, 0}, "000775732d776573740003c3a975", "00007fffffffffffffff"},
    };
    kc_error err;
    unsigned char kb[64], vb[64];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        kc_mirror_bytes key, value;
        CU_ASSERT_FATAL(kc_mirror_heartbeat_encode(&v[i].h, &key, &value, &err) == 0);
        assert_hex(&key, v[i].key, "Heartbeat key");
        assert_hex(&value, v[i].value, "Heartbeat value");
        kc_mirror_bytes_clear(&key);
        kc_mirror_bytes_clear(&value);
        kc_mirror_heartbeat d;
        size_t kn = unhex(v[i].key, kb, sizeof kb), vn = unhex(v[i].value, vb, sizeof vb);
        CU_ASSERT_FATAL(kc_mirror_heartbeat_decode(kb, kn, vb, vn, &d, &err) == 0);
        CU_ASSERT_STRING_EQUAL(d.source_alias, v[i].h.source_alias);
        CU_ASSERT_STRING_EQUAL(d.target_alias, v[i].h.target_alias);
        CU_ASSERT_EQUAL(d.timestamp, v[i].h.timestamp);
        CU_ASSERT_EQUAL(d.version, 0);
        kc_mirror_heartbeat_clear(&d);
    }
}

static void test_encode_refusals(void)
{
    kc_error err;
    kc_mirror_bytes key, value;
    char *max = repeat("t", KC_MIRROR_STRING_MAX), *over = repeat("t", KC_MIRROR_STRING_MAX + 1);
    kc_mirror_offset_sync s = {max, 0, 1, 2};
    CU_ASSERT_FATAL(kc_mirror_offset_sync_encode(&s, &key, &value, &err) == 0);
    CU_ASSERT_EQUAL(key.len, 2 + KC_MIRROR_STRING_MAX + 4);
    CU_ASSERT(key.data[0] == 0x7f && key.data[1] == 0xff);
    kc_mirror_bytes_clear(&key);
    kc_mirror_bytes_clear(&value);
    s.topic = over;
    CU_ASSERT(kc_mirror_offset_sync_encode(&s, &key, &value, &err) == -1);
    CU_ASSERT(key.data == NULL && value.data == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Cannot encode OffsetSync key: Error writing field 'topic': String length 32768 "
                                    "is larger than the maximum string length.");
    kc_mirror_checkpoint c = {"g", "t", 0, 0, 0, NULL, 0};
    CU_ASSERT(kc_mirror_checkpoint_encode(&c, &key, &value, &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Cannot encode Checkpoint value: field 'metadata' is null");
    kc_mirror_heartbeat h = {"A", NULL, 0, 0};
    CU_ASSERT(kc_mirror_heartbeat_encode(&h, &key, &value, &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Cannot encode Heartbeat key: field 'targetClusterAlias' is null");
    free(max);
    free(over);
}

/* ---- decoding: Java's outcomes on malformed and unusual bytes -------------------------------- */

typedef enum { OFFSET_SYNC, CHECKPOINT, HEARTBEAT } record_kind;

/* Decodes hex key/value; returns the rc, err filled. */
static int decode(record_kind kind, const char *key_hex, const char *value_hex, void *out, kc_error *err)
{
    unsigned char kb[256], vb[256];
    size_t kn = unhex(key_hex, kb, sizeof kb), vn = unhex(value_hex, vb, sizeof vb);
    switch (kind) {
    case OFFSET_SYNC: return kc_mirror_offset_sync_decode(kb, kn, vb, vn, out, err);
    case CHECKPOINT: return kc_mirror_checkpoint_decode(kb, kn, vb, vn, out, err);
    default: return kc_mirror_heartbeat_decode(kb, kn, vb, vn, out, err);
    }
}

static void test_decode_errors(void)
{
    static const struct {
        record_kind kind;
        const char *key, *value, *error;
    } v[] = {
        /* spec §9.1 item 10; Java: "Error reading field 'topic': Error reading string of length 7, only 5 bytes available" */
        {OFFSET_SYNC, "0007746f706963", "00000000000000030000000000000004",
         "Cannot decode OffsetSync key (7 bytes): Error reading field 'topic': Error reading string of length 7, "
         "only 5 bytes available"},
        /* Java: "Error reading field 'offset': java.nio.BufferUnderflowException" */
        {OFFSET_SYNC, "0007746f7069632d3100000002", "000000000000000300000000000000",
         "Cannot decode OffsetSync value (15 bytes): Error reading field 'offset': 8 bytes needed, 7 left "
         "(java.nio.BufferUnderflowException)"},
        {OFFSET_SYNC, "ffff746f70", "00000000000000030000000000000004",
         "Cannot decode OffsetSync key (5 bytes): Error reading field 'topic': String length -1 cannot be negative"},
        {OFFSET_SYNC, "800074", "00000000000000030000000000000004",
         "Cannot decode OffsetSync key (3 bytes): Error reading field 'topic': String length -32768 cannot be negative"},
        {OFFSET_SYNC, "0007746f7069632d31000000", "00000000000000030000000000000004",
         "Cannot decode OffsetSync key (12 bytes): Error reading field 'partition': 4 bytes needed, 3 left "
         "(java.nio.BufferUnderflowException)"},
        {OFFSET_SYNC, "", "", "Cannot decode OffsetSync key (0 bytes): Error reading field 'topic': 2 bytes needed, "
                              "0 left (java.nio.BufferUnderflowException)"},
        /* Checkpoint: the value is read before the key, as in Java */
        {CHECKPOINT, "000767726f75702d310007746f7069632d3200000003", "0000000000000000000400000000000000050002ff",
         "Cannot decode Checkpoint value (21 bytes): Error reading field 'metadata': Error reading string of length 2, "
         "only 1 bytes available"},
        {CHECKPOINT, "000767726f75702d310007746f7069632d32000000",
         "000000000000000000040000000000000005000a6d657461646174612d36",
         "Cannot decode Checkpoint key (21 bytes): Error reading field 'partition': 4 bytes needed, 3 left "
         "(java.nio.BufferUnderflowException)"},
        {CHECKPOINT, "000767726f75702d31", "000000000000000000040000000000000005000a6d657461646174612d36",
         "Cannot decode Checkpoint key (9 bytes): Error reading field 'topic': 2 bytes needed, 0 left "
         "(java.nio.BufferUnderflowException)"},
        {CHECKPOINT, "000767726f75702d310007746f7069632d3200000003", "00",
         "Cannot decode Checkpoint value (1 bytes): Error reading field 'version': 2 bytes needed, 1 left "
         "(java.nio.BufferUnderflowException)"},
        {CHECKPOINT, "000767726f75702d310007746f7069632d3200000003", "00000000000000000004000000000000000500",
         "Cannot decode Checkpoint value (19 bytes): Error reading field 'metadata': 2 bytes needed, 1 left "
         "(java.nio.BufferUnderflowException)"},
        {CHECKPOINT, "000767726f75702d310007746f7069632d3200000003", "000000000000000000040000000000000005fffe",
         "Cannot decode Checkpoint value (20 bytes): Error reading field 'metadata': String length -2 cannot be "
         "negative"},
        {HEARTBEAT, "0001410001", "00000000018bcfe56800",
         "Cannot decode Heartbeat key (5 bytes): Error reading field 'targetClusterAlias': Error reading string of "
         "length 1, only 0 bytes available"},
        /* kconnect only: a NUL byte cannot live in a C string (Java would decode U+0000) */
        {CHECKPOINT, "000367006700017400000000", "0000000000000000000400000000000000050000",
         "Cannot decode Checkpoint key (12 bytes): Error reading field 'group': the string holds a NUL byte, which "
         "kconnect cannot represent"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        union { kc_mirror_offset_sync s; kc_mirror_checkpoint c; kc_mirror_heartbeat h; } out;
        kc_error err = {0};
        CU_ASSERT_EQUAL(decode(v[i].kind, v[i].key, v[i].value, &out, &err), -1);
        CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
        if (strcmp(err.msg, v[i].error) != 0) {
            fprintf(stderr, "\ncase %zu:\n  got  %s\n  want %s\n", i, err.msg, v[i].error);
            CU_FAIL("unexpected decode error");
        }
    }

    kc_error err;
    kc_mirror_offset_sync s;
    unsigned char value[16] = {0};
    CU_ASSERT(kc_mirror_offset_sync_decode(NULL, 0, value, sizeof value, &s, &err) == -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Cannot decode OffsetSync key: the record has none (null)");
    CU_ASSERT(s.topic == NULL);
}

static void test_decode_lenient(void)
{
    kc_error err;
    kc_mirror_offset_sync s;
    /* trailing bytes are ignored in key and value (Java: "" 0 3 4) */
    CU_ASSERT_FATAL(decode(OFFSET_SYNC, "0000000000000199", "0000000000000003000000000000000400ff", &s, &err) == 0);
    CU_ASSERT_STRING_EQUAL(s.topic, "");
    CU_ASSERT(s.partition == 0 && s.upstream_offset == 3 && s.downstream_offset == 4);
    kc_mirror_offset_sync_clear(&s);
    /* malformed UTF-8 is kept as is (Java substitutes U+FFFD for each bad sequence) */
    CU_ASSERT_FATAL(decode(OFFSET_SYNC, "0002ffc300000001", "00000000000000030000000000000004", &s, &err) == 0);
    CU_ASSERT_STRING_EQUAL(s.topic, "\xff\xc3");
    CU_ASSERT_EQUAL(s.partition, 1);
    kc_mirror_offset_sync_clear(&s);

    kc_mirror_checkpoint c;
    /* spec §9.1 item 9 */
    CU_ASSERT_FATAL(decode(CHECKPOINT, "000767726f75702d310007746f7069632d3200000003",
                           "0000000000000000000400000000000000050000ffff", &c, &err) == 0);
    CU_ASSERT(c.upstream_offset == 4 && c.downstream_offset == 5 && strcmp(c.metadata, "") == 0);
    kc_mirror_checkpoint_clear(&c);
    /* another version is read with the v0 layout, as Java (assertions off) does; the version is reported */
    CU_ASSERT_FATAL(decode(CHECKPOINT, "000767726f75702d310007746f7069632d3200000003",
                           "00010000000000000004000000000000000500016d", &c, &err) == 0);
    CU_ASSERT_EQUAL(c.version, 1);
    CU_ASSERT_STRING_EQUAL(c.group, "group-1");
    CU_ASSERT_STRING_EQUAL(c.topic, "topic-2");
    CU_ASSERT_STRING_EQUAL(c.metadata, "m");
    kc_mirror_checkpoint_clear(&c);

    kc_mirror_heartbeat h;
    CU_ASSERT_FATAL(decode(HEARTBEAT, "000141000142", "000000000000018bcfe568", &h, &err) == 0);
    CU_ASSERT_EQUAL(h.timestamp, 25939941);
    kc_mirror_heartbeat_clear(&h);
    CU_ASSERT_FATAL(decode(HEARTBEAT, "000141000142", "00050000018bcfe5680000", &h, &err) == 0);
    CU_ASSERT(h.version == 5 && h.timestamp == 1700000000000);
    kc_mirror_heartbeat_clear(&h);
    CU_ASSERT_FATAL(decode(HEARTBEAT, "000141000142", "00000000018bcfe56800ab", &h, &err) == 0);
    CU_ASSERT(h.version == 0 && h.timestamp == 1700000000000);
    kc_mirror_heartbeat_clear(&h);
}

/* ---- Connect source partitions and offsets ---------------------------------------------------- */

static void assert_key_bytes(const char *connector, kc_value *partition, const char *want)
{
    char *out = NULL;
    size_t len = 0;
    kc_error err;
    CU_ASSERT_FATAL(partition != NULL);
    CU_ASSERT_FATAL(kc_offsets_key_bytes(connector, partition, &out, &len, &err) == 0);
    if (len != strlen(want) || memcmp(out, want, len) != 0) {
        fprintf(stderr, "\n  got  %.*s\n  want %s\n", (int)len, out, want);
        CU_FAIL("offsets key differs from Java's");
    }
    free(out);
    kc_value_free(partition);
}

static void assert_value_bytes(kc_value *offset, const char *want)
{
    char *out = NULL;
    size_t len = 0;
    kc_error err;
    CU_ASSERT_FATAL(offset != NULL);
    CU_ASSERT_FATAL(kc_offsets_value_bytes(offset, &out, &len, &err) == 0);
    CU_ASSERT(len == strlen(want) && memcmp(out, want, len) == 0);
    free(out);
    kc_value_free(offset);
}

static void test_connect_offsets(void)
{
    assert_key_bytes("MirrorSourceConnector", kc_mirror_source_partition_new("A", "test", 0),
                     "[\"MirrorSourceConnector\",{\"cluster\":\"A\",\"partition\":0,\"topic\":\"test\"}]");
    assert_key_bytes("mm2-src", kc_mirror_source_partition_new("us-west", "orders", INT32_MAX),
                     "[\"mm2-src\",{\"cluster\":\"us-west\",\"partition\":2147483647,\"topic\":\"orders\"}]");
    assert_key_bytes("MirrorCheckpointConnector", kc_mirror_checkpoint_partition_new("g1", "A.test", 0),
                     "[\"MirrorCheckpointConnector\",{\"partition\":0,\"topic\":\"A.test\",\"group\":\"g1\"}]");
    assert_key_bytes("MirrorHeartbeatConnector", kc_mirror_heartbeat_partition_new("A", "B"),
                     "[\"MirrorHeartbeatConnector\",{\"sourceClusterAlias\":\"A\",\"targetClusterAlias\":\"B\"}]");
    /* Jackson's escaping of a group id (DEL and non-ASCII raw) */
    assert_key_bytes("MirrorCheckpointConnector",
                     kc_mirror_checkpoint_partition_new("g\"\\/\x01\x1f\t\x7f\xc3\xa9", "A.test", 0),
                     "[\"MirrorCheckpointConnector\",{\"partition\":0,\"topic\":\"A.test\",\"group\":"
                     "\"g\\\"\\\\/\\u0001\\u001F\\t\x7f\xc3\xa9\"}]");
    assert_value_bytes(kc_mirror_offset_new(41), "{\"offset\":41}");
    assert_value_bytes(kc_mirror_offset_new(0), "{\"offset\":0}");

    kc_error err;
    kc_value *p = kc_mirror_source_partition_new("A", "test", 7);
    const char *topic = NULL;
    int32_t partition = -1;
    CU_ASSERT(kc_mirror_source_partition_unwrap(p, &topic, &partition, &err) == 0);
    CU_ASSERT(topic && strcmp(topic, "test") == 0 && partition == 7);
    kc_value_map_put_str_new(p, "partition", kc_value_int64(9)); /* as read back from JSON */
    CU_ASSERT(kc_mirror_source_partition_unwrap(p, &topic, &partition, &err) == 0 && partition == 9);
    kc_value_map_put_str_new(p, "partition", kc_value_string("9"));
    CU_ASSERT(kc_mirror_source_partition_unwrap(p, &topic, &partition, &err) == -1);
    kc_value_free(p);

    kc_value *o = kc_mirror_offset_new(41);
    CU_ASSERT_EQUAL(kc_mirror_offset_unwrap(o), 41);
    kc_value_map_put_str_new(o, "offset", kc_value_null());
    CU_ASSERT_EQUAL(kc_mirror_offset_unwrap(o), -1);
    kc_value_free(o);
    CU_ASSERT_EQUAL(kc_mirror_offset_unwrap(NULL), -1);
}

/* {cluster=A, topic=<topic>, partition=<partition>} built in a non-HashMap order */
static kc_value *partition_of(kc_value *topic, kc_value *partition)
{
    kc_value *m = kc_value_map_new();
    if (partition)
        kc_value_map_put_str_new(m, "partition", partition);
    kc_value_map_put_str_new(m, "topic", topic);
    kc_value_map_put_str_new(m, "cluster", kc_value_string("A"));
    return m;
}

static void expect_invalid(int rc, const kc_error *err, const char *want)
{
    CU_ASSERT_EQUAL(rc, -1);
    if (strcmp(err->msg, want) != 0) {
        fprintf(stderr, "\n  got  %s\n  want %s\n", err->msg, want);
        CU_FAIL("message differs from Java's");
    }
}

static void test_alter_offsets_checks(void)
{
    kc_error err;
    kc_value *p = partition_of(kc_value_string("t"), kc_value_int32(-1));
    expect_invalid(kc_mirror_validate_partition_partition(p, &err), &err,
                   "Source partition {cluster=A, partition=-1, topic=t} has an invalid value -1 for the 'partition' "
                   "key, which cannot be negative");
    kc_value_free(p);
    p = partition_of(kc_value_string("t"), kc_value_string("1"));
    expect_invalid(kc_mirror_validate_partition_partition(p, &err), &err,
                   "Source partition {cluster=A, partition=1, topic=t} has an invalid value 1 for the 'partition' key, "
                   "which must be an integer");
    kc_value_free(p);
    p = partition_of(kc_value_string("t"), NULL);
    expect_invalid(kc_mirror_validate_partition_partition(p, &err), &err,
                   "Source partition {cluster=A, topic=t} is missing the 'partition' key, which is required");
    kc_value_free(p);
    /* Java accepts this long (its low 32 bits are 0); kconnect refuses it */
    p = partition_of(kc_value_string("t"), kc_value_int64(-4294967296LL));
    expect_invalid(kc_mirror_validate_partition_partition(p, &err), &err,
                   "Source partition {cluster=A, partition=-4294967296, topic=t} has an invalid value -4294967296 "
                   "for the 'partition' key, which cannot be negative");
    kc_value_free(p);
    p = partition_of(kc_value_string("t"), kc_value_int64(2147483648LL));
    expect_invalid(kc_mirror_validate_partition_partition(p, &err), &err,
                   "Source partition {cluster=A, partition=2147483648, topic=t} has an invalid value 2147483648 for "
                   "the 'partition' key, which must be an integer");
    kc_value_free(p);

    p = partition_of(kc_value_int32(5), kc_value_int32(3));
    CU_ASSERT(kc_mirror_validate_partition_partition(p, &err) == 0);
    CU_ASSERT(kc_mirror_validate_partition_string(p, "cluster", &err) == 0);
    expect_invalid(kc_mirror_validate_partition_string(p, "topic", &err), &err,
                   "Source partition {cluster=A, partition=3, topic=5} has an invalid value 5 for the 'topic' key, "
                   "which must be a string");
    expect_invalid(kc_mirror_validate_partition_string(p, "group", &err), &err,
                   "Source partition {cluster=A, partition=3, topic=5} is missing the 'group' key, which is required");

    kc_value *o = kc_mirror_offset_new(5);
    expect_invalid(kc_mirror_validate_offset(p, o, true, &err), &err,
                   "Source offset {offset=5} for source partition {cluster=A, partition=3, topic=5} has an invalid "
                   "value 5 for the 'offset' key; the only accepted value is 0");
    CU_ASSERT(kc_mirror_validate_offset(p, o, false, &err) == 0);
    kc_value_map_put_str_new(o, "offset", kc_value_int64(-5));
    expect_invalid(kc_mirror_validate_offset(p, o, false, &err), &err,
                   "Source offset {offset=-5} for source partition {cluster=A, partition=3, topic=5} has an invalid "
                   "value -5 for the 'offset' key, which cannot be negative");
    kc_value_map_put_str_new(o, "offset", kc_value_string("x"));
    expect_invalid(kc_mirror_validate_offset(p, o, false, &err), &err,
                   "Source offset {offset=x} for source partition {cluster=A, partition=3, topic=5} has an invalid "
                   "value x for the 'offset' key, which must be an integer");
    kc_value_free(o);
    o = kc_value_map_new();
    kc_value_map_put_str_new(o, "foo", kc_value_int32(1));
    expect_invalid(kc_mirror_validate_offset(p, o, false, &err), &err,
                   "Source offset {foo=1} for source partition {cluster=A, partition=3, topic=5} is missing the "
                   "'offset' key, which is required");
    kc_value_free(o);
    CU_ASSERT(kc_mirror_validate_offset(p, NULL, true, &err) == 0);          /* a reset */
    CU_ASSERT(kc_mirror_validate_offset(p, kc_value_null(), true, &err) == 0);
    o = kc_mirror_offset_new(0);
    CU_ASSERT(kc_mirror_validate_offset(p, o, true, &err) == 0);
    kc_value_free(o);
    kc_value_free(p);
    expect_invalid(kc_mirror_validate_partition_string(NULL, "topic", &err), &err, "Source partition may not be null");
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"OffsetSync: Java's bytes, round trip", test_offset_sync_vectors},
        {"Checkpoint: Java's bytes, round trip", test_checkpoint_vectors},
        {"Heartbeat: Java's bytes, round trip", test_heartbeat_vectors},
        {"encoding refuses null and over-long strings", test_encode_refusals},
        {"decoding: malformed bytes, Java's failures", test_decode_errors},
        {"decoding: trailing bytes, other versions, raw UTF-8", test_decode_lenient},
        {"Connect partitions and offsets: Java's offsets-topic bytes", test_connect_offsets},
        {"alterOffsets checks: Java's messages", test_alter_offsets_checks},
        {NULL, NULL},
    };
    return kc_test_run("mirror_records", cases);
}
