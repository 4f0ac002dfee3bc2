/* A blocking broker connection (broker_conn.h). */
#include "connect/kafka/broker_conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#define SOFTWARE_NAME "kconnect"
#define SOFTWARE_VERSION "0.1.0"
#define AUTH_FRAME_MAX (1024 * 1024)

struct kc_broker_conn {
    int fd;
    SSL_CTX *ctx;
    SSL *ssl;
    char name[300];
    char host[256];
    char client_id[256];
    int32_t corr;
    kc_kafka_api_versions versions;
    unsigned char *resp;
    size_t resp_cap;
};

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int tls_reason(char *buf, size_t cap)
{
    unsigned long e = ERR_peek_last_error();
    if (e)
        ERR_error_string_n(e, buf, cap);
    else
        snprintf(buf, cap, "no OpenSSL reason");
    ERR_clear_error();
    return 0;
}

/* Waits until fd is ready for events or the deadline passes. 0, or -1 with err. */
static int wait_fd(kc_broker_conn *c, short events, long deadline, kc_error *err)
{
    for (;;) {
        long left = deadline - now_ms();
        if (left <= 0)
            return kc_error_set(err, KC_ERR_TIMEOUT, "timed out talking to broker %s", c->name);
        struct pollfd p = {.fd = c->fd, .events = events, .revents = 0};
        int n = poll(&p, 1, (int)(left > 1000000 ? 1000000 : left));
        if (n > 0)
            return 0;
        if (n < 0 && errno != EINTR)
            return kc_error_set(err, KC_ERR_IO, "poll on broker %s: %s", c->name, strerror(errno));
    }
}

static int io_write(kc_broker_conn *c, const unsigned char *p, size_t n, long deadline, kc_error *err)
{
    while (n > 0) {
        if (c->ssl) {
            size_t done = 0;
            int rc = SSL_write_ex(c->ssl, p, n, &done);
            if (rc == 1) {
                p += done;
                n -= done;
                continue;
            }
            int e = SSL_get_error(c->ssl, rc);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
                if (wait_fd(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline, err))
                    return -1;
                continue;
            }
            ERR_clear_error();
            return kc_error_set(err, KC_ERR_IO, "broker %s closed the connection (TLS write)", c->name);
        }
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
        } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (wait_fd(c, POLLOUT, deadline, err))
                return -1;
        } else if (!(w < 0 && errno == EINTR)) {
            return kc_error_set(err, KC_ERR_IO, "write to broker %s: %s", c->name, w < 0 ? strerror(errno) : "closed");
        }
    }
    return 0;
}

static int io_read(kc_broker_conn *c, unsigned char *p, size_t n, long deadline, kc_error *err)
{
    while (n > 0) {
        if (c->ssl) {
            size_t done = 0;
            int rc = SSL_read_ex(c->ssl, p, n, &done);
            if (rc == 1) {
                p += done;
                n -= done;
                continue;
            }
            int e = SSL_get_error(c->ssl, rc);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
                if (wait_fd(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline, err))
                    return -1;
                continue;
            }
            ERR_clear_error();
            return kc_error_set(err, KC_ERR_IO, "broker %s closed the connection", c->name);
        }
        ssize_t r = recv(c->fd, p, n, 0);
        if (r > 0) {
            p += r;
            n -= (size_t)r;
        } else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (wait_fd(c, POLLIN, deadline, err))
                return -1;
        } else if (!(r < 0 && errno == EINTR)) {
            return kc_error_set(err, KC_ERR_IO, "broker %s closed the connection%s%s", c->name, r < 0 ? ": " : "",
                                r < 0 ? strerror(errno) : "");
        }
    }
    return 0;
}

static int roundtrip(kc_broker_conn *c, const void *frame, size_t frame_len, int32_t corr, long deadline, size_t max,
                     const unsigned char **payload, size_t *len, kc_error *err)
{
    if (c->fd < 0)
        return kc_error_set(err, KC_ERR_IO, "connection to broker %s is closed", c->name);
    if (io_write(c, frame, frame_len, deadline, err))
        return -1;
    unsigned char prefix[4];
    if (io_read(c, prefix, 4, deadline, err))
        return -1;
    size_t size = 0;
    if (kc_kafka_frame_size(prefix, max, &size, err))
        return kc_error_prefix(err, "broker %s", c->name);
    if (size > c->resp_cap) {
        unsigned char *n = realloc(c->resp, size);
        if (!n)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        c->resp = n;
        c->resp_cap = size;
    }
    if (io_read(c, c->resp, size, deadline, err))
        return -1;
    int32_t got = (int32_t)(((uint32_t)c->resp[0] << 24) | ((uint32_t)c->resp[1] << 16) |
                            ((uint32_t)c->resp[2] << 8) | c->resp[3]);
    if (got != corr)
        return kc_error_set(err, KC_ERR_IO, "broker %s answered correlation id %d to request %d", c->name, (int)got,
                            (int)corr);
    *payload = c->resp;
    *len = size;
    return 0;
}

static int tcp_connect(kc_broker_conn *c, int port, long deadline, kc_error *err)
{
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(c->host, service, &hints, &res);
    if (rc != 0)
        return kc_error_set(err, KC_ERR_UNREACHABLE, "cannot resolve broker %s: %s", c->name, gai_strerror(rc));
    char why[200] = "no address";
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) {
            snprintf(why, sizeof why, "%s", strerror(errno));
            continue;
        }
        c->fd = fd;
        if (connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
            snprintf(why, sizeof why, "%s", strerror(errno));
        } else {
            kc_error tmp;
            if (wait_fd(c, POLLOUT, deadline, &tmp) == 0) {
                int soerr = 0;
                socklen_t sl = sizeof soerr;
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
                if (soerr == 0) {
                    int one = 1;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    freeaddrinfo(res);
                    return 0;
                }
                snprintf(why, sizeof why, "%s", strerror(soerr));
            } else {
                snprintf(why, sizeof why, "connect timed out");
            }
        }
        close(fd);
        c->fd = -1;
    }
    freeaddrinfo(res);
    return kc_error_set(err, KC_ERR_UNREACHABLE, "cannot connect to broker %s: %s", c->name, why);
}

static int tls_connect(kc_broker_conn *c, const kc_broker_settings *s, long deadline, kc_error *err)
{
    char reason[256];
    c->ctx = SSL_CTX_new(TLS_client_method());
    if (!c->ctx)
        return kc_error_set(err, KC_ERR_TLS, "cannot create a TLS context");
    SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
    if (s->ca_location) {
        struct stat st;
        int dir = stat(s->ca_location, &st) == 0 && S_ISDIR(st.st_mode);
        if (SSL_CTX_load_verify_locations(c->ctx, dir ? NULL : s->ca_location, dir ? s->ca_location : NULL) != 1) {
            tls_reason(reason, sizeof reason);
            return kc_error_set(err, KC_ERR_TLS, "cannot load the CA %s: %s", s->ca_location, reason);
        }
    } else if (SSL_CTX_set_default_verify_paths(c->ctx) != 1) {
        tls_reason(reason, sizeof reason);
        return kc_error_set(err, KC_ERR_TLS, "cannot load the system CAs: %s", reason);
    }
    if (s->key_password)
        SSL_CTX_set_default_passwd_cb_userdata(c->ctx, (void *)s->key_password);
    if (s->cert_location && (SSL_CTX_use_certificate_chain_file(c->ctx, s->cert_location) != 1 ||
                             SSL_CTX_use_PrivateKey_file(c->ctx, s->key_location ? s->key_location : s->cert_location,
                                                         SSL_FILETYPE_PEM) != 1 ||
                             SSL_CTX_check_private_key(c->ctx) != 1)) {
        tls_reason(reason, sizeof reason);
        return kc_error_set(err, KC_ERR_TLS, "cannot load the client certificate %s: %s", s->cert_location, reason);
    }
    SSL_CTX_set_default_passwd_cb_userdata(c->ctx, NULL);
    c->ssl = SSL_new(c->ctx);
    if (!c->ssl || SSL_set_fd(c->ssl, c->fd) != 1)
        return kc_error_set(err, KC_ERR_TLS, "cannot create a TLS session");
    unsigned char ipbuf[sizeof(struct in6_addr)];
    int is_ip = inet_pton(AF_INET, c->host, ipbuf) == 1 || inet_pton(AF_INET6, c->host, ipbuf) == 1;
    if (!is_ip)
        SSL_set_tlsext_host_name(c->ssl, c->host);
    if (s->verify_host) {
        X509_VERIFY_PARAM *param = SSL_get0_param(c->ssl);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, c->host) : X509_VERIFY_PARAM_set1_host(param, c->host, 0);
        if (ok != 1)
            return kc_error_set(err, KC_ERR_TLS, "cannot check the host name %s", c->host);
    }
    for (;;) {
        int rc = SSL_connect(c->ssl);
        if (rc == 1)
            return 0;
        int e = SSL_get_error(c->ssl, rc);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            if (wait_fd(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline, err)) {
                if (err)
                    err->code = KC_ERR_TLS;
                return kc_error_prefix(err, "TLS handshake");
            }
            continue;
        }
        long verify = SSL_get_verify_result(c->ssl);
        if (verify != X509_V_OK) {
            ERR_clear_error();
            return kc_error_set(err, KC_ERR_TLS, "TLS handshake with broker %s failed: certificate %s: %s", c->name,
                                (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH)
                                    ? "does not match the host name"
                                    : "not trusted",
                                X509_verify_cert_error_string(verify));
        }
        tls_reason(reason, sizeof reason);
        return kc_error_set(err, KC_ERR_TLS, "TLS handshake with broker %s failed: %s", c->name, reason);
    }
}

static int api_versions(kc_broker_conn *c, long deadline, kc_error *err)
{
    int16_t version = 3;
    for (int attempt = 0; attempt < 2; attempt++) {
        kc_kbuf b;
        kc_kbuf_init(&b, 4096);
        int32_t corr = ++c->corr;
        kc_kafka_api_versions_request(&b, version, corr, c->client_id, SOFTWARE_NAME, SOFTWARE_VERSION);
        const unsigned char *p = NULL;
        size_t len = 0;
        int rc = b.failed ? kc_error_set(err, KC_ERR_INTERNAL, "cannot encode ApiVersions")
                          : roundtrip(c, b.data, b.len, corr, deadline, AUTH_FRAME_MAX, &p, &len, err);
        kc_kbuf_free(&b);
        if (rc)
            return -1;
        kc_kreader r;
        int32_t got = 0;
        if (kc_kafka_response_begin(&r, p, len, KC_API_API_VERSIONS, version, &got, err) ||
            kc_kafka_api_versions_response(&r, version, &c->versions, err))
            return kc_error_prefix(err, "ApiVersions from broker %s", c->name);
        if (c->versions.error_code == KC_KAFKA_ERR_UNSUPPORTED_VERSION && attempt == 0) {
            int max = kc_kafka_api_max_version(&c->versions, KC_API_API_VERSIONS);
            version = (int16_t)(max >= 0 && max < 3 ? max : 0);
            continue;
        }
        if (c->versions.error_code != 0)
            return kc_error_set(err, KC_ERR_IO, "ApiVersions from broker %s: error %d", c->name,
                                c->versions.error_code);
        return 0;
    }
    return kc_error_set(err, KC_ERR_IO, "ApiVersions from broker %s failed", c->name);
}

static int sasl_round(kc_broker_conn *c, int16_t version, const void *msg, size_t n, long deadline,
                      kc_kafka_sasl_authenticate *a, kc_error *err)
{
    kc_kbuf b;
    kc_kbuf_init(&b, AUTH_FRAME_MAX);
    int32_t corr = ++c->corr;
    kc_kafka_sasl_authenticate_request(&b, version, corr, c->client_id, msg, n);
    const unsigned char *p = NULL;
    size_t len = 0;
    int rc = b.failed ? kc_error_set(err, KC_ERR_INTERNAL, "cannot encode SaslAuthenticate")
                      : roundtrip(c, b.data, b.len, corr, deadline, AUTH_FRAME_MAX, &p, &len, err);
    kc_kbuf_free(&b);
    if (rc)
        return -1;
    kc_kreader r;
    int32_t got = 0;
    if (kc_kafka_response_begin(&r, p, len, KC_API_SASL_AUTHENTICATE, version, &got, err) ||
        kc_kafka_sasl_authenticate_response(&r, version, a, err))
        return kc_error_prefix(err, "SaslAuthenticate from broker %s", c->name);
    if (a->error_code != 0)
        return kc_error_set(err, KC_ERR_AUTH, "SASL authentication error on broker %s: %.*s (error %d)", c->name,
                            a->error_message ? (int)a->error_message_len : 0,
                            a->error_message ? a->error_message : "", a->error_code);
    return 0;
}

static int sasl_login(kc_broker_conn *c, const kc_broker_settings *s, long deadline, kc_error *err)
{
    int hs = kc_kafka_api_max_version(&c->versions, KC_API_SASL_HANDSHAKE);
    int au = kc_kafka_api_max_version(&c->versions, KC_API_SASL_AUTHENTICATE);
    if (hs < 1 || au < 0)
        return kc_error_set(err, KC_ERR_AUTH, "broker %s does not offer SaslHandshake v1 / SaslAuthenticate", c->name);
    int16_t auth_version = (int16_t)(au > 2 ? 2 : au);
    const char *mech = kc_sasl_mech_name(s->mech);
    kc_kbuf b;
    kc_kbuf_init(&b, 4096);
    int32_t corr = ++c->corr;
    kc_kafka_sasl_handshake_request(&b, corr, c->client_id, mech);
    const unsigned char *p = NULL;
    size_t len = 0;
    int rc = b.failed ? kc_error_set(err, KC_ERR_INTERNAL, "cannot encode SaslHandshake")
                      : roundtrip(c, b.data, b.len, corr, deadline, AUTH_FRAME_MAX, &p, &len, err);
    kc_kbuf_free(&b);
    if (rc)
        return -1;
    kc_kreader r;
    int32_t got = 0;
    kc_kafka_sasl_handshake h;
    if (kc_kafka_response_begin(&r, p, len, KC_API_SASL_HANDSHAKE, 1, &got, err) ||
        kc_kafka_sasl_handshake_response(&r, &h, err))
        return kc_error_prefix(err, "SaslHandshake from broker %s", c->name);
    if (h.error_code != 0)
        return kc_error_set(err, KC_ERR_AUTH, "broker %s does not enable SASL mechanism %s (it enables %s)", c->name,
                            mech, h.mechanisms[0] ? h.mechanisms : "none");
    kc_kafka_sasl_authenticate a;
    if (s->mech == KC_SASL_PLAIN) {
        char msg[1024];
        long n = kc_sasl_plain_message(s->user ? s->user : "", s->password ? s->password : "", msg, sizeof msg);
        if (n < 0)
            return kc_error_set(err, KC_ERR_AUTH, "SASL/PLAIN credentials too long");
        rc = sasl_round(c, auth_version, msg, (size_t)n, deadline, &a, err);
        OPENSSL_cleanse(msg, sizeof msg);
        return rc;
    }
    kc_scram *sc = kc_scram_new(s->mech, s->user ? s->user : "", s->password ? s->password : "", NULL, err);
    if (!sc)
        return -1;
    size_t n = 0;
    const char *first = kc_scram_client_first(sc, &n);
    const char *final = NULL;
    size_t final_len = 0;
    rc = -1;
    if (sasl_round(c, auth_version, first, n, deadline, &a, err) == 0 &&
        kc_scram_client_final(sc, (const char *)a.auth_bytes, a.auth_len, &final, &final_len, err) == 0 &&
        sasl_round(c, auth_version, final, final_len, deadline, &a, err) == 0 &&
        kc_scram_server_final(sc, (const char *)a.auth_bytes, a.auth_len, err) == 0)
        rc = 0;
    kc_scram_free(sc);
    if (rc && err && err->code != KC_ERR_IO && err->code != KC_ERR_TIMEOUT)
        err->code = KC_ERR_AUTH;
    return rc;
}

kc_broker_conn *kc_broker_conn_open(const kc_broker_settings *s, const char *host, int port, kc_error *err)
{
    if (!host || strlen(host) >= 256 || port <= 0 || port > 65535) {
        kc_error_set(err, KC_ERR_INVALID, "bad broker address");
        return NULL;
    }
    kc_broker_conn *c = calloc(1, sizeof *c);
    if (!c) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    c->fd = -1;
    snprintf(c->host, sizeof c->host, "%s", host);
    snprintf(c->name, sizeof c->name, "%s:%d", host, port);
    snprintf(c->client_id, sizeof c->client_id, "%s", s->client_id ? s->client_id : "kconnect");
    long deadline = now_ms() + (s->connect_timeout_ms > 0 ? s->connect_timeout_ms : 10000);
    if (tcp_connect(c, port, deadline, err) || (s->tls && tls_connect(c, s, deadline, err)) ||
        api_versions(c, deadline, err) || (s->sasl && sasl_login(c, s, deadline, err))) {
        kc_broker_conn_close(c);
        return NULL;
    }
    return c;
}

void kc_broker_conn_close(kc_broker_conn *c)
{
    if (!c)
        return;
    if (c->ssl) {
        SSL_shutdown(c->ssl); /* best effort, non-blocking socket */
        SSL_free(c->ssl);
        ERR_clear_error();
    }
    SSL_CTX_free(c->ctx);
    if (c->fd >= 0)
        close(c->fd);
    free(c->resp);
    free(c);
}

const char *kc_broker_conn_name(const kc_broker_conn *c) { return c->name; }

int kc_broker_conn_api_max(const kc_broker_conn *c, int16_t api_key)
{
    return kc_kafka_api_max_version(&c->versions, api_key);
}

int32_t kc_broker_conn_next_corr(kc_broker_conn *c)
{
    c->corr = c->corr == INT32_MAX ? 1 : c->corr + 1;
    return c->corr;
}

int kc_broker_conn_roundtrip(kc_broker_conn *c, const void *frame, size_t frame_len, int32_t corr, int timeout_ms,
                             const unsigned char **payload, size_t *len, kc_error *err)
{
    int rc = roundtrip(c, frame, frame_len, corr, now_ms() + timeout_ms, KC_KAFKA_FRAME_MAX, payload, len, err);
    if (rc && c->fd >= 0) {
        /* a half-read response cannot be resynchronised: the connection is done */
        if (c->ssl) {
            SSL_free(c->ssl);
            c->ssl = NULL;
            ERR_clear_error();
        }
        close(c->fd);
        c->fd = -1;
    }
    return rc;
}
