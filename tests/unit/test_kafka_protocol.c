/*
 * Our Kafka protocol client, the parts kconnect's SASL bridge uses: wire codecs (golden byte
 * vectors computed by hand from Apache Kafka's message JSON files), the SCRAM client (RFC 7677's
 * SCRAM-SHA-256 example and SHA-512 vectors) and the bridge's plumbing against fake brokers on
 * loopback (no Kafka needed).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "connect/config/client_config.h"
#include "connect/kafka/bridge.h"
#include "connect/kafka/protocol.h"
#include "connect/kafka/scram.h"
#include "kc_test.h"

#define ASSERT_BYTES(buf, len, expect)                                                                   \
    do {                                                                                                 \
        CU_ASSERT_EQUAL_FATAL((len), sizeof(expect));                                                   \
        CU_ASSERT(memcmp((buf), (expect), sizeof(expect)) == 0);                                        \
    } while (0)

/* ---- codecs ---------------------------------------------------------------------------------- */

static void test_uvarint_and_bounds(void)
{
    kc_kbuf b;
    kc_kbuf_init(&b, 16);
    kc_kw_uvarint(&b, 127);
    kc_kw_uvarint(&b, 128);
    kc_kw_uvarint(&b, 300);
    static const unsigned char want[] = {0x7f, 0x80, 0x01, 0xac, 0x02};
    ASSERT_BYTES(b.data, b.len, want);
    kc_kreader r;
    kc_kr_init(&r, b.data, b.len);
    CU_ASSERT_EQUAL(kc_kr_uvarint(&r), 127);
    CU_ASSERT_EQUAL(kc_kr_uvarint(&r), 128);
    CU_ASSERT_EQUAL(kc_kr_uvarint(&r), 300);
    CU_ASSERT(!r.bad);
    CU_ASSERT_EQUAL(kc_kr_i8(&r), 0); /* past the end: sticky error, zero value */
    CU_ASSERT(r.bad);
    /* past the buffer's maximum: a sticky failure, not a bigger allocation */
    kc_kw_raw(&b, "0123456789abcdef", 16);
    CU_ASSERT(b.failed);
    kc_kbuf_free(&b);

    unsigned char prefix[4] = {'H', 'T', 'T', 'P'};
    size_t size;
    kc_error err;
    CU_ASSERT_EQUAL(kc_kafka_frame_size(prefix, KC_KAFKA_FRAME_MAX, &size, &err), -1);
    CU_ASSERT(strstr(err.msg, "invalid response size") != NULL);
    unsigned char small[4] = {0, 0, 0, 3};
    CU_ASSERT_EQUAL(kc_kafka_frame_size(small, KC_KAFKA_FRAME_MAX, &size, &err), -1);
    unsigned char ok[4] = {0, 0, 1, 0};
    CU_ASSERT_EQUAL(kc_kafka_frame_size(ok, KC_KAFKA_FRAME_MAX, &size, &err), 0);
    CU_ASSERT_EQUAL(size, 256);
}

static void test_api_versions_request(void)
{
    /* spec/connect-group-protocol.md §1.7: ApiVersions v3, correlation 1, client id cw, kcw/1.0 */
    static const unsigned char want[] = {0x00, 0x00, 0x00, 0x16, 0x00, 0x12, 0x00, 0x03, 0x00, 0x00,
                                         0x00, 0x01, 0x00, 0x02, 0x63, 0x77, 0x00, 0x04, 0x6b, 0x63,
                                         0x77, 0x04, 0x31, 0x2e, 0x30, 0x00};
    kc_kbuf b;
    kc_kbuf_init(&b, 1024);
    CU_ASSERT_EQUAL(kc_kafka_api_versions_request(&b, 3, 1, "cw", "kcw", "1.0"), 0);
    ASSERT_BYTES(b.data, b.len, want);
    kc_kbuf_free(&b);
}

static void test_api_versions_response(void)
{
    /* v3: header v0 (correlation 1), error 0, 3 keys, throttle 0, no tags */
    static const unsigned char v3[] = {0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x04, 0x00, 0x11, 0x00, 0x00,
                                       0x00, 0x01, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
                                       0x12, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    kc_kreader r;
    int32_t corr;
    kc_error err;
    kc_kafka_api_versions v;
    CU_ASSERT_EQUAL_FATAL(kc_kafka_response_begin(&r, v3, sizeof v3, KC_API_API_VERSIONS, 3, &corr, &err), 0);
    CU_ASSERT_EQUAL(corr, 1);
    CU_ASSERT_EQUAL_FATAL(kc_kafka_api_versions_response(&r, 3, &v, &err), 0);
    CU_ASSERT_EQUAL(v.error_code, 0);
    CU_ASSERT_EQUAL(v.count, 3);
    CU_ASSERT_EQUAL(kc_kafka_api_max_version(&v, KC_API_SASL_HANDSHAKE), 1);
    CU_ASSERT_EQUAL(kc_kafka_api_max_version(&v, KC_API_SASL_AUTHENTICATE), 2);
    CU_ASSERT_EQUAL(kc_kafka_api_max_version(&v, KC_API_API_VERSIONS), 4);
    CU_ASSERT_EQUAL(kc_kafka_api_max_version(&v, 11), -1);

    /* UNSUPPORTED_VERSION is answered in the v0 layout whatever version was asked */
    static const unsigned char old[] = {0x00, 0x00, 0x00, 0x01, 0x00, 0x23, 0x00, 0x00, 0x00, 0x01,
                                        0x00, 0x12, 0x00, 0x00, 0x00, 0x02};
    CU_ASSERT_EQUAL_FATAL(kc_kafka_response_begin(&r, old, sizeof old, KC_API_API_VERSIONS, 3, &corr, &err), 0);
    CU_ASSERT_EQUAL_FATAL(kc_kafka_api_versions_response(&r, 3, &v, &err), 0);
    CU_ASSERT_EQUAL(v.error_code, KC_KAFKA_ERR_UNSUPPORTED_VERSION);
    CU_ASSERT_EQUAL(kc_kafka_api_max_version(&v, KC_API_API_VERSIONS), 2);

    /* truncated: an error, not a read past the end */
    CU_ASSERT_EQUAL_FATAL(kc_kafka_response_begin(&r, v3, 12, KC_API_API_VERSIONS, 3, &corr, &err), 0);
    CU_ASSERT_EQUAL(kc_kafka_api_versions_response(&r, 3, &v, &err), -1);
    CU_ASSERT(strstr(err.msg, "ApiVersions") != NULL);
}

static void test_sasl_handshake(void)
{
    /* SaslHandshake v1 (never flexible): size 27, key 17, version 1, correlation 2, client id "kc",
     * Mechanism "SCRAM-SHA-512" as a classic string */
    static const unsigned char want[] = {0x00, 0x00, 0x00, 0x1b, 0x00, 0x11, 0x00, 0x01, 0x00, 0x00, 0x00,
                                         0x02, 0x00, 0x02, 'k',  'c',  0x00, 0x0d, 'S',  'C',  'R',  'A',
                                         'M',  '-',  'S',  'H',  'A',  '-',  '5',  '1',  '2'};
    kc_kbuf b;
    kc_kbuf_init(&b, 1024);
    CU_ASSERT_EQUAL(kc_kafka_sasl_handshake_request(&b, 2, "kc", "SCRAM-SHA-512"), 0);
    ASSERT_BYTES(b.data, b.len, want);
    kc_kbuf_free(&b);

    /* response header v0; ErrorCode 33 (UNSUPPORTED_SASL_MECHANISM) with the enabled mechanisms */
    static const unsigned char resp[] = {0x00, 0x00, 0x00, 0x02, 0x00, 0x21, 0x00, 0x00, 0x00, 0x02,
                                         0x00, 0x05, 'P',  'L',  'A',  'I',  'N',  0x00, 0x0d, 'S',
                                         'C',  'R',  'A',  'M',  '-',  'S',  'H',  'A',  '-',  '2',
                                         '5',  '6'};
    kc_kreader r;
    int32_t corr;
    kc_error err;
    kc_kafka_sasl_handshake h;
    CU_ASSERT_EQUAL_FATAL(kc_kafka_response_begin(&r, resp, sizeof resp, KC_API_SASL_HANDSHAKE, 1, &corr, &err), 0);
    CU_ASSERT_EQUAL(corr, 2);
    CU_ASSERT_EQUAL_FATAL(kc_kafka_sasl_handshake_response(&r, &h, &err), 0);
    CU_ASSERT_EQUAL(h.error_code, KC_KAFKA_ERR_UNSUPPORTED_SASL_MECHANISM);
    CU_ASSERT_STRING_EQUAL(h.mechanisms, "PLAIN,SCRAM-SHA-256");
}

static void test_sasl_authenticate(void)
{
    /* v2 (flexible: request header v2 with a tag section, AuthBytes compact) */
    static const unsigned char v2[] = {0x00, 0x00, 0x00, 0x12, 0x00, 0x24, 0x00, 0x02, 0x00, 0x00, 0x00,
                                       0x03, 0x00, 0x02, 'k',  'c',  0x00, 0x04, 'a',  'b',  'c',  0x00};
    /* v1 (classic: header v1, AuthBytes int32 length) */
    static const unsigned char v1[] = {0x00, 0x00, 0x00, 0x13, 0x00, 0x24, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03,
                                       0x00, 0x02, 'k',  'c',  0x00, 0x00, 0x00, 0x03, 'a',  'b',  'c'};
    kc_kbuf b;
    kc_kbuf_init(&b, 1024);
    CU_ASSERT_EQUAL(kc_kafka_sasl_authenticate_request(&b, 2, 3, "kc", "abc", 3), 0);
    ASSERT_BYTES(b.data, b.len, v2);
    kc_kbuf_free(&b);
    CU_ASSERT_EQUAL(kc_kafka_sasl_authenticate_request(&b, 1, 3, "kc", "abc", 3), 0);
    ASSERT_BYTES(b.data, b.len, v1);
    kc_kbuf_free(&b);

    /* v2 response: header v1 (correlation, tags), ErrorCode 58, ErrorMessage "bad", AuthBytes empty,
     * SessionLifetimeMs 0, tags */
    static const unsigned char r2[] = {0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x3a, 0x04, 'b',  'a',  'd', 0x01,
                                       0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    kc_kreader r;
    int32_t corr;
    kc_error err;
    kc_kafka_sasl_authenticate a;
    CU_ASSERT_EQUAL_FATAL(kc_kafka_response_begin(&r, r2, sizeof r2, KC_API_SASL_AUTHENTICATE, 2, &corr, &err), 0);
    CU_ASSERT_EQUAL(corr, 3);
    CU_ASSERT_EQUAL_FATAL(kc_kafka_sasl_authenticate_response(&r, 2, &a, &err), 0);
    CU_ASSERT_EQUAL(a.error_code, KC_KAFKA_ERR_SASL_AUTHENTICATION_FAILED);
    CU_ASSERT_EQUAL(a.error_message_len, 3);
    CU_ASSERT(a.error_message && memcmp(a.error_message, "bad", 3) == 0);
    CU_ASSERT_EQUAL(a.auth_len, 0);
    CU_ASSERT_EQUAL(kc_kr_remaining(&r), 0);

    /* v1 response: header v0, ErrorCode 0, ErrorMessage null, AuthBytes "v=x", lifetime 3600000 */
    static const unsigned char r1[] = {0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00,
                                       0x03, 'v',  '=',  'x',  0x00, 0x00, 0x00, 0x00, 0x00, 0x36, 0xee, 0x80};
    CU_ASSERT_EQUAL_FATAL(kc_kafka_response_begin(&r, r1, sizeof r1, KC_API_SASL_AUTHENTICATE, 1, &corr, &err), 0);
    CU_ASSERT_EQUAL(corr, 4);
    CU_ASSERT_EQUAL_FATAL(kc_kafka_sasl_authenticate_response(&r, 1, &a, &err), 0);
    CU_ASSERT_EQUAL(a.error_code, 0);
    CU_ASSERT(a.error_message == NULL);
    CU_ASSERT_EQUAL(a.auth_len, 3);
    CU_ASSERT(memcmp(a.auth_bytes, "v=x", 3) == 0);
    CU_ASSERT_EQUAL(a.session_lifetime_ms, 3600000);
    /* one byte short of the lifetime */
    CU_ASSERT_EQUAL_FATAL(kc_kafka_response_begin(&r, r1, sizeof r1 - 1, KC_API_SASL_AUTHENTICATE, 1, &corr, &err), 0);
    CU_ASSERT_EQUAL(kc_kafka_sasl_authenticate_response(&r, 1, &a, &err), -1);
}

/* ---- SCRAM ----------------------------------------------------------------------------------- */

/* RFC 7677 §3: user "user", password "pencil" */
#define RFC_NONCE "rOprNGfwEbeRWgbNEkqO"
#define RFC_SERVER_FIRST "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"

static void exchange(kc_sasl_mech mech, const char *user, const char *password, const char *nonce,
                     const char *server_first, const char *want_first, const char *want_final,
                     const char *server_final)
{
    kc_error err;
    kc_scram *s = kc_scram_new(mech, user, password, nonce, &err);
    CU_ASSERT_FATAL(s != NULL);
    size_t len;
    CU_ASSERT_STRING_EQUAL(kc_scram_client_first(s, &len), want_first);
    CU_ASSERT_EQUAL(len, strlen(want_first));
    const char *final;
    size_t final_len;
    CU_ASSERT_EQUAL_FATAL(kc_scram_client_final(s, server_first, strlen(server_first), &final, &final_len, &err), 0);
    CU_ASSERT_STRING_EQUAL(final, want_final);
    CU_ASSERT_EQUAL(final_len, strlen(want_final));
    CU_ASSERT_EQUAL(kc_scram_server_final(s, server_final, strlen(server_final), &err), 0);
    kc_scram_free(s);
}

static void test_scram_sha256_rfc7677(void)
{
    exchange(KC_SASL_SCRAM_SHA_256, "user", "pencil", RFC_NONCE, RFC_SERVER_FIRST, "n,,n=user,r=" RFC_NONCE,
             "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
             "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
             "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
}

/* Not an RFC vector. The same inputs with SHA-512, from Python (as spec/connect-group-protocol.md
 * §2.4, which also checked them with Kafka's ScramFormatter):
 *   sp = hashlib.pbkdf2_hmac('sha512', b'pencil', base64.b64decode(salt), 4096)
 *   ck = hmac.new(sp, b'Client Key', 'sha512').digest(); sk = hashlib.sha512(ck).digest()
 *   am = (client_first_bare + ',' + server_first + ',' + 'c=biws,r=' + nonce).encode()
 *   proof = xor(ck, hmac.new(sk, am, 'sha512').digest())
 *   v = hmac.new(hmac.new(sp, b'Server Key', 'sha512').digest(), am, 'sha512').digest() */
static void test_scram_sha512(void)
{
    exchange(KC_SASL_SCRAM_SHA_512, "user", "pencil", RFC_NONCE, RFC_SERVER_FIRST, "n,,n=user,r=" RFC_NONCE,
             "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
             "p=gMGXRcevScNtxZ6/8lQYpGtnsNAc3mGcmNomv+xnoOMw+3R2xNJdMNnzMlTN8PPC6wdp6dybEmDYXYTxwnYPJQ==",
             "v=ZQnYEgWQMFmmsM8aQMF0nDDCy/AgCzkwk8CmMZYcMg0vSVlKDanekLtifDSeVGT4+5ZxXnJq199RVG2rR7N7Zw==");
    /* an escaped user name (the escaped form is part of AuthMessage) and a non-ASCII password used
     * as its UTF-8 bytes (Kafka does no SASLprep); same Python with user "a=3Db=2Cc", "päss" */
    exchange(KC_SASL_SCRAM_SHA_512, "a=b,c", "p\xc3\xa4ss", "fyko+d2lbbFgONRv9qkxdawL",
             "r=fyko+d2lbbFgONRv9qkxdawLHo+Vx/3z2hpIjM9ITgA,s=QSXCR+Q6sek8bf92,i=4096",
             "n,,n=a=3Db=2Cc,r=fyko+d2lbbFgONRv9qkxdawL",
             "c=biws,r=fyko+d2lbbFgONRv9qkxdawLHo+Vx/3z2hpIjM9ITgA,"
             "p=G3s67EeEXyNKg95Swv3HngEZmhDVxn2F0I61Rq2qIDilD2PjOTO8A1g+tUeBKSEZQ9IzhfNrHcJG7BLnqMIzyQ==",
             "v=6NdKWVuaCYYcW1jlGJSxjjmtCxP1TI8SzyMbfFWTt0T4bsxE6viMRMlDPY9515NGpVTu/+A3SYWagXQBEDZa/Q==");
}

static void test_scram_saslname(void)
{
    char *n = kc_scram_saslname("a=b,c");
    CU_ASSERT_STRING_EQUAL(n, "a=3Db=2Cc");
    free(n);
    n = kc_scram_saslname("==,");
    CU_ASSERT_STRING_EQUAL(n, "=3D=3D=2C");
    free(n);
    n = kc_scram_saslname("alice");
    CU_ASSERT_STRING_EQUAL(n, "alice");
    free(n);

    /* a drawn nonce: printable, no ',', different each time */
    kc_error err;
    kc_scram *a = kc_scram_new(KC_SASL_SCRAM_SHA_256, "u", "p", NULL, &err);
    kc_scram *b = kc_scram_new(KC_SASL_SCRAM_SHA_256, "u", "p", NULL, &err);
    CU_ASSERT_FATAL(a && b);
    const char *fa = kc_scram_client_first(a, NULL), *fb = kc_scram_client_first(b, NULL);
    CU_ASSERT(strncmp(fa, "n,,n=u,r=", 9) == 0);
    CU_ASSERT(strlen(fa) > 9 + 16);
    CU_ASSERT(strchr(fa + 9, ',') == NULL);
    CU_ASSERT(strcmp(fa, fb) != 0);
    kc_scram_free(a);
    kc_scram_free(b);

    char plain[64];
    CU_ASSERT_EQUAL(kc_sasl_plain_message("alice", "pw", plain, sizeof plain), 9);
    CU_ASSERT(memcmp(plain, "\0alice\0pw", 9) == 0);
    CU_ASSERT_EQUAL(kc_sasl_plain_message("alice", "pw", plain, 8), -1);
}

static void test_scram_refusals(void)
{
    kc_error err;
    const char *final;
    size_t len;
    kc_scram *s = kc_scram_new(KC_SASL_SCRAM_SHA_256, "user", "pencil", RFC_NONCE, &err);
    CU_ASSERT_FATAL(s != NULL);
    /* the server's nonce must extend ours */
    const char *bad_nonce = "r=XOprNGfwEbeRWgbNEkqO%hvYDp,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    CU_ASSERT_EQUAL(kc_scram_client_final(s, bad_nonce, strlen(bad_nonce), &final, &len, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_AUTH);
    CU_ASSERT(strstr(err.msg, "nonce") != NULL);
    const char *same_nonce = "r=" RFC_NONCE ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    CU_ASSERT_EQUAL(kc_scram_client_final(s, same_nonce, strlen(same_nonce), &final, &len, &err), -1);
    /* fewer than 4096 iterations */
    const char *few = "r=" RFC_NONCE "xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095";
    CU_ASSERT_EQUAL(kc_scram_client_final(s, few, strlen(few), &final, &len, &err), -1);
    CU_ASSERT(strstr(err.msg, "4095") != NULL);
    const char *junk = "r=" RFC_NONCE "xyz,s=!!!,i=4096";
    CU_ASSERT_EQUAL(kc_scram_client_final(s, junk, strlen(junk), &final, &len, &err), -1);
    const char *e = "e=other-error";
    CU_ASSERT_EQUAL(kc_scram_client_final(s, e, strlen(e), &final, &len, &err), -1);
    CU_ASSERT(strstr(err.msg, "other-error") != NULL);
    /* the right exchange, then a server signature that is not the right one */
    CU_ASSERT_EQUAL_FATAL(kc_scram_client_final(s, RFC_SERVER_FIRST, strlen(RFC_SERVER_FIRST), &final, &len, &err), 0);
    CU_ASSERT(strstr(final, "pencil") == NULL);
    const char *wrong = "v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";
    CU_ASSERT_EQUAL(kc_scram_server_final(s, wrong, strlen(wrong), &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_AUTH);
    CU_ASSERT(strstr(err.msg, "signature") != NULL);
    const char *invalid = "e=invalid-proof";
    CU_ASSERT_EQUAL(kc_scram_server_final(s, invalid, strlen(invalid), &err), -1);
    CU_ASSERT(strstr(err.msg, "invalid-proof") != NULL);
    CU_ASSERT(strstr(err.msg, "pencil") == NULL);
    kc_scram_free(s);

    kc_sasl_mech m;
    CU_ASSERT_EQUAL(kc_sasl_mech_parse("SCRAM-SHA-512", &m), 0);
    CU_ASSERT_EQUAL(m, KC_SASL_SCRAM_SHA_512);
    CU_ASSERT_EQUAL(kc_sasl_mech_parse("GSSAPI", &m), -1);
    CU_ASSERT(kc_scram_new(KC_SASL_PLAIN, "u", "p", NULL, &err) == NULL);
}

/* ---- the bridge, against fake brokers -------------------------------------------------------- */

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

typedef struct fake_broker {
    int listener;
    int port;
    int close_at_once;          /* accept and close (a TLS client sees a failed handshake) */
    pthread_t thread;
} fake_broker;

static int read_full(int fd, void *buf, size_t len)
{
    for (size_t got = 0; got < len;) {
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

/* Answers ApiVersions (SaslHandshake v1, SaslAuthenticate v2) and refuses every SASL mechanism but
 * PLAIN, on the first connection; later connections are accepted by the kernel and never served. */
static void *fake_main(void *arg)
{
    fake_broker *fb = arg;
    int fd = accept(fb->listener, NULL, NULL);
    if (fd < 0)
        return NULL;
    if (fb->close_at_once) {
        close(fd);
        return NULL;
    }
    for (;;) {
        unsigned char prefix[4], req[4096];
        if (read_full(fd, prefix, 4))
            break;
        size_t size = ((size_t)prefix[0] << 24) | ((size_t)prefix[1] << 16) | ((size_t)prefix[2] << 8) | prefix[3];
        if (size > sizeof req || read_full(fd, req, size))
            break;
        int16_t key = (int16_t)((req[0] << 8) | req[1]);
        kc_kbuf b;
        kc_kbuf_init(&b, 4096);
        kc_kw_i32(&b, 0);
        kc_kw_raw(&b, req + 4, 4); /* correlation id */
        if (key == KC_API_API_VERSIONS) {
            kc_kw_i16(&b, 0);
            kc_kw_uvarint(&b, 3);
            kc_kw_i16(&b, KC_API_SASL_HANDSHAKE), kc_kw_i16(&b, 0), kc_kw_i16(&b, 1), kc_kw_no_tags(&b);
            kc_kw_i16(&b, KC_API_SASL_AUTHENTICATE), kc_kw_i16(&b, 0), kc_kw_i16(&b, 2), kc_kw_no_tags(&b);
            kc_kw_i32(&b, 0);
            kc_kw_no_tags(&b);
        } else {
            kc_kw_i16(&b, KC_KAFKA_ERR_UNSUPPORTED_SASL_MECHANISM);
            kc_kw_i32(&b, 1);
            kc_kw_string(&b, "PLAIN");
        }
        uint32_t n = (uint32_t)(b.len - 4);
        b.data[0] = (unsigned char)(n >> 24), b.data[1] = (unsigned char)(n >> 16);
        b.data[2] = (unsigned char)(n >> 8), b.data[3] = (unsigned char)n;
        ssize_t w = write(fd, b.data, b.len);
        kc_kbuf_free(&b);
        if (w < 0 || key != KC_API_API_VERSIONS)
            break;
    }
    close(fd);
    return NULL;
}

static void fake_start(fake_broker *fb, int close_at_once)
{
    memset(fb, 0, sizeof *fb);
    fb->close_at_once = close_at_once;
    fb->listener = socket(AF_INET, SOCK_STREAM, 0);
    CU_ASSERT_FATAL(fb->listener >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    CU_ASSERT_FATAL(bind(fb->listener, (struct sockaddr *)&a, sizeof a) == 0);
    CU_ASSERT_FATAL(listen(fb->listener, 16) == 0);
    CU_ASSERT_FATAL(getsockname(fb->listener, (struct sockaddr *)&a, &alen) == 0);
    fb->port = ntohs(a.sin_port);
    CU_ASSERT_FATAL(pthread_create(&fb->thread, NULL, fake_main, fb) == 0);
}

static void fake_stop(fake_broker *fb)
{
    shutdown(fb->listener, SHUT_RDWR); /* wakes a blocked accept */
    pthread_join(fb->thread, NULL);
    close(fb->listener);
}

static kc_props *scram_props(const char *protocol, int port, const char *extra_key, const char *extra_value)
{
    char bootstrap[64];
    snprintf(bootstrap, sizeof bootstrap, "127.0.0.1:%d", port);
    kc_props *p = kc_props_new();
    kc_props_set(p, "bootstrap.servers", bootstrap);
    kc_props_set(p, "security.protocol", protocol);
    kc_props_set(p, "sasl.mechanism", "SCRAM-SHA-512");
    kc_props_set(p, "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                                        "username=\"admin\" password=\"s3cret\";");
    kc_props_set(p, "acks", "all");
    kc_props_set(p, "ssl.endpoint.identification.algorithm", "");
    if (extra_key)
        kc_props_set(p, extra_key, extra_value);
    return p;
}

static const char *get(rd_kafka_conf_t *conf, const char *name)
{
    static char buf[1024];
    size_t size = sizeof buf;
    if (rd_kafka_conf_get(conf, name, buf, &size) != RD_KAFKA_CONF_OK)
        return "(unset)";
    return buf;
}

/* Runs a producer until the bridge reports an error (or 20 s pass); returns it in err. */
static int bridge_error_of(kc_props *p, kc_error *err)
{
    kc_error cerr;
    rd_kafka_conf_t *conf = kc_client_conf_new(p, KC_CLIENT_PRODUCER, NULL, NULL, &cerr);
    CU_ASSERT_FATAL(conf != NULL);
    char errstr[256];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    CU_ASSERT_FATAL(rk != NULL);
    int found = 0;
    for (long deadline = now_ms() + 20000; !found && now_ms() < deadline;) {
        rd_kafka_poll(rk, 50);
        found = kc_bridge_last_error(rk, err);
    }
    rd_kafka_destroy(rk);
    CU_ASSERT(kc_bridge_last_error(rk, NULL) == 0); /* forgotten with its client */
    return found;
}

static void wait_bridge_idle(void)
{
    for (long deadline = now_ms() + 3000; kc_bridge_connection_count() > 0 && now_ms() < deadline;)
        usleep(10000);
    CU_ASSERT_EQUAL(kc_bridge_connection_count(), 0);
}

static void test_bridge_conf_view(void)
{
    kc_error err;
    kc_props *p = scram_props("SASL_SSL", 9093, NULL, NULL);
    rd_kafka_conf_t *conf = kc_client_conf_new(p, KC_CLIENT_PRODUCER, NULL, NULL, &err);
    CU_ASSERT_FATAL(conf != NULL);
    /* librdkafka 2.0.2 cannot do SCRAM with Kafka 4: it sees plaintext and no SASL/TLS secrets */
    CU_ASSERT_STRING_EQUAL(get(conf, "security.protocol"), "plaintext");
    CU_ASSERT_STRING_EQUAL(get(conf, "sasl.password"), "(unset)");
    CU_ASSERT_STRING_EQUAL(get(conf, "acks"), "-1");
    CU_ASSERT_STRING_EQUAL(get(conf, "bootstrap.servers"), "127.0.0.1:9093");
    /* duplicates carry their own copy of the bridge settings; both free cleanly */
    rd_kafka_conf_t *dup = rd_kafka_conf_dup(conf);
    CU_ASSERT_STRING_EQUAL(get(dup, "security.protocol"), "plaintext");
    rd_kafka_conf_destroy(conf);
    rd_kafka_conf_destroy(dup);
    kc_props_free(p);

    /* TLS settings are loaded when the configuration is made: a broken one is a configuration error */
    p = scram_props("SASL_SSL", 9093, "ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----\nnope\n"
                                                                     "-----END CERTIFICATE-----\n");
    CU_ASSERT(kc_client_conf_new(p, KC_CLIENT_PRODUCER, NULL, NULL, &err) == NULL);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT(strstr(err.msg, "ssl.truststore.certificates") != NULL);
    kc_props_free(p);

    p = scram_props("SASL_PLAINTEXT", 9092, "kconnect.scram.bridge", "never");
    conf = kc_client_conf_new(p, KC_CLIENT_PRODUCER, NULL, NULL, &err);
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "security.protocol"), "sasl_plaintext");
    CU_ASSERT_STRING_EQUAL(get(conf, "sasl.mechanisms"), "SCRAM-SHA-512");
    rd_kafka_conf_destroy(conf);
    kc_props_free(p);

    p = scram_props("SASL_PLAINTEXT", 9092, "kconnect.scram.bridge", "sometimes");
    CU_ASSERT(kc_client_conf_new(p, KC_CLIENT_PRODUCER, NULL, NULL, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "kconnect.scram.bridge") != NULL);
    kc_props_free(p);

    /* PLAIN goes through the bridge only when asked to */
    p = scram_props("SASL_PLAINTEXT", 9092, "sasl.mechanism", "PLAIN");
    kc_props_set(p, "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                        "username=\"u\" password=\"p\";");
    conf = kc_client_conf_new(p, KC_CLIENT_PRODUCER, NULL, NULL, &err);
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "security.protocol"), "sasl_plaintext");
    rd_kafka_conf_destroy(conf);
    kc_props_set(p, "kconnect.scram.bridge", "always");
    conf = kc_client_conf_new(p, KC_CLIENT_PRODUCER, NULL, NULL, &err);
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "security.protocol"), "plaintext");
    rd_kafka_conf_destroy(conf);
    kc_props_free(p);
}

static void test_bridge_unreachable(void)
{
    /* a port nobody listens on (bound, never listening) */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    CU_ASSERT_FATAL(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
    CU_ASSERT_FATAL(getsockname(s, (struct sockaddr *)&a, &alen) == 0);
    kc_props *p = scram_props("SASL_PLAINTEXT", ntohs(a.sin_port), NULL, NULL);
    kc_error err;
    CU_ASSERT_FATAL(bridge_error_of(p, &err));
    CU_ASSERT_EQUAL(err.code, KC_ERR_UNREACHABLE);
    CU_ASSERT(strstr(err.msg, "Connection refused") != NULL);
    CU_ASSERT(strstr(err.msg, "127.0.0.1") != NULL);
    CU_ASSERT(kc_bridge_last_error(NULL, &err) == 1); /* the process-wide last error */
    kc_props_free(p);
    close(s);
    wait_bridge_idle();
}

static void test_bridge_mechanism_refused(void)
{
    fake_broker fb;
    fake_start(&fb, 0);
    kc_props *p = scram_props("SASL_PLAINTEXT", fb.port, NULL, NULL);
    kc_error err;
    CU_ASSERT_FATAL(bridge_error_of(p, &err));
    CU_ASSERT_EQUAL(err.code, KC_ERR_AUTH);
    CU_ASSERT(strstr(err.msg, "Unsupported SASL mechanism") != NULL);
    CU_ASSERT(strstr(err.msg, "SCRAM-SHA-512") != NULL);
    CU_ASSERT(strstr(err.msg, "PLAIN") != NULL);
    CU_ASSERT(strstr(err.msg, "s3cret") == NULL);
    kc_props_free(p);
    fake_stop(&fb);
    wait_bridge_idle();
}

static void test_bridge_tls_closed(void)
{
    fake_broker fb;
    fake_start(&fb, 1);
    kc_props *p = scram_props("SASL_SSL", fb.port, NULL, NULL);
    kc_error err;
    CU_ASSERT_FATAL(bridge_error_of(p, &err));
    CU_ASSERT_EQUAL(err.code, KC_ERR_TLS);
    CU_ASSERT(strstr(err.msg, "SSL handshake failed") != NULL);
    CU_ASSERT(strstr(err.msg, "sasl_ssl://127.0.0.1:") != NULL);
    kc_props_free(p);
    fake_stop(&fb);
    wait_bridge_idle();
    kc_bridge_shutdown();
    kc_bridge_shutdown(); /* idempotent */
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"uvarint, sticky bounds, frame size check", test_uvarint_and_bounds},
        {"ApiVersions v3 request bytes", test_api_versions_request},
        {"ApiVersions v3 response and the v0 error layout", test_api_versions_response},
        {"SaslHandshake v1 request and response bytes", test_sasl_handshake},
        {"SaslAuthenticate v1/v2 request and response bytes", test_sasl_authenticate},
        {"SCRAM-SHA-256: RFC 7677 example", test_scram_sha256_rfc7677},
        {"SCRAM-SHA-512 vectors, escaped user, UTF-8 password", test_scram_sha512},
        {"saslname escaping, drawn nonces, PLAIN message", test_scram_saslname},
        {"SCRAM refuses bad nonces, iterations, signatures", test_scram_refusals},
        {"bridged configuration: what librdkafka sees, dup, modes", test_bridge_conf_view},
        {"bridge: connection refused is UNREACHABLE", test_bridge_unreachable},
        {"bridge: a refused mechanism is an AUTH error", test_bridge_mechanism_refused},
        {"bridge: a broker closing the TLS handshake is a TLS error", test_bridge_tls_closed},
        {NULL, NULL},
    };
    return kc_test_run("kafka_protocol", cases);
}
