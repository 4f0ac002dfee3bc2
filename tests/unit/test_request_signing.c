/*
 * KIP-507 internal request signatures (REST spec §11.3, §13.4): HMAC vectors computed outside
 * kconnect, Java's verification order, statuses and messages (java.util.Base64's texts included),
 * and session key sizes (the JDK KeyGenerator defaults).
 *
 * The vectors were computed with the OpenSSL command line, key = bytes 0x00..0x1f, e.g.
 *   printf '%s' "$BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1f -binary | base64
 * and RFC 4231 test case 2 (HMAC-SHA256, key "Jefe") checks the HMAC itself against the RFC.
 */
#include <stdio.h>
#include <string.h>

#include "connect/herder/request_signing.h"
#include "kc_test.h"
#include "rest/server.h"

static const char BODY[] =
    "[{\"task.class\":\"org.apache.kafka.connect.file.FileStreamSourceTask\",\"topics\":\"lines\"}]";

static unsigned char key[32];

static void init_key(void)
{
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (unsigned char)i;
}

static const struct {
    const char *alg;
    const char *b64;
} vectors[] = {
    {"HmacSHA256", "27QIFRU2xLWrqRMBqEI3B/ZE9k7sDA+GHGxdNGrT2u4="},
    {"HmacSHA1", "d/VCwvXfRFYQENreXYbMvDaBkXI="},
    {"HmacSHA224", "VlR4ju0mVIaO/mT2JzoXHsNBXtgnGM6ZVJZ9Ig=="},
    {"HmacSHA384", "nWeRIzq6k+Ej3UMg6RyL6ddOLAQQ4abvKxWUNy88xUVWvIQorJqTeXTdERhwwMtz"},
    {"HmacSHA512", "Mv36UIq0VV9VYHSwKeCMCRUqU6E3ph8AsjJNuDm4Mf3NjQraWacWOcGeWVFkfW47ZA6wkvuSd16W331pwEfPzg=="},
    {"HmacSHA512/256", "Yp4SpbpJikiaJD2hzTgxlPyZoUKvH0Tk+Eedgn5AOQc="},
    {"HmacSHA3-256", "t2TQjMdrojprgvRYx+67oyDGhggz/p8iC8RwzuCZmyM="},
    {"HmacMD5", "u75uTBrsS/TxzxZh33h9aA=="},
};

static void test_sign_vectors(void)
{
    init_key();
    kc_error err;
    char b64[KC_REQUEST_SIGNATURE_B64_MAX];
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        int rc = kc_request_sign(vectors[i].alg, key, sizeof key, BODY, strlen(BODY), b64, sizeof b64, &err);
        CU_ASSERT_EQUAL_FATAL(rc, 0);
        CU_ASSERT_STRING_EQUAL(b64, vectors[i].b64);
    }
    /* no body (PUT .../fence): the MAC of the empty byte string */
    CU_ASSERT_EQUAL(kc_request_sign("HmacSHA256", key, sizeof key, NULL, 0, b64, sizeof b64, &err), 0);
    CU_ASSERT_STRING_EQUAL(b64, "04tCCW2A9F+Ca0Sp1WB95ySWpBXT9KGoyI47udqNwcs=");
    /* RFC 4231 test case 2: 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843 */
    const char *data = "what do ya want for nothing?";
    CU_ASSERT_EQUAL(kc_request_sign("HmacSHA256", "Jefe", 4, data, strlen(data), b64, sizeof b64, &err), 0);
    CU_ASSERT_STRING_EQUAL(b64, "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
    /* the JCA looks names up case-insensitively */
    CU_ASSERT_EQUAL(kc_request_sign("hmacsha256", key, sizeof key, BODY, strlen(BODY), b64, sizeof b64, &err), 0);
    CU_ASSERT_STRING_EQUAL(b64, vectors[0].b64);
}

static void test_sign_errors(void)
{
    init_key();
    kc_error err;
    char b64[KC_REQUEST_SIGNATURE_B64_MAX];
    CU_ASSERT_EQUAL(kc_request_sign("HmacFoo", key, sizeof key, BODY, 3, b64, sizeof b64, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.msg, "Algorithm HmacFoo not available");
    CU_ASSERT_EQUAL(kc_request_sign("SHA256", key, sizeof key, BODY, 3, b64, sizeof b64, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Algorithm SHA256 not available");
    /* 44 characters and the NUL for SHA-256 */
    CU_ASSERT_EQUAL(kc_request_sign("HmacSHA256", key, sizeof key, BODY, 3, b64, 44, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_EQUAL(kc_request_sign("HmacSHA256", key, sizeof key, BODY, 3, b64, 45, &err), 0);
    CU_ASSERT_EQUAL(strlen(b64), 44);
    CU_ASSERT_EQUAL(kc_request_sign("HmacSHA256", key, 0, BODY, 3, b64, sizeof b64, &err), -1);
    CU_ASSERT_EQUAL(kc_request_sign("HmacSHA256", NULL, 0, BODY, 3, b64, sizeof b64, &err), -1);
}

static const char *const permitted[] = {"HmacSHA256", "HmacSHA1"};

static int verify(const char *auth, const char *alg, const void *k, size_t klen, const char *body, kc_error *err)
{
    return kc_request_verify(auth, alg, permitted, 2, k, klen, body, body ? strlen(body) : 0, err);
}

static void test_verify_valid(void)
{
    init_key();
    kc_error err;
    CU_ASSERT_EQUAL(verify(vectors[0].b64, "HmacSHA256", key, sizeof key, BODY, &err), 0);
    CU_ASSERT_EQUAL(verify(vectors[1].b64, "HmacSHA1", key, sizeof key, BODY, &err), 0);
    CU_ASSERT_EQUAL(verify("04tCCW2A9F+Ca0Sp1WB95ySWpBXT9KGoyI47udqNwcs=", "HmacSHA256", key, sizeof key, NULL, &err),
                    0);
    /* Java's decoder accepts a signature without its padding */
    CU_ASSERT_EQUAL(verify("27QIFRU2xLWrqRMBqEI3B/ZE9k7sDA+GHGxdNGrT2u4", "HmacSHA256", key, sizeof key, BODY, &err),
                    0);
    /* sign -> verify with a fresh key */
    unsigned char k[KC_SESSION_KEY_MAX];
    size_t klen = sizeof k;
    char b64[KC_REQUEST_SIGNATURE_B64_MAX];
    CU_ASSERT_EQUAL_FATAL(kc_session_key_generate("HmacSHA256", 0, k, &klen, &err), 0);
    CU_ASSERT_EQUAL_FATAL(kc_request_sign("HmacSHA256", k, klen, BODY, strlen(BODY), b64, sizeof b64, &err), 0);
    CU_ASSERT_EQUAL(verify(b64, "HmacSHA256", k, klen, BODY, &err), 0);
    CU_ASSERT_EQUAL(verify(b64, "HmacSHA256", key, sizeof key, BODY, &err), 403);
}

static void expect(int got, int status, kc_error_code code, const char *msg, const kc_error *err)
{
    CU_ASSERT_EQUAL(got, status);
    CU_ASSERT_EQUAL(err->code, code);
    CU_ASSERT_STRING_EQUAL(err->msg, msg);
    kc_error e = *err;
    CU_ASSERT_EQUAL(kc_rest_status_for(&e), status);
    if (strcmp(err->msg, msg) != 0)
        fprintf(stderr, "\n  got:      %s\n  expected: %s\n", err->msg, msg);
}

static void test_verify_errors(void)
{
    init_key();
    kc_error err;
    const char *sig = vectors[0].b64;
    /* the REST resource: headers, algorithm, base64 */
    expect(verify(NULL, "HmacSHA256", key, sizeof key, BODY, &err), 400, KC_ERR_INVALID,
           "Internal request missing required signature", &err);
    expect(verify(sig, NULL, key, sizeof key, BODY, &err), 400, KC_ERR_INVALID,
           "Internal request missing required signature", &err);
    expect(verify(NULL, NULL, NULL, 0, BODY, &err), 400, KC_ERR_INVALID, "Internal request missing required signature",
           &err);
    expect(verify(sig, "HmacFoo", key, sizeof key, BODY, &err), 400, KC_ERR_INVALID, "Algorithm HmacFoo not available",
           &err);
    static const struct {
        const char *sig, *msg;
    } b64[] = {
        {"AB-D", "Illegal base64 character 2d"},          /* the URL alphabet is not the basic one */
        {" QQ==", "Illegal base64 character 20"},         /* no white space */
        {"QUJD\xc3", "Illegal base64 character -3d"},     /* Java prints the signed byte */
        {"A", "Input byte[] should at least have 2 bytes for base64 bytes"},
        {"QQ=", "Input byte array has wrong 4-byte ending unit"},
        {"QQ=x", "Input byte array has wrong 4-byte ending unit"},
        {"=QQQ", "Input byte array has wrong 4-byte ending unit"},
        {"QUJD=", "Input byte array has wrong 4-byte ending unit"},
        {"QUJDR", "Last unit does not have enough valid bits"},
        {"QUJDR=", "Last unit does not have enough valid bits"},
        {"QQ==x", "Input byte array has incorrect ending byte at 4"},
        {"QUI=QQ==", "Input byte array has incorrect ending byte at 4"},
    };
    for (size_t i = 0; i < sizeof b64 / sizeof b64[0]; i++)
        expect(verify(b64[i].sig, "HmacSHA256", key, sizeof key, BODY, &err), 400, KC_ERR_INVALID, b64[i].msg, &err);
    /* the herder: permitted algorithms (exact, case-sensitive), session key, the MAC */
    expect(verify(sig, "hmacsha256", key, sizeof key, BODY, &err), 400, KC_ERR_INVALID,
           "This worker does not support the 'hmacsha256' key signing algorithm used by other workers. This worker "
           "is currently configured to use: [HmacSHA256, HmacSHA1]. Check that all workers' configuration files "
           "permit the same set of signature algorithms, and correct any misconfigured worker and restart it.",
           &err);
    const char *const only[] = {"HmacSHA512"};
    expect(kc_request_verify(sig, "HmacSHA256", only, 1, key, sizeof key, BODY, strlen(BODY), &err), 400,
           KC_ERR_INVALID,
           "This worker does not support the 'HmacSHA256' key signing algorithm used by other workers. This worker "
           "is currently configured to use: [HmacSHA512]. Check that all workers' configuration files permit the "
           "same set of signature algorithms, and correct any misconfigured worker and restart it.",
           &err);
    expect(verify(sig, "HmacSHA256", NULL, 0, BODY, &err), 503, KC_ERR_UNAVAILABLE,
           "This worker is still starting up and has not been able to read a session key from the config topic yet",
           &err);
    /* a bad base64 text is reported before a missing session key */
    expect(verify("A", "HmacSHA256", NULL, 0, BODY, &err), 400, KC_ERR_INVALID,
           "Input byte[] should at least have 2 bytes for base64 bytes", &err);
    static const char invalid[] = "Internal request contained invalid signature.";
    char other[sizeof BODY];
    memcpy(other, BODY, sizeof BODY);
    other[0] = '{'; /* the first byte differs */
    expect(verify(sig, "HmacSHA256", key, sizeof key, other, &err), 403, KC_ERR_FORBIDDEN, invalid, &err);
    memcpy(other, BODY, sizeof BODY);
    other[sizeof BODY - 2] = '}'; /* the last byte differs */
    expect(verify(sig, "HmacSHA256", key, sizeof key, other, &err), 403, KC_ERR_FORBIDDEN, invalid, &err);
    /* the MAC's first and last bytes changed: the comparison looks at every byte either way */
    expect(verify("37QIFRU2xLWrqRMBqEI3B/ZE9k7sDA+GHGxdNGrT2u4=", "HmacSHA256", key, sizeof key, BODY, &err), 403,
           KC_ERR_FORBIDDEN, invalid, &err);
    expect(verify("27QIFRU2xLWrqRMBqEI3B/ZE9k7sDA+GHGxdNGrT2uA=", "HmacSHA256", key, sizeof key, BODY, &err), 403,
           KC_ERR_FORBIDDEN, invalid, &err);
    /* lengths: empty, truncated, the SHA-1 MAC under SHA-256, longer than any MAC */
    expect(verify("", "HmacSHA256", key, sizeof key, BODY, &err), 403, KC_ERR_FORBIDDEN, invalid, &err);
    expect(verify("27QIFRU2xLWrqRMBqEI3B/ZE9k7sDA+GHGxdNGrT", "HmacSHA256", key, sizeof key, BODY, &err), 403,
           KC_ERR_FORBIDDEN, invalid, &err);
    expect(verify(vectors[1].b64, "HmacSHA256", key, sizeof key, BODY, &err), 403, KC_ERR_FORBIDDEN, invalid, &err);
    char longer[129];
    memset(longer, 'A', 128); /* 96 bytes */
    longer[128] = '\0';
    expect(verify(longer, "HmacSHA256", key, sizeof key, BODY, &err), 403, KC_ERR_FORBIDDEN, invalid, &err);
    /* another key */
    unsigned char key2[32];
    memcpy(key2, key, sizeof key2);
    key2[31] ^= 1;
    expect(verify(sig, "HmacSHA256", key2, sizeof key2, BODY, &err), 403, KC_ERR_FORBIDDEN, invalid, &err);
}

static void test_session_keys(void)
{
    static const struct {
        const char *alg;
        int bits;
        size_t bytes;
    } sizes[] = {
        {"HmacSHA256", 0, 32}, {"HmacSHA256", -1, 32}, {"HmacSHA1", 0, 64},       {"HmacMD5", 0, 64},
        {"HmacSHA224", 0, 28}, {"HmacSHA384", 0, 48},  {"HmacSHA512", 0, 64},     {"HmacSHA512/224", 0, 28},
        {"HmacSHA3-256", 0, 32}, {"HmacSHA3-512", 0, 64}, {"HmacSHA256", 128, 16}, {"HmacSHA256", 129, 17},
        {"HmacSHA256", 40, 5}, {"HmacSHA256", 4096, 512}, {"hmacsha384", 0, 48},
    };
    kc_error err;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char out[KC_SESSION_KEY_MAX];
        size_t len = sizeof out;
        CU_ASSERT_EQUAL(kc_session_key_generate(sizes[i].alg, sizes[i].bits, out, &len, &err), 0);
        CU_ASSERT_EQUAL(len, sizes[i].bytes);
    }
    unsigned char a[32], b[32];
    size_t alen = sizeof a, blen = sizeof b;
    CU_ASSERT_EQUAL(kc_session_key_generate("HmacSHA256", 0, a, &alen, &err), 0);
    CU_ASSERT_EQUAL(kc_session_key_generate("HmacSHA256", 0, b, &blen, &err), 0);
    CU_ASSERT(memcmp(a, b, sizeof a) != 0);
    /* errors: exact fit is fine, one byte short is not */
    size_t len = 31;
    CU_ASSERT_EQUAL(kc_session_key_generate("HmacSHA256", 0, a, &len, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    len = sizeof a;
    CU_ASSERT_EQUAL(kc_session_key_generate("HmacSHA256", 39, a, &len, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Key length must be at least 40 bits");
    CU_ASSERT_EQUAL(kc_session_key_generate("HmacFoo", 0, a, &len, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Algorithm HmacFoo not available");
    CU_ASSERT_EQUAL(len, sizeof a);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"sign: HMAC vectors computed with openssl dgst, RFC 4231, empty body", test_sign_vectors},
        {"sign: unknown algorithm, small buffer, empty key", test_sign_errors},
        {"verify: valid signatures, unpadded base64, sign/verify round trip", test_verify_valid},
        {"verify: Java's order, statuses and messages; base64 errors; every MAC mismatch is 403", test_verify_errors},
        {"session keys: JDK default sizes, explicit sizes, errors", test_session_keys},
        {NULL, NULL},
    };
    return kc_test_run("request_signing", cases);
}
