/*
 * The SASL bridge's plumbing (bridge.h): the per-client settings taken from a mapped librdkafka
 * configuration, the interceptors that attach them to the configuration and its client, librdkafka's
 * socket/connect callbacks, the registry of clients with their last errors, and the bridge thread.
 * One connection's life (TCP -> TLS -> SASL -> relay) is in bridge_conn.c.
 *
 * Threads: kc_bridge_conf_take and the interceptors run on the caller's threads, socket_cb and
 * connect_cb on librdkafka's broker threads, which only queue a connection for the bridge thread
 * (a libevent loop started on first use) under g.lock and wake it with event_active.
 */
#include "bridge_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/thread.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "connect/api/log.h"

#define IC_NAME "kconnect.bridge"
#define LOG_REPEAT_MS 30000             /* the same error is logged at ERROR at most this often */

typedef kc_bridge_cfg bridge_cfg;
typedef kc_bridge_conn conn;

static struct {
    pthread_mutex_t lock;         /* guards all of g */
    bridge_cfg *clients;          /* registry: clients between on_new and on_destroy */
    kc_error last_error;          /* of any client */
    int running;
    int stopping;                 /* kc_bridge_shutdown at work: no new connections */
    int exiting;                  /* the process exits: never start again */
    pthread_t thread;
    struct event_base *base;
    struct event *wakeup;
    conn *queue;                  /* handed over by connect_cb, not yet started (newest first) */
} g = {.lock = PTHREAD_MUTEX_INITIALIZER};

static _Thread_local bridge_cfg *tls_cfg;       /* the client of this librdkafka broker thread */
static _Thread_local int tls_pending_fd = -1;   /* socket_cb's end, until connect_cb */
static _Thread_local int tls_pending_peer = -1; /* ... and the bridge's end */

/* ---- per-client settings --------------------------------------------------------------------- */

long kc_bridge_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void free_secret(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

void kc_bridge_cfg_unref(bridge_cfg *cfg)
{
    if (!cfg)
        return;
    /* a mutex, not an atomic: the last user's writes visibly happen before the free */
    pthread_mutex_lock(&cfg->lock);
    int last = --cfg->refs == 0;
    pthread_mutex_unlock(&cfg->lock);
    if (!last)
        return;
    free(cfg->user);
    free_secret(cfg->password);
    free(cfg->ca_location);
    free(cfg->ca_pem);
    free(cfg->cert_location);
    free(cfg->key_location);
    free_secret(cfg->key_password);
    free(cfg->cert_pem);
    free_secret(cfg->key_pem);
    free(cfg->ciphers);
    free(cfg->client_id);
    if (cfg->ssl_ctx)
        SSL_CTX_free(cfg->ssl_ctx);
    pthread_mutex_destroy(&cfg->lock);
    free(cfg);
}

bridge_cfg *kc_bridge_cfg_ref(bridge_cfg *cfg)
{
    pthread_mutex_lock(&cfg->lock);
    cfg->refs++;
    pthread_mutex_unlock(&cfg->lock);
    return cfg;
}

static bridge_cfg *cfg_alloc(void)
{
    bridge_cfg *cfg = calloc(1, sizeof *cfg);
    if (!cfg)
        return NULL;
    cfg->refs = 1;
    pthread_mutex_init(&cfg->lock, NULL);
    return cfg;
}

static int dup_opt(char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return 0;
    *dst = strdup(src);
    return *dst ? 0 : -1;
}

/* A copy of the settings for a duplicated configuration (its own errors; the TLS context is shared). */
static bridge_cfg *cfg_copy(const bridge_cfg *src)
{
    bridge_cfg *cfg = cfg_alloc();
    if (!cfg)
        return NULL;
    cfg->mech = src->mech;
    cfg->tls = src->tls;
    cfg->verify_peer = src->verify_peer;
    cfg->verify_host = src->verify_host;
    cfg->setup_timeout_ms = src->setup_timeout_ms;
    cfg->keepalive = src->keepalive;
    cfg->sndbuf = src->sndbuf;
    cfg->rcvbuf = src->rcvbuf;
    if (src->ssl_ctx && SSL_CTX_up_ref(src->ssl_ctx) == 1)
        cfg->ssl_ctx = src->ssl_ctx;
    if ((src->ssl_ctx && !cfg->ssl_ctx) || dup_opt(&cfg->user, src->user) || dup_opt(&cfg->password, src->password) ||
        dup_opt(&cfg->ca_location, src->ca_location) || dup_opt(&cfg->ca_pem, src->ca_pem) ||
        dup_opt(&cfg->cert_location, src->cert_location) || dup_opt(&cfg->key_location, src->key_location) ||
        dup_opt(&cfg->key_password, src->key_password) || dup_opt(&cfg->cert_pem, src->cert_pem) ||
        dup_opt(&cfg->key_pem, src->key_pem) || dup_opt(&cfg->ciphers, src->ciphers) ||
        dup_opt(&cfg->client_id, src->client_id)) {
        kc_bridge_cfg_unref(cfg);
        return NULL;
    }
    return cfg;
}

static void registry_remove_locked(bridge_cfg *cfg)
{
    for (bridge_cfg **p = &g.clients; *p; p = &(*p)->next) {
        if (*p == cfg) {
            *p = cfg->next;
            break;
        }
    }
    cfg->next = NULL;
    cfg->rk = NULL;
}

/* ---- errors ---------------------------------------------------------------------------------- */

void kc_bridge_record_error(bridge_cfg *cfg, kc_error_code code, const char *fmt, ...)
{
    kc_error e;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    e.code = code;
    long now = kc_bridge_now_ms();
    pthread_mutex_lock(&cfg->lock);
    cfg->last_error = e;
    int loud = strcmp(cfg->logged_msg, e.msg) != 0 || now - cfg->logged_ms >= LOG_REPEAT_MS;
    if (loud) {
        memcpy(cfg->logged_msg, e.msg, sizeof e.msg);
        cfg->logged_ms = now;
    }
    pthread_mutex_unlock(&cfg->lock);
    pthread_mutex_lock(&g.lock);
    g.last_error = e;
    pthread_mutex_unlock(&g.lock);
    kc_log(loud ? KC_LOG_ERROR : KC_LOG_DEBUG, KC_BRIDGE_LOGGER, "%s", e.msg);
}

int kc_bridge_last_error(const rd_kafka_t *rk, kc_error *err)
{
    kc_error e = {.code = KC_ERR_NONE};
    pthread_mutex_lock(&g.lock);
    if (!rk) {
        e = g.last_error;
    } else {
        for (bridge_cfg *cfg = g.clients; cfg; cfg = cfg->next) {
            if (cfg->rk == rk) {
                pthread_mutex_lock(&cfg->lock);
                e = cfg->last_error;
                pthread_mutex_unlock(&cfg->lock);
                break;
            }
        }
    }
    pthread_mutex_unlock(&g.lock);
    if (e.code == KC_ERR_NONE)
        return 0;
    if (err)
        *err = e;
    return 1;
}

/* ---- the bridge thread ----------------------------------------------------------------------- */

static void on_wakeup(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
    pthread_mutex_lock(&g.lock);
    conn *q = g.queue;
    g.queue = NULL;
    pthread_mutex_unlock(&g.lock);
    /* the queue is newest first: start the oldest first */
    conn *ordered = NULL;
    while (q) {
        conn *next = q->next;
        q->next = ordered;
        ordered = q;
        q = next;
    }
    while (ordered) {
        conn *c = ordered;
        ordered = c->next;
        kc_bridge_conn_start(c, g.base);
    }
}

static void *bridge_main(void *arg)
{
    struct event_base *base = arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE); /* a write to a closed peer returns EPIPE here instead */
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    kc_log(KC_LOG_DEBUG, KC_BRIDGE_LOGGER, "bridge thread started");
    event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
    return NULL;
}

static void init_evthread(void)
{
    evthread_use_pthreads();
}

/* Runs on the bridge thread at shutdown: closes every connection, then ends the loop after a short
 * grace period in which the deferred frees run. */
static void close_all_in_loop(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    kc_bridge_conn_close_all();
    struct timeval grace = {0, 100000};
    event_base_loopexit(arg, &grace);
}

/* At exit: stop for good (clients still alive get refused connections). */
static void bridge_atexit(void)
{
    pthread_mutex_lock(&g.lock);
    g.exiting = 1;
    pthread_mutex_unlock(&g.lock);
    kc_bridge_shutdown();
}

/* Starts the bridge thread unless it runs. g.lock held. 0, or -1 when it cannot (or must not). */
static int ensure_thread_locked(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    static int atexit_done;
    if (g.stopping || g.exiting)
        return -1;
    if (g.running)
        return 0;
    pthread_once(&once, init_evthread);
    if (!atexit_done) {
        /* exit handlers run last registered first: the bridge stops before OpenSSL cleans up */
        OPENSSL_init_ssl(0, NULL);
        atexit(bridge_atexit);
        atexit_done = 1;
    }
    g.base = event_base_new();
    if (!g.base)
        return -1;
    g.wakeup = event_new(g.base, -1, 0, on_wakeup, NULL);
    if (!g.wakeup || pthread_create(&g.thread, NULL, bridge_main, g.base) != 0) {
        if (g.wakeup)
            event_free(g.wakeup);
        event_base_free(g.base);
        g.wakeup = NULL;
        g.base = NULL;
        return -1;
    }
    pthread_setname_np(g.thread, "kc-bridge");
    g.running = 1;
    return 0;
}

void kc_bridge_shutdown(void)
{
    pthread_mutex_lock(&g.lock);
    if (!g.running || g.stopping) {
        pthread_mutex_unlock(&g.lock);
        return;
    }
    g.stopping = 1; /* from here on connect_cb refuses; earlier hand-overs are all queued */
    struct event_base *base = g.base;
    pthread_t thread = g.thread;
    pthread_mutex_unlock(&g.lock);
    /* close the connections on the bridge thread and let its loop run a little longer: libevent
     * frees bufferevents (and TLS filters) in deferred callbacks, which only run inside the loop */
    struct timeval now = {0, 0};
    if (event_base_once(base, -1, EV_TIMEOUT, close_all_in_loop, base, &now) != 0)
        event_base_loopbreak(base);
    pthread_join(thread, NULL);
    kc_bridge_conn_close_all(); /* nothing is left unless event_base_once failed */
    pthread_mutex_lock(&g.lock);
    conn *q = g.queue;
    g.queue = NULL;
    event_free(g.wakeup);
    event_base_free(g.base);
    g.wakeup = NULL;
    g.base = NULL;
    g.running = 0;
    g.stopping = 0;
    pthread_mutex_unlock(&g.lock);
    while (q) {
        conn *next = q->next;
        q->prev = q->next = NULL;
        kc_bridge_conn_close(q);
        q = next;
    }
}

/* ---- librdkafka callbacks (broker threads) --------------------------------------------------- */

static void drop_pending(void)
{
    if (tls_pending_peer >= 0)
        close(tls_pending_peer);
    tls_pending_fd = tls_pending_peer = -1;
}

static int bridge_socket_cb(int domain, int type, int protocol, void *opaque)
{
    (void)opaque;
    if (!tls_cfg) /* not a broker thread of a bridged client: an ordinary socket */
        return socket(domain, type | SOCK_CLOEXEC, protocol);
    drop_pending();
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0)
        return -1;
    tls_pending_fd = sv[0];
    tls_pending_peer = sv[1];
    return sv[0];
}

/* Queues a connection for the bridge thread. 0, or an errno value (peer is then the caller's). */
static int bridge_submit(bridge_cfg *cfg, int peer, const struct sockaddr *addr, int addrlen, const char *id)
{
    int errnum = 0;
    conn *c = kc_bridge_conn_new(cfg, peer, addr, addrlen, id, &errnum);
    if (!c)
        return errnum;
    pthread_mutex_lock(&g.lock);
    if (ensure_thread_locked() != 0) {
        pthread_mutex_unlock(&g.lock);
        c->local_fd = -1; /* the caller closes peer */
        kc_bridge_conn_close(c);
        return EAGAIN;
    }
    c->next = g.queue;
    g.queue = c;
    event_active(g.wakeup, 0, 0); /* under g.lock, so kc_bridge_shutdown cannot free it meanwhile */
    pthread_mutex_unlock(&g.lock);
    return 0;
}

static int bridge_connect_cb(int sockfd, const struct sockaddr *addr, int addrlen, const char *id, void *opaque)
{
    (void)opaque;
    if (!tls_cfg || sockfd != tls_pending_fd) {
        /* an ordinary socket from bridge_socket_cb: connect it as librdkafka would */
        if (connect(sockfd, addr, (socklen_t)addrlen) != 0 && errno != EINPROGRESS)
            return errno;
        return 0;
    }
    int peer = tls_pending_peer;
    tls_pending_fd = tls_pending_peer = -1;
    int rc = bridge_submit(tls_cfg, peer, addr, addrlen, id);
    if (rc)
        close(peer);
    return rc; /* 0: librdkafka's end is connected, the bridge does the rest */
}

/* ---- interceptors: per-client state ---------------------------------------------------------- */

static rd_kafka_resp_err_t ic_on_thread_start(rd_kafka_t *rk, rd_kafka_thread_type_t type, const char *name,
                                              void *ic_opaque)
{
    (void)rk;
    (void)name;
    if (type == RD_KAFKA_THREAD_BROKER)
        tls_cfg = ic_opaque;
    return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_on_thread_exit(rd_kafka_t *rk, rd_kafka_thread_type_t type, const char *name,
                                             void *ic_opaque)
{
    (void)rk;
    (void)type;
    (void)name;
    (void)ic_opaque;
    drop_pending();
    tls_cfg = NULL;
    return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_on_destroy(rd_kafka_t *rk, void *ic_opaque)
{
    (void)rk;
    pthread_mutex_lock(&g.lock);
    registry_remove_locked(ic_opaque);
    pthread_mutex_unlock(&g.lock);
    return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_on_new(rd_kafka_t *rk, const rd_kafka_conf_t *conf, void *ic_opaque, char *errstr,
                                     size_t errstr_size)
{
    (void)conf;
    bridge_cfg *cfg = ic_opaque;
    pthread_mutex_lock(&g.lock);
    registry_remove_locked(cfg);
    cfg->rk = rk;
    cfg->next = g.clients;
    g.clients = cfg;
    pthread_mutex_unlock(&g.lock);
    if (rd_kafka_interceptor_add_on_destroy(rk, IC_NAME, ic_on_destroy, cfg) ||
        rd_kafka_interceptor_add_on_thread_start(rk, IC_NAME, ic_on_thread_start, cfg) ||
        rd_kafka_interceptor_add_on_thread_exit(rk, IC_NAME, ic_on_thread_exit, cfg)) {
        snprintf(errstr, errstr_size, "cannot install the SASL bridge's interceptors");
        return RD_KAFKA_RESP_ERR__INVALID_ARG;
    }
    return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t ic_on_conf_destroy(void *ic_opaque)
{
    bridge_cfg *cfg = ic_opaque;
    pthread_mutex_lock(&g.lock);
    registry_remove_locked(cfg);
    pthread_mutex_unlock(&g.lock);
    kc_bridge_cfg_unref(cfg);
    return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static int install(rd_kafka_conf_t *conf, bridge_cfg *cfg);

static rd_kafka_resp_err_t ic_on_conf_dup(rd_kafka_conf_t *new_conf, const rd_kafka_conf_t *old_conf,
                                          size_t filter_cnt, const char **filter, void *ic_opaque)
{
    (void)old_conf;
    (void)filter_cnt;
    (void)filter;
    bridge_cfg *copy = cfg_copy(ic_opaque);
    if (!copy)
        return RD_KAFKA_RESP_ERR__FAIL;
    if (install(new_conf, copy)) {
        kc_bridge_cfg_unref(copy);
        return RD_KAFKA_RESP_ERR__FAIL;
    }
    return RD_KAFKA_RESP_ERR_NO_ERROR;
}

/* Attaches cfg to conf (the conf then owns the reference). -1 when conf has it already. */
static int install(rd_kafka_conf_t *conf, bridge_cfg *cfg)
{
    if (rd_kafka_conf_interceptor_add_on_new(conf, IC_NAME, ic_on_new, cfg))
        return -1;
    rd_kafka_conf_interceptor_add_on_conf_dup(conf, IC_NAME, ic_on_conf_dup, cfg);
    rd_kafka_conf_interceptor_add_on_conf_destroy(conf, IC_NAME, ic_on_conf_destroy, cfg);
    rd_kafka_conf_set_socket_cb(conf, bridge_socket_cb);
    rd_kafka_conf_set_connect_cb(conf, bridge_connect_cb);
    return 0;
}

/* ---- configuration --------------------------------------------------------------------------- */

int kc_bridge_mode_parse(const char *text, kc_bridge_mode *mode)
{
    if (strcasecmp(text, "auto") == 0)
        *mode = KC_BRIDGE_AUTO;
    else if (strcasecmp(text, "always") == 0)
        *mode = KC_BRIDGE_ALWAYS;
    else if (strcasecmp(text, "never") == 0)
        *mode = KC_BRIDGE_NEVER;
    else
        return -1;
    return 0;
}

/* The value of a librdkafka property as a new string; NULL when unset, empty or out of memory. */
static char *conf_str(const rd_kafka_conf_t *conf, const char *name)
{
    size_t size = 0;
    if (rd_kafka_conf_get(conf, name, NULL, &size) != RD_KAFKA_CONF_OK || size <= 1)
        return NULL;
    char *value = malloc(size);
    if (!value)
        return NULL;
    if (rd_kafka_conf_get(conf, name, value, &size) != RD_KAFKA_CONF_OK || !value[0]) {
        free(value);
        return NULL;
    }
    return value;
}

static int conf_is(const rd_kafka_conf_t *conf, const char *name, const char *value)
{
    char buf[64];
    size_t size = sizeof buf;
    return rd_kafka_conf_get(conf, name, buf, &size) == RD_KAFKA_CONF_OK && strcasecmp(buf, value) == 0;
}

static int conf_int(const rd_kafka_conf_t *conf, const char *name, int dflt)
{
    char buf[32];
    size_t size = sizeof buf;
    if (rd_kafka_conf_get(conf, name, buf, &size) != RD_KAFKA_CONF_OK)
        return dflt;
    return atoi(buf);
}

int kc_bridge_wanted(const rd_kafka_conf_t *conf, kc_bridge_mode mode)
{
    if (mode == KC_BRIDGE_NEVER)
        return 0;
    if (!conf_is(conf, "security.protocol", "sasl_plaintext") && !conf_is(conf, "security.protocol", "sasl_ssl"))
        return 0;
    int scram = conf_is(conf, "sasl.mechanisms", "SCRAM-SHA-256") || conf_is(conf, "sasl.mechanisms", "SCRAM-SHA-512");
    if (mode == KC_BRIDGE_ALWAYS)
        return scram || conf_is(conf, "sasl.mechanisms", "PLAIN");
    return scram && rd_kafka_version() < KC_BRIDGE_RDKAFKA_FIXED;
}

/* librdkafka TLS settings the bridge cannot honour: refused rather than silently dropped. */
static const char *const unsupported[] = {"ssl.keystore.location", "ssl.engine.location", "ssl.crl.location",
                                          "ssl.providers", "ssl.sigalgs.list", "ssl.curves.list"};

/* What librdkafka must not see of a bridged client (property name prefixes). */
static const char *hidden[] = {"security.protocol", "sasl.", "ssl.", "ssl_", "enable.ssl.",
                                     "enable.sasl.", "socket.nagle.disable"};

rd_kafka_conf_t *kc_bridge_conf_take(rd_kafka_conf_t *conf, kc_error *err)
{
    rd_kafka_conf_t *out = NULL;
    bridge_cfg *cfg = cfg_alloc();
    char *mech = conf_str(conf, "sasl.mechanisms");
    if (!cfg) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (!mech || kc_sasl_mech_parse(mech, &cfg->mech) != 0) {
        kc_error_set(err, KC_ERR_INVALID, "sasl.mechanism %s cannot be bridged; use PLAIN, SCRAM-SHA-256 or "
                     "SCRAM-SHA-512", mech ? mech : "(none)");
        goto done;
    }
    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++) {
        char *v = conf_str(conf, unsupported[i]);
        free(v);
        if (v) {
            kc_error_set(err, KC_ERR_INVALID, "librdkafka.%s cannot be used when kconnect logs in to the broker "
                         "itself (kconnect.scram.bridge); use PEM settings or kconnect.scram.bridge=never",
                         unsupported[i]);
            goto done;
        }
    }
    cfg->user = conf_str(conf, "sasl.username");
    cfg->password = conf_str(conf, "sasl.password");
    if (!cfg->user || !cfg->password) {
        kc_error_set(err, KC_ERR_INVALID, "sasl.jaas.config: %s needs username and password", mech);
        goto done;
    }
    cfg->tls = conf_is(conf, "security.protocol", "sasl_ssl");
    cfg->ca_location = conf_str(conf, "ssl.ca.location");
    cfg->ca_pem = conf_str(conf, "ssl.ca.pem");
    cfg->cert_location = conf_str(conf, "ssl.certificate.location");
    cfg->key_location = conf_str(conf, "ssl.key.location");
    cfg->key_password = conf_str(conf, "ssl.key.password");
    cfg->cert_pem = conf_str(conf, "ssl.certificate.pem");
    cfg->key_pem = conf_str(conf, "ssl.key.pem");
    cfg->ciphers = conf_str(conf, "ssl.cipher.suites");
    cfg->verify_peer = !conf_is(conf, "enable.ssl.certificate.verification", "false");
    cfg->verify_host = conf_is(conf, "ssl.endpoint.identification.algorithm", "https");
    cfg->client_id = conf_str(conf, "client.id");
    cfg->keepalive = conf_is(conf, "socket.keepalive.enable", "true");
    cfg->sndbuf = conf_int(conf, "socket.send.buffer.bytes", 0);
    cfg->rcvbuf = conf_int(conf, "socket.receive.buffer.bytes", 0);
    /* finish before librdkafka gives up on its first request (then the cause is ours to tell) */
    int setup = conf_int(conf, "socket.connection.setup.timeout.ms", 30000);
    int api = conf_int(conf, "api.version.request.timeout.ms", 10000);
    cfg->setup_timeout_ms = (setup < api ? setup : api) - 500;
    if (cfg->setup_timeout_ms < 1000)
        cfg->setup_timeout_ms = 1000;

    if (cfg->tls && kc_bridge_tls_context(cfg, err) != 0) {
        if (err)
            err->code = KC_ERR_INVALID; /* the TLS settings themselves are wrong */
        goto done;
    }

    out = rd_kafka_conf_dup_filter(conf, sizeof hidden / sizeof hidden[0], hidden);
    char errstr[256];
    if (!out || rd_kafka_conf_set(out, "security.protocol", "plaintext", errstr, sizeof errstr) != RD_KAFKA_CONF_OK ||
        install(out, cfg) != 0) {
        kc_error_set(err, KC_ERR_INTERNAL, "cannot set up the SASL bridge's configuration");
        if (out)
            rd_kafka_conf_destroy(out);
        out = NULL;
        goto done;
    }
    cfg = NULL; /* owned by out */
    kc_log(KC_LOG_DEBUG, KC_BRIDGE_LOGGER, "%s over %s through the bridge (librdkafka %s)", mech,
           conf_is(conf, "security.protocol", "sasl_ssl") ? "SASL_SSL" : "SASL_PLAINTEXT", rd_kafka_version_str());
done:
    free(mech);
    kc_bridge_cfg_unref(cfg);
    rd_kafka_conf_destroy(conf);
    return out;
}

