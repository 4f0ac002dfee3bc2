/*
 * One bridged connection (bridge_internal.h), layer by layer, each one section of this file:
 *   TCP     a non-blocking connect to the address librdkafka resolved (tcp_*)
 *   TLS     an OpenSSL bufferevent on that socket when the protocol was SASL_SSL (tls_*)
 *   SASL    ApiVersions -> SaslHandshake -> SaslAuthenticate x n over Kafka frames (sasl_*), with
 *           the codecs of protocol.h and the mechanisms of scram.h
 *   relay   bytes both ways between librdkafka's socketpair end and the broker (relay_*)
 * A connection walks its states (bridge_internal.h) only through conn_set_state, which logs each
 * step at TRACE, so a stuck connection tells where it is and since when.
 *
 * Threads: everything here runs on the bridge thread, except kc_bridge_conn_new (any thread) and
 * kc_bridge_conn_close_all (kc_bridge_shutdown, after that thread was joined). Every bufferevent
 * defers its callbacks, so no callback runs inside another and a connection may be closed from any
 * callback.
 */
#include "bridge_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "connect/api/log.h"
#include "protocol.h"

#define AUTH_FRAME_MAX (64 * 1024)      /* pre-authentication answers are small */
#define DRAIN_TIMEOUT_S 10              /* a closing side gets this long to flush the other */
#define RELAY_READ (256 * 1024)         /* bytes per read() of a plain socket while relaying */
#define SOFTWARE_NAME "kconnect"
#define SOFTWARE_VERSION "1.0"

typedef kc_bridge_conn conn;

static const char *const state_names[] = {"QUEUED", "CONNECTING", "TLS", "API_VERSIONS",
                                          "HANDSHAKE", "AUTH", "RELAY", "DRAINING"};

static conn *live;                      /* started connections (bridge thread) */
static atomic_size_t count;             /* connections made and not yet closed */

size_t kc_bridge_connection_count(void)
{
    return atomic_load(&count);
}

/* ---- connections: life cycle ----------------------------------------------------------------- */

static void conn_set_state(conn *c, kc_bridge_state state)
{
    if (kc_log_enabled(KC_LOG_TRACE, KC_BRIDGE_LOGGER))
        kc_log(KC_LOG_TRACE, KC_BRIDGE_LOGGER, "%s: %s -> %s after %ld ms", c->broker, state_names[c->state],
               state_names[state], kc_bridge_now_ms() - c->started_ms);
    c->state = state;
}

void kc_bridge_conn_close(conn *c)
{
    if (c->state != KC_BRIDGE_QUEUED) { /* on the live list */
        if (c->prev)
            c->prev->next = c->next;
        else
            live = c->next;
        if (c->next)
            c->next->prev = c->prev;
    }
    if (c->connect_ev)
        event_free(c->connect_ev);
    if (c->deadline)
        event_free(c->deadline);
    if (c->local)
        bufferevent_free(c->local);
    else if (c->local_fd >= 0)
        close(c->local_fd);
    if (c->up)
        bufferevent_free(c->up);
    else if (c->up_fd >= 0)
        close(c->up_fd);
    kc_scram_free(c->scram);
    kc_bridge_cfg_unref(c->cfg);
    free(c);
    atomic_fetch_sub(&count, 1);
}

/* Records the error as the client's last bridge error, logs it and closes c, which librdkafka
 * then sees as a disconnect. */
static void conn_fail(conn *c, kc_error_code code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void conn_fail(conn *c, kc_error_code code, const char *fmt, ...)
{
    char msg[KC_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kc_bridge_record_error(c->cfg, code, "%s: %s", c->broker, msg);
    kc_bridge_conn_close(c);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    conn *c = arg;
    long ms = kc_bridge_now_ms() - c->started_ms;
    switch (c->state) {
    case KC_BRIDGE_CONNECTING:
        conn_fail(c, KC_ERR_UNREACHABLE, "Connect to %s timed out after %ld ms", c->addr_text, ms);
        break;
    case KC_BRIDGE_TLS:
        conn_fail(c, KC_ERR_TLS, "SSL handshake timed out after %ld ms", ms);
        break;
    default:
        conn_fail(c, KC_ERR_UNREACHABLE, "no answer during SASL authentication (state %s) after %ld ms",
                  state_names[c->state], ms);
        break;
    }
}

/* ---- relay ----------------------------------------------------------------------------------- */

static struct bufferevent *other_side(conn *c, struct bufferevent *bev)
{
    return bev == c->local ? c->up : c->local;
}

/* Moves what `from` has read to the other side's output; pauses `from` while that is full. */
static void relay_move(conn *c, struct bufferevent *from)
{
    struct bufferevent *to = other_side(c, from);
    struct evbuffer *out = bufferevent_get_output(to);
    evbuffer_add_buffer(out, bufferevent_get_input(from));
    /* libevent 2.1 reads at most 4 KiB per readiness event; read a plain socket on directly into
     * the other side's output, in large steps, until it would block. EOF and errors are left for
     * libevent's next read to find (a socket repeats them). */
    int fd = (from == c->local || !c->cfg->tls) ? bufferevent_getfd(from) : -1;
    while (fd >= 0 && evbuffer_get_length(out) < KC_BRIDGE_BUFFER_MAX) {
        struct evbuffer_iovec vec[2];
        int n = evbuffer_reserve_space(out, RELAY_READ, vec, 2);
        if (n <= 0)
            break;
        ssize_t r = readv(fd, (struct iovec *)vec, n);
        if (r <= 0)
            break;
        int used = 1;
        if ((size_t)r > vec[0].iov_len) {
            vec[1].iov_len = (size_t)r - vec[0].iov_len;
            used = 2;
        } else {
            vec[0].iov_len = (size_t)r;
        }
        evbuffer_commit_space(out, vec, used);
        if ((size_t)r < RELAY_READ)
            break; /* drained for now */
    }
    if (evbuffer_get_length(out) >= KC_BRIDGE_BUFFER_MAX)
        bufferevent_disable(from, EV_READ);
}

/* `from` reached EOF or failed: hand over what it still had, flush the other side, then close. */
static void relay_end(conn *c, struct bufferevent *from, short what)
{
    struct bufferevent *to = other_side(c, from);
    kc_log(KC_LOG_DEBUG, KC_BRIDGE_LOGGER, "%s: %s closed the connection%s after %ld ms", c->broker,
           from == c->local ? "client" : "broker", (what & BEV_EVENT_ERROR) ? " (error)" : "",
           kc_bridge_now_ms() - c->started_ms);
    evbuffer_add_buffer(bufferevent_get_output(to), bufferevent_get_input(from));
    conn_set_state(c, KC_BRIDGE_DRAINING);
    bufferevent_disable(from, EV_READ | EV_WRITE);
    bufferevent_disable(to, EV_READ);
    if (evbuffer_get_length(bufferevent_get_output(to)) == 0) {
        kc_bridge_conn_close(c);
        return;
    }
    struct timeval tv = {DRAIN_TIMEOUT_S, 0};
    bufferevent_set_timeouts(to, NULL, &tv);
}

static void enter_relay(conn *c, int64_t session_lifetime_ms)
{
    kc_scram_free(c->scram);
    c->scram = NULL;
    event_del(c->deadline);
    conn_set_state(c, KC_BRIDGE_RELAY);
    kc_log(KC_LOG_DEBUG, KC_BRIDGE_LOGGER, "%s: logged in as %s with %s in %ld ms%s", c->broker, c->cfg->user,
           kc_sasl_mech_name(c->cfg->mech), kc_bridge_now_ms() - c->started_ms,
           session_lifetime_ms > 0 ? " (the broker expires the session: it will close the connection, "
                                     "re-authentication is not supported)"
                                   : "");
    bufferevent_setwatermark(c->up, EV_WRITE, KC_BRIDGE_BUFFER_MAX / 2, 0);
    bufferevent_setwatermark(c->local, EV_WRITE, KC_BRIDGE_BUFFER_MAX / 2, 0);
    bufferevent_set_max_single_write(c->up, RELAY_READ); /* libevent's default is 16 KiB per event */
    bufferevent_set_max_single_write(c->local, RELAY_READ);
    bufferevent_set_max_single_read(c->up, RELAY_READ);
    relay_move(c, c->local); /* librdkafka's first request, waiting since connect_cb */
    relay_move(c, c->up);
    bufferevent_enable(c->local, EV_READ | EV_WRITE);
    bufferevent_enable(c->up, EV_READ | EV_WRITE);
}

/* Output drained below the low watermark: resume the paused side, or finish a drain. */
static void on_write(struct bufferevent *bev, void *arg)
{
    conn *c = arg;
    if (c->state == KC_BRIDGE_DRAINING) {
        if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
            kc_bridge_conn_close(c);
        return;
    }
    if (c->state == KC_BRIDGE_RELAY) {
        struct bufferevent *from = other_side(c, bev);
        if (!(bufferevent_get_enabled(from) & EV_READ))
            bufferevent_enable(from, EV_READ);
    }
}

/* ---- SASL ------------------------------------------------------------------------------------ */

static int sasl_send(conn *c, kc_kbuf *b)
{
    int rc = b->failed ? -1 : bufferevent_write(c->up, b->data, b->len);
    kc_kbuf_free(b);
    if (rc)
        conn_fail(c, KC_ERR_INTERNAL, "cannot send a SASL request (out of memory)");
    return rc;
}

static int send_api_versions(conn *c)
{
    kc_kbuf b;
    kc_kbuf_init(&b, AUTH_FRAME_MAX);
    kc_kafka_api_versions_request(&b, c->api_versions_version, ++c->corr, c->cfg->client_id, SOFTWARE_NAME,
                                  SOFTWARE_VERSION);
    return sasl_send(c, &b);
}

static void sasl_start(conn *c)
{
    conn_set_state(c, KC_BRIDGE_API_VERSIONS);
    c->api_versions_version = 3;
    send_api_versions(c);
}

/* Sends the first SaslAuthenticate of the mechanism. */
static int sasl_first_auth(conn *c)
{
    kc_error err;
    kc_kbuf b;
    kc_kbuf_init(&b, AUTH_FRAME_MAX);
    c->auth_round = 1;
    conn_set_state(c, KC_BRIDGE_AUTH);
    if (c->cfg->mech == KC_SASL_PLAIN) {
        char msg[1024];
        long n = kc_sasl_plain_message(c->cfg->user, c->cfg->password, msg, sizeof msg);
        if (n < 0) {
            conn_fail(c, KC_ERR_AUTH, "SASL/PLAIN user name and password are too long");
            return -1;
        }
        kc_kafka_sasl_authenticate_request(&b, c->auth_version, ++c->corr, c->cfg->client_id, msg, (size_t)n);
        OPENSSL_cleanse(msg, sizeof msg);
        return sasl_send(c, &b);
    }
    c->scram = kc_scram_new(c->cfg->mech, c->cfg->user, c->cfg->password, NULL, &err);
    if (!c->scram) {
        conn_fail(c, KC_ERR_AUTH, "SASL authentication error: %s", err.msg);
        return -1;
    }
    size_t len;
    const char *first = kc_scram_client_first(c->scram, &len);
    kc_kafka_sasl_authenticate_request(&b, c->auth_version, ++c->corr, c->cfg->client_id, first, len);
    return sasl_send(c, &b);
}

/* One complete response frame in the SASL states. 0 to go on reading, -1 when c was closed. */
static int sasl_response(conn *c, const unsigned char *payload, size_t len)
{
    kc_error err;
    kc_kreader r;
    int32_t corr;
    int16_t api_key = c->state == KC_BRIDGE_API_VERSIONS ? KC_API_API_VERSIONS
                      : c->state == KC_BRIDGE_HANDSHAKE  ? KC_API_SASL_HANDSHAKE
                                                  : KC_API_SASL_AUTHENTICATE;
    int16_t version = c->state == KC_BRIDGE_API_VERSIONS ? c->api_versions_version
                      : c->state == KC_BRIDGE_HANDSHAKE  ? 1
                                                  : c->auth_version;
    if (kc_kafka_response_begin(&r, payload, len, api_key, version, &corr, &err)) {
        conn_fail(c, KC_ERR_UNREACHABLE, "%s", err.msg);
        return -1;
    }
    if (corr != c->corr) {
        conn_fail(c, KC_ERR_UNREACHABLE, "response correlation id %d, expected %d", corr, c->corr);
        return -1;
    }

    if (c->state == KC_BRIDGE_API_VERSIONS) {
        kc_kafka_api_versions v;
        if (kc_kafka_api_versions_response(&r, version, &v, &err)) {
            conn_fail(c, KC_ERR_UNREACHABLE, "%s", err.msg);
            return -1;
        }
        if (v.error_code == KC_KAFKA_ERR_UNSUPPORTED_VERSION && c->api_versions_version > 0) {
            int max = kc_kafka_api_max_version(&v, KC_API_API_VERSIONS);
            c->api_versions_version = (int16_t)(max >= 0 && max < c->api_versions_version ? max : 0);
            return send_api_versions(c);
        }
        if (v.error_code) {
            conn_fail(c, KC_ERR_UNREACHABLE, "ApiVersions failed: broker error %d", v.error_code);
            return -1;
        }
        int handshake = kc_kafka_api_max_version(&v, KC_API_SASL_HANDSHAKE);
        int authenticate = kc_kafka_api_max_version(&v, KC_API_SASL_AUTHENTICATE);
        if (handshake < 1 || authenticate < 0) {
            conn_fail(c, KC_ERR_AUTH,
                      "the broker does not offer SaslHandshake v1 and SaslAuthenticate (Kafka 1.0 or newer is "
                      "needed)");
            return -1;
        }
        c->auth_version = (int16_t)(authenticate > 2 ? 2 : authenticate);
        kc_kbuf b;
        kc_kbuf_init(&b, AUTH_FRAME_MAX);
        kc_kafka_sasl_handshake_request(&b, ++c->corr, c->cfg->client_id, kc_sasl_mech_name(c->cfg->mech));
        conn_set_state(c, KC_BRIDGE_HANDSHAKE);
        return sasl_send(c, &b);
    }

    if (c->state == KC_BRIDGE_HANDSHAKE) {
        kc_kafka_sasl_handshake h;
        if (kc_kafka_sasl_handshake_response(&r, &h, &err)) {
            conn_fail(c, KC_ERR_UNREACHABLE, "%s", err.msg);
            return -1;
        }
        if (h.error_code == KC_KAFKA_ERR_UNSUPPORTED_SASL_MECHANISM) {
            conn_fail(c, KC_ERR_AUTH, "Unsupported SASL mechanism: %s is not enabled on this listener (it "
                      "enables %s)", kc_sasl_mech_name(c->cfg->mech), h.mechanisms[0] ? h.mechanisms : "none");
            return -1;
        }
        if (h.error_code == KC_KAFKA_ERR_ILLEGAL_SASL_STATE) {
            conn_fail(c, KC_ERR_AUTH, "SASL handshake failed: this listener does not take SASL (ILLEGAL_SASL_STATE); "
                      "security.protocol must match the listener");
            return -1;
        }
        if (h.error_code) {
            conn_fail(c, KC_ERR_AUTH, "SASL handshake failed: broker error %d", h.error_code);
            return -1;
        }
        return sasl_first_auth(c);
    }

    kc_kafka_sasl_authenticate a;
    if (kc_kafka_sasl_authenticate_response(&r, c->auth_version, &a, &err)) {
        conn_fail(c, KC_ERR_UNREACHABLE, "%s", err.msg);
        return -1;
    }
    if (a.error_code) {
        if (a.error_message)
            conn_fail(c, KC_ERR_AUTH, "SASL authentication error: %.*s", (int)(a.error_message_len > 300 ? 300 :
                      a.error_message_len), a.error_message);
        else
            conn_fail(c, KC_ERR_AUTH, "SASL authentication error: broker error %d with SASL mechanism %s",
                      a.error_code, kc_sasl_mech_name(c->cfg->mech));
        return -1;
    }
    if (c->cfg->mech == KC_SASL_PLAIN) {
        enter_relay(c, a.session_lifetime_ms);
        return 0;
    }
    if (c->auth_round == 1) {
        const char *final;
        size_t final_len;
        if (kc_scram_client_final(c->scram, (const char *)a.auth_bytes, a.auth_len, &final, &final_len, &err)) {
            conn_fail(c, KC_ERR_AUTH, "SASL authentication error: %s", err.msg);
            return -1;
        }
        kc_kbuf b;
        kc_kbuf_init(&b, AUTH_FRAME_MAX);
        kc_kafka_sasl_authenticate_request(&b, c->auth_version, ++c->corr, c->cfg->client_id, final, final_len);
        c->auth_round = 2;
        return sasl_send(c, &b);
    }
    if (kc_scram_server_final(c->scram, (const char *)a.auth_bytes, a.auth_len, &err)) {
        conn_fail(c, KC_ERR_AUTH, "SASL authentication error: %s", err.msg);
        return -1;
    }
    enter_relay(c, a.session_lifetime_ms);
    return 0;
}

/* Reads complete frames from the broker while logging in. */
static void sasl_read(conn *c)
{
    struct evbuffer *in = bufferevent_get_input(c->up);
    while (c->state >= KC_BRIDGE_API_VERSIONS && c->state <= KC_BRIDGE_AUTH) {
        unsigned char prefix[4];
        if (evbuffer_copyout(in, prefix, 4) < 4)
            return;
        size_t size;
        kc_error err;
        if (kc_kafka_frame_size(prefix, AUTH_FRAME_MAX, &size, &err)) {
            conn_fail(c, KC_ERR_UNREACHABLE, "%s", err.msg);
            return;
        }
        if (evbuffer_get_length(in) < 4 + size)
            return;
        unsigned char *payload = malloc(size);
        if (!payload) {
            conn_fail(c, KC_ERR_INTERNAL, "out of memory");
            return;
        }
        evbuffer_drain(in, 4);
        evbuffer_remove(in, payload, size);
        int rc = sasl_response(c, payload, size);
        OPENSSL_cleanse(payload, size);
        free(payload);
        if (rc)
            return; /* c is gone */
    }
}

/* ---- bufferevent callbacks ------------------------------------------------------------------- */

static void on_up_read(struct bufferevent *bev, void *arg)
{
    conn *c = arg;
    if (c->state == KC_BRIDGE_RELAY)
        relay_move(c, bev);
    else if (c->state >= KC_BRIDGE_API_VERSIONS && c->state <= KC_BRIDGE_AUTH)
        sasl_read(c);
}

static void on_local_read(struct bufferevent *bev, void *arg)
{
    conn *c = arg;
    if (c->state == KC_BRIDGE_RELAY)
        relay_move(c, bev);
    /* before: librdkafka's ApiVersions request waits in the input buffer */
}

static void tls_fail(conn *c, short what)
{
    char detail[320] = "";
    SSL *ssl = bufferevent_openssl_get_ssl(c->up);
    long verify = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
    unsigned long e, first = 0;
    while ((e = bufferevent_get_openssl_error(c->up)) != 0)
        if (!first)
            first = e;
    ERR_clear_error();
    int eof = (what & BEV_EVENT_EOF) || ERR_GET_REASON(first) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
    if (verify != X509_V_OK) {
        int name = verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH;
        conn_fail(c, KC_ERR_TLS, "SSL handshake failed: certificate verify failed: %s (%s)",
                  X509_verify_cert_error_string(verify),
                  name ? "the broker's certificate does not name this host; ssl.endpoint.identification.algorithm="
                         " (empty) turns the check off"
                       : "the broker's certificate is not signed by a CA in ssl.truststore.location / "
                         "ssl.truststore.certificates");
        return;
    }
    int sock_err = EVUTIL_SOCKET_ERROR();
    if (eof || (!first && !sock_err))
        snprintf(detail, sizeof detail, "the broker closed the connection during the handshake (is this a "
                                        "SASL_SSL listener? does it require a client certificate?)");
    else if (first)
        ERR_error_string_n(first, detail, sizeof detail);
    else
        snprintf(detail, sizeof detail, "%s", evutil_socket_error_to_string(sock_err));
    conn_fail(c, KC_ERR_TLS, "SSL handshake failed: %s", detail);
}

static void on_up_event(struct bufferevent *bev, short what, void *arg)
{
    (void)bev;
    conn *c = arg;
    if (c->state == KC_BRIDGE_TLS) {
        if (what & BEV_EVENT_CONNECTED) {
            kc_log(KC_LOG_TRACE, KC_BRIDGE_LOGGER, "%s: TLS established (%s)", c->broker,
                   SSL_get_version(bufferevent_openssl_get_ssl(c->up)));
            sasl_start(c);
        } else if (what & (BEV_EVENT_ERROR | BEV_EVENT_EOF)) {
            tls_fail(c, what);
        }
        return;
    }
    if (!(what & (BEV_EVENT_ERROR | BEV_EVENT_EOF | BEV_EVENT_TIMEOUT)))
        return;
    if (c->state == KC_BRIDGE_RELAY) {
        relay_end(c, c->up, what);
    } else if (c->state == KC_BRIDGE_DRAINING) {
        kc_bridge_conn_close(c);
    } else {
        /* with TLS 1.3 the broker checks the client certificate after the client's handshake is done:
         * its refusal arrives now, as an alert */
        unsigned long e, first = 0;
        while (c->cfg->tls && (e = bufferevent_get_openssl_error(c->up)) != 0)
            if (!first)
                first = e;
        if (first) {
            char detail[256];
            ERR_error_string_n(first, detail, sizeof detail);
            ERR_clear_error();
            int cert = ERR_GET_REASON(first) == SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED ||
                       ERR_GET_REASON(first) == SSL_R_SSLV3_ALERT_BAD_CERTIFICATE;
            conn_fail(c, KC_ERR_TLS, "SSL handshake failed: %s%s", detail,
                      cert ? " (the broker wants a client certificate it trusts: ssl.keystore.*)" : "");
            return;
        }
        int sock_err = EVUTIL_SOCKET_ERROR();
        conn_fail(c, KC_ERR_UNREACHABLE, "the broker closed the connection during SASL authentication%s%s "
                  "(is this a SASL listener?)", (what & BEV_EVENT_ERROR) && sock_err ? ": " : "",
                  (what & BEV_EVENT_ERROR) && sock_err ? evutil_socket_error_to_string(sock_err) : "");
    }
}

static void on_local_event(struct bufferevent *bev, short what, void *arg)
{
    conn *c = arg;
    if (!(what & (BEV_EVENT_ERROR | BEV_EVENT_EOF | BEV_EVENT_TIMEOUT)))
        return;
    if (c->state == KC_BRIDGE_RELAY) {
        relay_end(c, bev, what);
        return;
    }
    if (c->state != KC_BRIDGE_DRAINING)
        kc_log(KC_LOG_DEBUG, KC_BRIDGE_LOGGER, "%s: the client gave up the connection in state %s after %ld ms",
               c->broker, state_names[c->state], kc_bridge_now_ms() - c->started_ms);
    kc_bridge_conn_close(c);
}

/* ---- TLS ------------------------------------------------------------------------------------- */

static int ssl_err(kc_error *err, const char *what)
{
    char detail[256] = "";
    unsigned long e = ERR_peek_last_error();
    if (e)
        ERR_error_string_n(e, detail, sizeof detail);
    ERR_clear_error();
    return kc_error_set(err, KC_ERR_TLS, "%s%s%s", what, detail[0] ? ": " : "", detail);
}

int kc_bridge_tls_context(kc_bridge_cfg *cfg, kc_error *err)
{
    if (cfg->ssl_ctx)
        return 0;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx)
        return ssl_err(err, "cannot create a TLS context");
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, cfg->verify_peer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, NULL);
    if (cfg->ciphers && SSL_CTX_set_cipher_list(ctx, cfg->ciphers) != 1) {
        ssl_err(err, "ssl.cipher.suites: no usable cipher");
        goto fail;
    }
    if (cfg->ca_pem) {
        BIO *bio = BIO_new_mem_buf(cfg->ca_pem, -1);
        X509_STORE *store = SSL_CTX_get_cert_store(ctx);
        X509 *x;
        int n = 0;
        while (bio && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
            X509_STORE_add_cert(store, x);
            X509_free(x);
            n++;
        }
        BIO_free(bio);
        ERR_clear_error();
        if (n == 0) {
            kc_error_set(err, KC_ERR_TLS, "ssl.truststore.certificates: no PEM certificate found");
            goto fail;
        }
    } else if (cfg->ca_location && strcmp(cfg->ca_location, "probe") != 0) {
        struct stat st;
        int dir = stat(cfg->ca_location, &st) == 0 && S_ISDIR(st.st_mode);
        if (SSL_CTX_load_verify_locations(ctx, dir ? NULL : cfg->ca_location, dir ? cfg->ca_location : NULL) != 1) {
            char what[600];
            snprintf(what, sizeof what, "cannot load the CA certificates of %s", cfg->ca_location);
            ssl_err(err, what);
            goto fail;
        }
    } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
        ssl_err(err, "cannot load the system's CA certificates");
        goto fail;
    }
    if (cfg->key_password)
        SSL_CTX_set_default_passwd_cb_userdata(ctx, cfg->key_password);
    if (cfg->cert_location && SSL_CTX_use_certificate_chain_file(ctx, cfg->cert_location) != 1) {
        ssl_err(err, "cannot load the client certificate (ssl.keystore.location)");
        goto fail;
    }
    if (cfg->key_location && SSL_CTX_use_PrivateKey_file(ctx, cfg->key_location, SSL_FILETYPE_PEM) != 1) {
        ssl_err(err, "cannot load the client key (ssl.keystore.location, ssl.key.password)");
        goto fail;
    }
    if (cfg->cert_pem) {
        BIO *bio = BIO_new_mem_buf(cfg->cert_pem, -1);
        X509 *leaf = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
        int ok = leaf && SSL_CTX_use_certificate(ctx, leaf) == 1;
        X509_free(leaf);
        X509 *x;
        while (ok && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
            if (SSL_CTX_add0_chain_cert(ctx, x) != 1) {
                X509_free(x);
                ok = 0;
            }
        BIO_free(bio);
        if (!ok) {
            ssl_err(err, "cannot use ssl.keystore.certificate.chain");
            goto fail;
        }
        ERR_clear_error();
    }
    if (cfg->key_pem) {
        BIO *bio = BIO_new_mem_buf(cfg->key_pem, -1);
        EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, cfg->key_password) : NULL;
        int ok = key && SSL_CTX_use_PrivateKey(ctx, key) == 1;
        EVP_PKEY_free(key);
        BIO_free(bio);
        if (!ok) {
            ssl_err(err, "cannot use ssl.keystore.key (is ssl.key.password right?)");
            goto fail;
        }
    }
    if ((cfg->cert_location || cfg->cert_pem) && SSL_CTX_check_private_key(ctx) != 1) {
        ssl_err(err, "the client key does not match the client certificate");
        goto fail;
    }
    cfg->ssl_ctx = ctx;
    return 0;
fail:
    SSL_CTX_free(ctx);
    return -1;
}

static void tls_start(conn *c, int fd)
{
    SSL *ssl = SSL_new(c->cfg->ssl_ctx); /* made by kc_bridge_conf_take */
    if (!ssl) {
        close(fd);
        conn_fail(c, KC_ERR_TLS, "cannot create a TLS session");
        return;
    }
    unsigned char ipbuf[sizeof(struct in6_addr)];
    int is_ip = inet_pton(AF_INET, c->host, ipbuf) == 1 || inet_pton(AF_INET6, c->host, ipbuf) == 1;
    if (!is_ip)
        SSL_set_tlsext_host_name(ssl, c->host);
    if (c->cfg->verify_peer && c->cfg->verify_host) {
        X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, c->host) : X509_VERIFY_PARAM_set1_host(param, c->host, 0);
        if (ok != 1) {
            SSL_free(ssl);
            close(fd);
            conn_fail(c, KC_ERR_TLS, "cannot check the host name %s", c->host);
            return;
        }
    }
    c->up = bufferevent_openssl_socket_new(c->base, fd, ssl, BUFFEREVENT_SSL_CONNECTING,
                                           BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
    if (!c->up) {
        SSL_free(ssl);
        close(fd);
        conn_fail(c, KC_ERR_INTERNAL, "cannot create a TLS bufferevent");
        return;
    }
    bufferevent_openssl_set_allow_dirty_shutdown(c->up, 1); /* brokers close without close_notify */
    conn_set_state(c, KC_BRIDGE_TLS);
    bufferevent_setwatermark(c->up, EV_READ, 0, KC_BRIDGE_BUFFER_MAX);
    bufferevent_setcb(c->up, on_up_read, on_write, on_up_event, c);
    bufferevent_enable(c->up, EV_READ | EV_WRITE);
}

/* ---- TCP ------------------------------------------------------------------------------------- */

static void tcp_connected(conn *c)
{
    int fd = c->up_fd;
    c->up_fd = -1;
    if (c->cfg->tls) {
        tls_start(c, fd);
        return;
    }
    c->up = bufferevent_socket_new(c->base, fd, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
    if (!c->up) {
        close(fd);
        conn_fail(c, KC_ERR_INTERNAL, "cannot create a bufferevent");
        return;
    }
    bufferevent_setwatermark(c->up, EV_READ, 0, KC_BRIDGE_BUFFER_MAX);
    bufferevent_setcb(c->up, on_up_read, on_write, on_up_event, c);
    bufferevent_enable(c->up, EV_READ | EV_WRITE);
    sasl_start(c);
}

static void on_tcp_connect(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    conn *c = arg;
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
        soerr = errno;
    event_free(c->connect_ev);
    c->connect_ev = NULL;
    if (soerr) {
        conn_fail(c, KC_ERR_UNREACHABLE, "Connect to %s failed: %s", c->addr_text, strerror(soerr));
        return;
    }
    tcp_connected(c);
}

static void tcp_options(const kc_bridge_cfg *cfg, int fd)
{
    int on = 1;
    /* the relay writes requests in pieces as they arrive: Nagle would hold back each tail */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (cfg->keepalive)
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    if (cfg->sndbuf > 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &cfg->sndbuf, sizeof cfg->sndbuf);
    if (cfg->rcvbuf > 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &cfg->rcvbuf, sizeof cfg->rcvbuf);
}

void kc_bridge_conn_start(conn *c, struct event_base *base)
{
    c->base = base;
    c->prev = NULL;
    c->next = live;
    if (live)
        live->prev = c;
    live = c;
    c->started_ms = kc_bridge_now_ms();
    conn_set_state(c, KC_BRIDGE_CONNECTING);
    c->local = bufferevent_socket_new(c->base, c->local_fd, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
    c->deadline = evtimer_new(c->base, on_deadline, c);
    if (!c->local || !c->deadline) {
        conn_fail(c, KC_ERR_INTERNAL, "out of memory");
        return;
    }
    c->local_fd = -1;
    bufferevent_setwatermark(c->local, EV_READ, 0, KC_BRIDGE_BUFFER_MAX);
    bufferevent_setcb(c->local, on_local_read, on_write, on_local_event, c);
    bufferevent_enable(c->local, EV_READ);
    struct timeval tv = {c->cfg->setup_timeout_ms / 1000, (c->cfg->setup_timeout_ms % 1000) * 1000};
    event_base_update_cache_time(c->base); /* an earlier callback of this loop turn may have been slow */
    evtimer_add(c->deadline, &tv);

    c->up_fd = socket(c->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (c->up_fd < 0) {
        conn_fail(c, KC_ERR_UNREACHABLE, "cannot create a socket: %s", strerror(errno));
        return;
    }
    tcp_options(c->cfg, c->up_fd);
    if (connect(c->up_fd, (struct sockaddr *)&c->addr, c->addrlen) == 0) {
        tcp_connected(c);
        return;
    }
    if (errno != EINPROGRESS) {
        conn_fail(c, KC_ERR_UNREACHABLE, "Connect to %s failed: %s", c->addr_text, strerror(errno));
        return;
    }
    c->connect_ev = event_new(c->base, c->up_fd, EV_WRITE, on_tcp_connect, c);
    if (!c->connect_ev || event_add(c->connect_ev, NULL) != 0)
        conn_fail(c, KC_ERR_INTERNAL, "out of memory");
}


/* ---- making and closing ---------------------------------------------------------------------- */

static void format_addr(const struct sockaddr *addr, char *out, size_t len)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
        port = ntohs(in->sin_port);
        snprintf(out, len, "ipv4#%s:%d", ip, port);
    } else if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
        inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
        port = ntohs(in6->sin6_port);
        snprintf(out, len, "ipv6#[%s]:%d", ip, port);
    } else {
        snprintf(out, len, "family %d", addr->sa_family);
    }
}

kc_bridge_conn *kc_bridge_conn_new(kc_bridge_cfg *cfg, int peer, const struct sockaddr *addr, int addrlen,
                                   const char *id, int *errnum)
{
    if (addrlen <= 0 || (size_t)addrlen > sizeof(struct sockaddr_storage)) {
        *errnum = EINVAL;
        return NULL;
    }
    conn *c = calloc(1, sizeof *c);
    if (!c) {
        *errnum = ENOMEM;
        return NULL;
    }
    c->local_fd = peer;
    c->up_fd = -1;
    c->state = KC_BRIDGE_QUEUED;
    memcpy(&c->addr, addr, (size_t)addrlen);
    c->addrlen = (socklen_t)addrlen;
    format_addr(addr, c->addr_text, sizeof c->addr_text);
    /* id is librdkafka's node name "host:port" ("[v6]:port" or "v6:port" for IPv6 literals) */
    const char *name = id && *id ? id : c->addr_text;
    const char *colon = strrchr(name, ':');
    size_t hlen = colon ? (size_t)(colon - name) : strlen(name);
    if (hlen >= 2 && name[0] == '[' && name[hlen - 1] == ']') {
        name++;
        hlen -= 2;
    }
    if (hlen >= sizeof c->host)
        hlen = sizeof c->host - 1;
    memcpy(c->host, name, hlen);
    c->host[hlen] = '\0';
    snprintf(c->broker, sizeof c->broker, "%s://%s", cfg->tls ? "sasl_ssl" : "sasl_plaintext",
             id && *id ? id : c->addr_text);
    c->cfg = kc_bridge_cfg_ref(cfg);
    atomic_fetch_add(&count, 1);
    return c;
}

void kc_bridge_conn_close_all(void)
{
    while (live)
        kc_bridge_conn_close(live);
}
