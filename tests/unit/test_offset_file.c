/* Standalone offsets file: Java's serialization of HashMap<byte[], byte[]> byte for byte (storage
 * spec §4.7, produced by running FileOffsetBackingStore.save on JDK 17 and 25), atomic saves, errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kc_test.h"
#include "storage/offset_file.h"

static const char key1[] = "[\"local-file-source\",{\"filename\":\"test.txt\"}]";
static const char value1[] = "{\"position\":42}";

/* The 175 bytes Java writes for { key1 -> value1 }. */
static size_t java_one_entry(unsigned char *out)
{
    static const unsigned char head[] = {
        0xac, 0xed, 0x00, 0x05, 0x73, 0x72, 0x00, 0x11, 'j', 'a', 'v', 'a', '.', 'u', 't', 'i', 'l', '.', 'H', 'a',
        's', 'h', 'M', 'a', 'p', 0x05, 0x07, 0xda, 0xc1, 0xc3, 0x16, 0x60, 0xd1, 0x03, 0x00, 0x02, 'F', 0x00, 0x0a,
        'l', 'o', 'a', 'd', 'F', 'a', 'c', 't', 'o', 'r', 'I', 0x00, 0x09, 't', 'h', 'r', 'e', 's', 'h', 'o', 'l',
        'd', 0x78, 0x70, 0x3f, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x77, 0x08, 0x00, 0x00, 0x00, 0x10, 0x00,
        0x00, 0x00, 0x01, 0x75, 0x72, 0x00, 0x02, '[', 'B', 0xac, 0xf3, 0x17, 0xf8, 0x06, 0x08, 0x54, 0xe0, 0x02,
        0x00, 0x00, 0x78, 0x70, 0x00, 0x00, 0x00, 0x2d};
    size_t n = 0;
    memcpy(out + n, head, sizeof head);
    n += sizeof head;
    memcpy(out + n, key1, 45);
    n += 45;
    static const unsigned char ref[] = {0x75, 0x71, 0x00, 0x7e, 0x00, 0x02, 0x00, 0x00, 0x00, 0x0f};
    memcpy(out + n, ref, sizeof ref);
    n += sizeof ref;
    memcpy(out + n, value1, 15);
    n += 15;
    out[n++] = 0x78;
    return n;
}

static void test_encode_matches_java(void)
{
    unsigned char want[256];
    size_t want_len = java_one_entry(want);
    CU_ASSERT_EQUAL(want_len, 175);
    CU_ASSERT_EQUAL(strlen(key1), 45);
    kc_offset_map *m = kc_offset_map_new();
    kc_error err;
    CU_ASSERT(kc_offset_map_put(m, key1, 45, value1, 15, &err) == 0);
    size_t len;
    unsigned char *got = kc_offset_file_encode(m, &len, &err);
    CU_ASSERT_FATAL(got != NULL);
    CU_ASSERT_EQUAL(len, want_len);
    CU_ASSERT(len == want_len && memcmp(got, want, len) == 0);
    free(got);
    kc_offset_map_free(m);
}

static void test_empty_matches_java(void)
{
    kc_offset_map *m = kc_offset_map_new();
    kc_error err;
    size_t len;
    unsigned char *got = kc_offset_file_encode(m, &len, &err);
    CU_ASSERT_FATAL(got != NULL);
    CU_ASSERT_EQUAL(len, 82);
    static const unsigned char tail[] = {0x78, 0x70, 0x3f, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x77, 0x08,
                                         0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x78};
    CU_ASSERT(len == 82 && memcmp(got + len - sizeof tail, tail, sizeof tail) == 0);
    kc_offset_map *back = kc_offset_map_new();
    CU_ASSERT(kc_offset_file_decode(got, len, "<empty>", back, &err) == 0);
    CU_ASSERT_EQUAL(kc_offset_map_count(back), 0);
    free(got);
    kc_offset_map_free(m);
    kc_offset_map_free(back);
}

static void test_decode_java_with_null_entry(void)
{
    /* Java's file after a reset of a second partition: key ["c",{"a":1}] -> null (kept by Java) */
    unsigned char buf[512];
    size_t n = java_one_entry(buf);
    buf[80] = 0x02; /* size field (bytes 77..80): 2 entries */
    n--;            /* drop the end marker */
    static const unsigned char ref[] = {0x75, 0x71, 0x00, 0x7e, 0x00, 0x02, 0x00, 0x00, 0x00, 0x0d};
    memcpy(buf + n, ref, sizeof ref);
    n += sizeof ref;
    memcpy(buf + n, "[\"c\",{\"a\":1}]", 13);
    n += 13;
    buf[n++] = 0x70; /* TC_NULL */
    buf[n++] = 0x78;
    kc_offset_map *m = kc_offset_map_new();
    kc_error err;
    CU_ASSERT_FATAL(kc_offset_file_decode(buf, n, "<java>", m, &err) == 0);
    CU_ASSERT_EQUAL(kc_offset_map_count(m), 1);
    size_t vlen;
    const char *v = kc_offset_map_get(m, key1, 45, &vlen);
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT(vlen == 15 && memcmp(v, value1, 15) == 0);
    CU_ASSERT(kc_offset_map_get(m, "[\"c\",{\"a\":1}]", 13, NULL) == NULL);
    kc_offset_map_free(m);
}

static void test_truncated_is_error_not_empty(void)
{
    unsigned char buf[256];
    size_t n = java_one_entry(buf);
    kc_error err;
    for (size_t cut = 1; cut < n; cut += 7) {
        kc_offset_map *m = kc_offset_map_new();
        CU_ASSERT(kc_offset_file_decode(buf, cut, "offsets.dat", m, &err) == -1);
        CU_ASSERT(strstr(err.msg, "offsets.dat") != NULL);
        kc_offset_map_free(m);
    }
    kc_offset_map *m = kc_offset_map_new();
    buf[5] = 0x71; /* not a class descriptor */
    CU_ASSERT(kc_offset_file_decode(buf, n, "offsets.dat", m, &err) == -1);
    CU_ASSERT(strstr(err.msg, "Expected HashMap") != NULL);
    kc_offset_map_free(m);
}

static void test_map_order_and_removal(void)
{
    kc_offset_map *m = kc_offset_map_new();
    kc_error err;
    CU_ASSERT(kc_offset_map_put(m, "b", 1, "2", 1, &err) == 0);
    CU_ASSERT(kc_offset_map_put(m, "a", 1, "1", 1, &err) == 0);
    CU_ASSERT(kc_offset_map_put(m, "c", 1, "3", 1, &err) == 0);
    CU_ASSERT(kc_offset_map_put(m, "a", 1, "11", 2, &err) == 0);
    CU_ASSERT_EQUAL(kc_offset_map_count(m), 3);
    const void *k, *v;
    size_t kl, vl;
    kc_offset_map_at(m, 0, &k, &kl, &v, &vl);
    CU_ASSERT(kl == 1 && memcmp(k, "a", 1) == 0 && vl == 2);
    CU_ASSERT(kc_offset_map_put(m, "b", 1, NULL, 0, &err) == 0);
    CU_ASSERT_EQUAL(kc_offset_map_count(m), 2);
    CU_ASSERT(kc_offset_map_get(m, "b", 1, NULL) == NULL);
    kc_offset_map_free(m);
}

static void test_save_load_atomic(void)
{
    char dir[] = "/tmp/kc-offsets-XXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/connect.offsets", dir);
    kc_offset_map *m = kc_offset_map_new();
    kc_error err;
    CU_ASSERT(kc_offset_file_load(path, m, &err) == 0); /* missing file = empty */
    CU_ASSERT_EQUAL(kc_offset_map_count(m), 0);
    for (int i = 0; i < 20; i++) {
        char key[64], value[64];
        snprintf(key, sizeof key, "[\"src\",{\"filename\":\"f%02d\"}]", i);
        snprintf(value, sizeof value, "{\"position\":%d}", i * 100);
        CU_ASSERT(kc_offset_map_put(m, key, strlen(key), value, strlen(value), &err) == 0);
    }
    CU_ASSERT(kc_offset_file_save(path, m, &err) == 0);
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CU_ASSERT(access(tmp, F_OK) != 0); /* renamed away */
    kc_offset_map *back = kc_offset_map_new();
    CU_ASSERT(kc_offset_file_load(path, back, &err) == 0);
    CU_ASSERT_EQUAL(kc_offset_map_count(back), 20);
    size_t vl;
    const char *v = kc_offset_map_get(back, "[\"src\",{\"filename\":\"f07\"}]", 26, &vl);
    CU_ASSERT(v && vl == 16 && memcmp(v, "{\"position\":700}", 16) == 0);
    /* a torn file is refused, not read as empty */
    FILE *f = fopen(path, "r+b");
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT(ftruncate(fileno(f), 100) == 0);
    fclose(f);
    kc_offset_map *torn = kc_offset_map_new();
    CU_ASSERT(kc_offset_file_load(path, torn, &err) == -1);
    CU_ASSERT(strstr(err.msg, path) != NULL && strstr(err.msg, "not a Connect offsets file") != NULL);
    CU_ASSERT(kc_offset_file_save("/nonexistent-dir/x/offsets", m, &err) == -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_IO);
    kc_offset_map_free(torn);
    kc_offset_map_free(back);
    kc_offset_map_free(m);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"one entry encodes to Java's 175 bytes", test_encode_matches_java},
        {"empty map encodes to Java's 82 bytes and back", test_empty_matches_java},
        {"Java file with a null entry decodes, null dropped", test_decode_java_with_null_entry},
        {"truncated or foreign files are errors, never empty", test_truncated_is_error_not_empty},
        {"map keeps key order, replaces and removes", test_map_order_and_removal},
        {"atomic save and load round trip", test_save_load_atomic},
        {NULL, NULL},
    };
    return kc_test_run("offset_file", cases);
}
