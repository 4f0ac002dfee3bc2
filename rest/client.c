/*
 * Blocking HTTP/1.1 client (client.h), in layers: URL -> TCP (non-blocking connect, one deadline) ->
 * optional TLS -> request head and body -> response head (status line, headers, 1xx skipped) ->
 * body (Content-Length, chunked, or until the peer closes). Every wait is a poll() bounded by the
 * call's deadline.
 */
#include "rest/client.h"
#include "rest/listeners.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#define HEAD_LINE_MAX 8192      /* one line of the response head or a chunk-size line */
#define HEAD_FIELDS_MAX 200     /* header fields (or trailer fields) of one response */
#define TLS_PREFIX "listeners.https."

typedef struct conn {
    int fd;
    SSL_CTX *ctx;
    SSL *ssl;
    long deadline;              /* CLOCK_MONOTONIC milliseconds */
    int timeout_ms;
    char name[300];             /* "host:port" for messages */
    unsigned char buf[16384];   /* received, not yet consumed: buf[pos, end) */
    size_t pos, end;
    size_t head_bytes;
} conn;

typedef struct dyn {
    char *p;
    size_t len, cap;
} dyn;

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int timed_out(const conn *c, kc_error *err)
{
    return kc_error_set(err, KC_ERR_TIMEOUT, "timed out after %d ms", c->timeout_ms);
}

static int malformed(const conn *c, const char *what, kc_error *err)
{
    return kc_error_set(err, KC_ERR_IO, "malformed HTTP response from %s: %s", c->name, what);
}

/* Waits until the socket is ready for events, or the deadline passes. 0, or -1 with err. */
static int wait_fd(conn *c, short events, kc_error *err)
{
    for (;;) {
        long left = c->deadline - now_ms();
        if (left <= 0)
            return timed_out(c, err);
        struct pollfd p = {.fd = c->fd, .events = events, .revents = 0};
        int n = poll(&p, 1, (int)(left > 1000000 ? 1000000 : left));
        if (n > 0)
            return 0;
        if (n < 0 && errno != EINTR)
            return kc_error_set(err, KC_ERR_IO, "poll on the connection to %s: %s", c->name, strerror(errno));
    }
}

static void tls_reason(char *buf, size_t cap)
{
    unsigned long e = ERR_peek_last_error();
    if (e)
        ERR_error_string_n(e, buf, cap);
    else
        snprintf(buf, cap, "%s", errno ? strerror(errno) : "the peer closed the connection");
    ERR_clear_error();
}

/* ---- URL ------------------------------------------------------------------------------------- */

int kc_http_url_parse(const char *url, kc_http_url *out, kc_error *err)
{
    memset(out, 0, sizeof *out);
    const char *p;
    if (url && strncasecmp(url, "http://", 7) == 0) {
        p = url + 7;
    } else if (url && strncasecmp(url, "https://", 8) == 0) {
        p = url + 8;
        out->https = 1;
    } else {
        return kc_error_set(err, KC_ERR_INVALID, "URL %s: the scheme must be http:// or https://",
                            url ? url : "(null)");
    }
    size_t alen = strcspn(p, "/?#");
    const char *host = p, *port = NULL, *auth_end = p + alen;
    size_t hlen;
    if (memchr(p, '@', alen))
        return kc_error_set(err, KC_ERR_INVALID, "URL %s: user information is not supported", url);
    if (alen && p[0] == '[') {
        const char *close = memchr(p, ']', alen);
        if (!close || (close + 1 < auth_end && close[1] != ':'))
            return kc_error_set(err, KC_ERR_INVALID, "URL %s: malformed IPv6 address", url);
        host = p + 1;
        hlen = (size_t)(close - host);
        port = close + 1 < auth_end ? close + 2 : NULL;
    } else {
        const char *colon = memchr(p, ':', alen);
        hlen = colon ? (size_t)(colon - p) : alen;
        port = colon ? colon + 1 : NULL;
    }
    if (hlen == 0 || hlen >= sizeof out->host)
        return kc_error_set(err, KC_ERR_INVALID, "URL %s: %s", url, hlen ? "host name too long" : "no host");
    for (size_t i = 0; i < hlen; i++)
        if ((unsigned char)host[i] <= ' ' || host[i] == 0x7f || host[i] == '[' || host[i] == ']')
            return kc_error_set(err, KC_ERR_INVALID, "URL %s: invalid character in the host", url);
    memcpy(out->host, host, hlen);
    out->host[hlen] = '\0';
    unsigned char addr6[sizeof(struct in6_addr)];
    if (host != p && inet_pton(AF_INET6, out->host, addr6) != 1)
        return kc_error_set(err, KC_ERR_INVALID, "URL %s: malformed IPv6 address", url);
    out->port = out->https ? 443 : 80;
    if (port && port < auth_end) { /* "host:" alone keeps the default, as java.net.URI */
        long v = 0;
        for (const char *q = port; q < auth_end; q++) {
            if (!isdigit((unsigned char)*q) || (v = v * 10 + (*q - '0')) > 65535)
                return kc_error_set(err, KC_ERR_INVALID, "URL %s: invalid port", url);
        }
        if (v == 0)
            return kc_error_set(err, KC_ERR_INVALID, "URL %s: invalid port", url);
        out->port = (int)v;
    }
    const char *target = auth_end;
    size_t tlen = strcspn(target, "#");
    int slash = target[0] != '/';
    if (tlen + (size_t)slash >= sizeof out->target)
        return kc_error_set(err, KC_ERR_INVALID, "URL %s: the path and query exceed %d bytes", url, KC_HTTP_MAX_TARGET);
    for (size_t i = 0; i < tlen; i++)
        if ((unsigned char)target[i] <= ' ' || target[i] == 0x7f)
            return kc_error_set(err, KC_ERR_INVALID, "URL %s: the path and query must be percent-encoded", url);
    snprintf(out->target, sizeof out->target, "%s%.*s", slash ? "/" : "", (int)tlen, target);
    return 0;
}

/* ---- TCP ------------------------------------------------------------------------------------- */

static int tcp_connect(conn *c, const kc_http_url *u, kc_error *err)
{
    char service[8];
    snprintf(service, sizeof service, "%d", u->port);
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(u->host, service, &hints, &res);
    if (rc != 0)
        return kc_error_set(err, KC_ERR_IO, "cannot resolve %s: %s", u->host,
                            rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
    int last = ECONNREFUSED;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) {
            last = errno;
            continue;
        }
        c->fd = fd;
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0 || errno == EINPROGRESS) {
            if (wait_fd(c, POLLOUT, err) != 0) { /* the deadline is spent: no other address */
                freeaddrinfo(res);
                return -1;
            }
            int soerr = 0;
            socklen_t sl = sizeof soerr;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
            if (soerr == 0) {
                int one = 1;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                freeaddrinfo(res);
                return 0;
            }
            last = soerr;
        } else {
            last = errno;
        }
        close(fd);
        c->fd = -1;
    }
    freeaddrinfo(res);
    if (now_ms() >= c->deadline)
        return timed_out(c, err);
    return kc_error_set(err, KC_ERR_IO, "cannot connect to %s: %s", c->name, strerror(last));
}

/* ---- TLS ------------------------------------------------------------------------------------- */

/* A TLS key of the worker, all or nothing under listeners.https. (the REST server's rule, §1.2). */
static const char *tls_key(const kc_props *worker, const char *key)
{
    return kc_rest_tls_setting(worker, TLS_PREFIX, key);
}

static int tls_context(conn *c, const kc_props *tls, kc_error *err)
{
    char reason[256];
    const char *ts_type = tls_key(tls, "ssl.truststore.type"), *ks_type = tls_key(tls, "ssl.keystore.type");
    const char *bad = ts_type && strcasecmp(ts_type, "PEM") != 0   ? "truststore"
                      : ks_type && strcasecmp(ks_type, "PEM") != 0 ? "keystore"
                                                                   : NULL;
    if (bad)
        return kc_error_set(err, KC_ERR_TLS, "ssl.%s.type=%s cannot be read by kconnect: convert the %s to PEM and "
                                             "set ssl.%s.type=PEM", bad, bad[0] == 't' ? ts_type : ks_type, bad, bad);
    if (!(c->ctx = SSL_CTX_new(TLS_client_method())))
        return kc_error_set(err, KC_ERR_TLS, "cannot create a TLS context");
    SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(c->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF); /* bodies are framed, or end at close */
    SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
    const char *truststore = tls_key(tls, "ssl.truststore.location");
    if (truststore ? SSL_CTX_load_verify_locations(c->ctx, truststore, NULL) != 1
                   : SSL_CTX_set_default_verify_paths(c->ctx) != 1) {
        tls_reason(reason, sizeof reason);
        return kc_error_set(err, KC_ERR_TLS, "cannot load the trusted certificates %s: %s",
                            truststore ? truststore : "of the system", reason);
    }
    const char *keystore = tls_key(tls, "ssl.keystore.location");
    if (keystore) {
        const char *password = tls_key(tls, "ssl.key.password");
        /* never OpenSSL's default callback, which would prompt on the terminal */
        SSL_CTX_set_default_passwd_cb(c->ctx, kc_rest_tls_password_cb);
        SSL_CTX_set_default_passwd_cb_userdata(c->ctx, (void *)(password ? password : ""));
        int ok = SSL_CTX_use_certificate_chain_file(c->ctx, keystore) == 1 &&
                 SSL_CTX_use_PrivateKey_file(c->ctx, keystore, SSL_FILETYPE_PEM) == 1 &&
                 SSL_CTX_check_private_key(c->ctx) == 1;
        SSL_CTX_set_default_passwd_cb_userdata(c->ctx, (void *)"");
        if (!ok) {
            tls_reason(reason, sizeof reason);
            return kc_error_set(err, KC_ERR_TLS, "ssl.keystore.location=%s: cannot load the key and certificate "
                                                 "chain: %s", keystore, reason);
        }
    }
    return 0;
}

static int tls_connect(conn *c, const kc_http_url *u, const kc_props *tls, kc_error *err)
{
    char reason[256];
    if (tls_context(c, tls, err))
        return -1;
    if (!(c->ssl = SSL_new(c->ctx)) || SSL_set_fd(c->ssl, c->fd) != 1)
        return kc_error_set(err, KC_ERR_TLS, "cannot create a TLS session");
    unsigned char ip[sizeof(struct in6_addr)];
    int is_ip = inet_pton(AF_INET, u->host, ip) == 1 || inet_pton(AF_INET6, u->host, ip) == 1;
    if (!is_ip)
        SSL_set_tlsext_host_name(c->ssl, u->host);
    const char *identification = tls_key(tls, "ssl.endpoint.identification.algorithm");
    if (!identification || *identification) {
        X509_VERIFY_PARAM *param = SSL_get0_param(c->ssl);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, u->host) : X509_VERIFY_PARAM_set1_host(param, u->host, 0);
        if (ok != 1)
            return kc_error_set(err, KC_ERR_TLS, "cannot check the host name %s", u->host);
    }
    for (;;) {
        errno = 0;
        int rc = SSL_connect(c->ssl);
        if (rc == 1)
            return 0;
        int e = SSL_get_error(c->ssl, rc);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            if (wait_fd(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, err))
                return -1;
            continue;
        }
        long verify = SSL_get_verify_result(c->ssl);
        if (verify != X509_V_OK) {
            ERR_clear_error();
            return kc_error_set(err, KC_ERR_TLS, "TLS handshake with %s failed: certificate %s: %s", c->name,
                                verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH
                                    ? "does not match the host name"
                                    : "not trusted",
                                X509_verify_cert_error_string(verify));
        }
        tls_reason(reason, sizeof reason);
        return kc_error_set(err, KC_ERR_TLS, "TLS handshake with %s failed: %s", c->name, reason);
    }
}

/* ---- bytes ------------------------------------------------------------------------------------ */

static int io_write(conn *c, const void *data, size_t n, kc_error *err)
{
    const unsigned char *p = data;
    while (n > 0) {
        size_t done = 0;
        if (c->ssl) {
            errno = 0;
            int rc = SSL_write_ex(c->ssl, p, n, &done);
            if (rc != 1) {
                int e = SSL_get_error(c->ssl, rc);
                if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
                    char reason[256];
                    tls_reason(reason, sizeof reason);
                    return kc_error_set(err, KC_ERR_IO, "sending the request to %s: %s", c->name, reason);
                }
                if (wait_fd(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, err))
                    return -1;
                continue;
            }
        } else {
            ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
            if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (wait_fd(c, POLLOUT, err))
                    return -1;
                continue;
            }
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return kc_error_set(err, KC_ERR_IO, "sending the request to %s: %s", c->name,
                                    w < 0 ? strerror(errno) : "connection closed");
            done = (size_t)w;
        }
        p += done;
        n -= done;
    }
    return 0;
}

/* Reads more bytes into c->buf. 1, 0 at the end of the stream, or -1 with err. */
static int fill(conn *c, kc_error *err)
{
    if (c->pos > 0) {
        memmove(c->buf, c->buf + c->pos, c->end - c->pos);
        c->end -= c->pos;
        c->pos = 0;
    }
    for (;;) {
        size_t room = sizeof c->buf - c->end, got = 0;
        if (c->ssl) {
            errno = 0;
            int rc = SSL_read_ex(c->ssl, c->buf + c->end, room, &got);
            if (rc != 1) {
                int e = SSL_get_error(c->ssl, rc);
                if (e == SSL_ERROR_ZERO_RETURN)
                    return 0;
                if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
                    char reason[256];
                    tls_reason(reason, sizeof reason);
                    return kc_error_set(err, KC_ERR_IO, "reading the response of %s: %s", c->name, reason);
                }
                if (wait_fd(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, err))
                    return -1;
                continue;
            }
        } else {
            ssize_t r = recv(c->fd, c->buf + c->end, room, 0);
            if (r == 0)
                return 0;
            if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (wait_fd(c, POLLIN, err))
                    return -1;
                continue;
            }
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0)
                return kc_error_set(err, KC_ERR_IO, "reading the response of %s: %s", c->name, strerror(errno));
            got = (size_t)r;
        }
        c->end += got;
        return 1;
    }
}

static int closed_early(const conn *c, kc_error *err)
{
    return kc_error_set(err, KC_ERR_IO, "%s closed the connection before the end of the response", c->name);
}

/* One line without its CR LF into line (NUL-terminated). 0, or -1 with err. */
static int read_line(conn *c, char *line, size_t cap, kc_error *err)
{
    for (;;) {
        unsigned char *nl = memchr(c->buf + c->pos, '\n', c->end - c->pos);
        if (nl) {
            size_t n = (size_t)(nl - (c->buf + c->pos)), len = n;
            if (len && c->buf[c->pos + len - 1] == '\r')
                len--;
            if (len >= cap)
                return malformed(c, "a header line is too long", err);
            memcpy(line, c->buf + c->pos, len);
            line[len] = '\0';
            c->pos += n + 1;
            c->head_bytes += n + 1;
            if (c->head_bytes > KC_HTTP_MAX_HEAD)
                return malformed(c, "the response head is too large", err);
            return 0;
        }
        if (c->end - c->pos > cap)
            return malformed(c, "a header line is too long", err);
        int r = fill(c, err);
        if (r <= 0)
            return r < 0 ? -1 : closed_early(c, err);
    }
}

static int dyn_reserve(const conn *c, dyn *b, size_t more, kc_error *err)
{
    if (more > KC_HTTP_MAX_BODY - b->len)
        return kc_error_set(err, KC_ERR_IO, "the response of %s exceeds %u bytes", c->name, KC_HTTP_MAX_BODY);
    size_t need = b->len + more + 1; /* + NUL */
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < need)
        cap *= 2;
    if (cap > (size_t)KC_HTTP_MAX_BODY + 1)
        cap = (size_t)KC_HTTP_MAX_BODY + 1;
    char *p = realloc(b->p, cap);
    if (!p)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    b->p = p;
    b->cap = cap;
    return 0;
}

/* Appends exactly n bytes of the stream (n = SIZE_MAX: up to the end of the stream). */
static int read_body(conn *c, dyn *b, size_t n, kc_error *err)
{
    int until_close = n == SIZE_MAX;
    while (n > 0) {
        if (c->pos == c->end) {
            int r = fill(c, err);
            if (r < 0)
                return -1;
            if (r == 0)
                return until_close ? 0 : closed_early(c, err);
        }
        size_t take = c->end - c->pos < n ? c->end - c->pos : n;
        if (dyn_reserve(c, b, take, err))
            return -1;
        memcpy(b->p + b->len, c->buf + c->pos, take);
        b->len += take;
        c->pos += take;
        if (!until_close)
            n -= take;
    }
    return 0;
}

/* ---- the response ------------------------------------------------------------------------------ */

static int read_chunked(conn *c, dyn *b, kc_error *err)
{
    char line[HEAD_LINE_MAX];
    for (;;) {
        c->head_bytes = 0; /* the head limit is for the head; each chunk line has its own */
        if (read_line(c, line, sizeof line, err))
            return -1;
        char *end = NULL;
        unsigned long long size = isxdigit((unsigned char)line[0]) ? strtoull(line, &end, 16) : 0;
        if (!end || (*end && *end != ';' && *end != ' ' && *end != '\t'))
            return malformed(c, "bad chunk size", err);
        if (size == 0)
            break;
        if (size > KC_HTTP_MAX_BODY)
            return kc_error_set(err, KC_ERR_IO, "the response of %s exceeds %u bytes", c->name, KC_HTTP_MAX_BODY);
        if (dyn_reserve(c, b, (size_t)size, err) || read_body(c, b, (size_t)size, err) ||
            read_line(c, line, sizeof line, err))
            return -1;
        if (line[0])
            return malformed(c, "a chunk is longer than its size", err);
    }
    c->head_bytes = 0;
    for (int i = 0;; i++) { /* trailer fields, ignored */
        if (i > HEAD_FIELDS_MAX)
            return malformed(c, "too many trailer fields", err);
        if (read_line(c, line, sizeof line, err))
            return -1;
        if (!line[0])
            return 0;
    }
}

static int read_response(conn *c, const char *method, kc_http_response *out, kc_error *err)
{
    char line[HEAD_LINE_MAX];
    long long length;
    int chunked;
    do { /* interim 1xx answers are skipped */
        length = -1;
        chunked = 0;
        free(out->content_type);
        out->content_type = NULL;
        if (read_line(c, line, sizeof line, err))
            return -1;
        if (strncmp(line, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)line[7]) || line[8] != ' ' ||
            !isdigit((unsigned char)line[9]) || !isdigit((unsigned char)line[10]) ||
            !isdigit((unsigned char)line[11]) || (line[12] && line[12] != ' '))
            return malformed(c, "bad status line", err);
        out->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        for (int fields = 0;; fields++) {
            if (fields > HEAD_FIELDS_MAX)
                return malformed(c, "too many header fields", err);
            if (read_line(c, line, sizeof line, err))
                return -1;
            if (!line[0])
                break;
            char *colon = strchr(line, ':');
            if (!colon || colon == line)
                return malformed(c, "bad header field", err);
            *colon = '\0';
            char *value = colon + 1, *vend = value + strlen(value);
            while (*value == ' ' || *value == '\t')
                value++;
            while (vend > value && (vend[-1] == ' ' || vend[-1] == '\t'))
                *--vend = '\0';
            if (strcasecmp(line, "Content-Length") == 0) {
                char *end = NULL;
                errno = 0;
                long long v = isdigit((unsigned char)value[0]) ? strtoll(value, &end, 10) : -1;
                if (v < 0 || errno || *end || (length >= 0 && length != v))
                    return malformed(c, "bad Content-Length", err);
                length = v;
            } else if (strcasecmp(line, "Transfer-Encoding") == 0) {
                chunked |= strcasestr(value, "chunked") != NULL;
            } else if (strcasecmp(line, "Content-Type") == 0) {
                free(out->content_type);
                if (!(out->content_type = strdup(value)))
                    return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            }
        }
    } while (out->status >= 100 && out->status < 200 && out->status != 101);
    if (strcasecmp(method, "HEAD") == 0 || out->status < 200 || out->status == 204 || out->status == 304)
        return 0;
    dyn b = {NULL, 0, 0};
    int rc;
    if (chunked)
        rc = read_chunked(c, &b, err);
    else if (length >= 0 && (unsigned long long)length > KC_HTTP_MAX_BODY)
        rc = kc_error_set(err, KC_ERR_IO, "the response of %s exceeds %u bytes (Content-Length: %lld)", c->name,
                          KC_HTTP_MAX_BODY, length);
    else if (length >= 0)
        rc = dyn_reserve(c, &b, (size_t)length, err) ? -1 : read_body(c, &b, (size_t)length, err);
    else
        rc = read_body(c, &b, SIZE_MAX, err);
    if (rc || b.len == 0) {
        free(b.p);
        return rc;
    }
    b.p[b.len] = '\0';
    out->body = b.p;
    out->body_len = b.len;
    return 0;
}

/* ---- the request ---------------------------------------------------------------------------------- */

static int is_token(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("!#$%&'*+-.^_`|~", s[i]))
            return 0;
    return 1;
}

/* The request head, malloc'd, or NULL with err. */
static char *request_head(const char *method, const kc_http_url *u, const char *const *headers, int with_length,
                          size_t body_len, kc_error *err)
{
    static const char *const reserved[] = {"Host", "Content-Length", "Connection", "Transfer-Encoding"};
    size_t size = strlen(method) + strlen(u->target) + strlen(u->host) + 160;
    for (size_t i = 0; headers && headers[i]; i++) {
        const char *h = headers[i], *colon = strchr(h, ':');
        if (!colon || !is_token(h, (size_t)(colon - h)) || strpbrk(h, "\r\n")) {
            kc_error_set(err, KC_ERR_INVALID, "invalid request header \"%.100s\": expected \"Name: value\" on one line",
                         h);
            return NULL;
        }
        for (size_t r = 0; r < sizeof reserved / sizeof reserved[0]; r++) {
            if (strlen(reserved[r]) == (size_t)(colon - h) && strncasecmp(h, reserved[r], (size_t)(colon - h)) == 0) {
                kc_error_set(err, KC_ERR_INVALID, "request header %s is set by the HTTP client", reserved[r]);
                return NULL;
            }
        }
        size += strlen(h) + 2;
    }
    char *head = malloc(size);
    if (!head) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    int ipv6 = strchr(u->host, ':') != NULL, default_port = u->port == (u->https ? 443 : 80);
    size_t o = (size_t)snprintf(head, size, "%s %s HTTP/1.1\r\nHost: %s%s%s", method, u->target, ipv6 ? "[" : "",
                                u->host, ipv6 ? "]" : "");
    if (!default_port)
        o += (size_t)snprintf(head + o, size - o, ":%d", u->port);
    o += (size_t)snprintf(head + o, size - o, "\r\nConnection: close\r\n");
    if (with_length)
        o += (size_t)snprintf(head + o, size - o, "Content-Length: %zu\r\n", body_len);
    for (size_t i = 0; headers && headers[i]; i++)
        o += (size_t)snprintf(head + o, size - o, "%s\r\n", headers[i]);
    snprintf(head + o, size - o, "\r\n");
    return head;
}

/* SIGPIPE: blocked while the call writes (OpenSSL writes with write(), not send(MSG_NOSIGNAL)); one
 * raised meanwhile is consumed before the old mask comes back. */
static void sigpipe_block(sigset_t *old, int *was_pending)
{
    sigset_t block, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &block, old);
    sigpending(&pending);
    *was_pending = sigismember(&pending, SIGPIPE) == 1;
}

static void sigpipe_restore(const sigset_t *old, int was_pending)
{
    sigset_t block, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGPIPE);
    if (!was_pending && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&block, NULL, &zero) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

static void init_openssl(void)
{
    OPENSSL_init_ssl(0, NULL);
}

void kc_http_response_clear(kc_http_response *r)
{
    if (!r)
        return;
    free(r->body);
    free(r->content_type);
    memset(r, 0, sizeof *r);
}

int kc_http_request(const char *method, const char *url, const char *const *headers, const void *body,
                    size_t body_len, const kc_props *tls, int timeout_ms, kc_http_response *out, kc_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (!out)
        return kc_error_set(err, KC_ERR_INVALID, "no response to fill");
    memset(out, 0, sizeof *out);
    if (!method || !is_token(method, strlen(method)) || strlen(method) > 32)
        return kc_error_set(err, KC_ERR_INVALID, "invalid HTTP method %s", method ? method : "(null)");
    if (!body && body_len)
        return kc_error_set(err, KC_ERR_INVALID, "a body of %zu bytes without data", body_len);
    kc_http_url *u = malloc(sizeof *u);
    conn *c = calloc(1, sizeof *c);
    if (!u || !c) {
        free(u);
        free(c);
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    char *head = NULL;
    int rc = -1;
    if (kc_http_url_parse(url, u, err))
        goto done;
    int with_length = body || strcasecmp(method, "POST") == 0 || strcasecmp(method, "PUT") == 0 ||
                      strcasecmp(method, "PATCH") == 0;
    if (!(head = request_head(method, u, headers, with_length, body_len, err)))
        goto done;
    pthread_once(&once, init_openssl);
    c->fd = -1;
    c->timeout_ms = timeout_ms > 0 ? timeout_ms : KC_HTTP_DEFAULT_TIMEOUT_MS;
    c->deadline = now_ms() + c->timeout_ms;
    snprintf(c->name, sizeof c->name, "%s%s%s:%d", strchr(u->host, ':') ? "[" : "", u->host,
             strchr(u->host, ':') ? "]" : "", u->port);
    sigset_t old;
    int was_pending = 0;
    sigpipe_block(&old, &was_pending);
    rc = tcp_connect(c, u, err) || (u->https && tls_connect(c, u, tls, err)) || io_write(c, head, strlen(head), err) ||
                 (body_len && io_write(c, body, body_len, err)) || read_response(c, method, out, err)
             ? -1
             : 0;
    if (c->ssl) {
        if (rc == 0)
            SSL_shutdown(c->ssl); /* close_notify, not waiting for the peer's */
        SSL_free(c->ssl);
    }
    if (c->fd >= 0)
        close(c->fd);
    ERR_clear_error();
    sigpipe_restore(&old, was_pending);
done:
    if (c->ctx)
        SSL_CTX_free(c->ctx);
    free(head);
    free(c);
    free(u);
    if (rc)
        kc_http_response_clear(out);
    return rc;
}
