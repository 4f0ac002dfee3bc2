/*
 * A blocking HTTP/1.1 client for worker-to-worker calls (REST spec §13.2 forwarding, §11 internal
 * requests): one request per connection (Connection: close), http:// or https://, redirects not
 * followed, the whole call bounded by one time limit.
 *
 * Why plain sockets + OpenSSL and not libevent's evhttp client: the call is blocking by design (the
 * herder's forwarding runs off the herder thread and waits for the answer), and a poll() loop over
 * one socket with one deadline bounds connect + TLS handshake + write + read with no event_base per
 * call; the errors keep their cause (errno's "Connection refused", the certificate check), which
 * evhttp's client reduces to "EOF"/"timeout" after retrying on its own; and the parser is small and
 * bounded (status line, headers, Content-Length / chunked / until-close bodies), as
 * connect/kafka/broker_conn.c does for the Kafka protocol.
 *
 * TLS (https:// only): the worker's listeners.https.* keys, all or nothing as the REST server reads
 * them (§1.2: when any listeners.https.* key exists, only prefixed keys count, else the plain ssl.*
 * keys): ssl.truststore.location (PEM file of trusted CAs; without it the system's CAs),
 * ssl.truststore.type (PEM or unset), ssl.keystore.location (+ ssl.keystore.type, ssl.key.password:
 * a PEM file with the client's key and certificate chain, optional), and
 * ssl.endpoint.identification.algorithm (default "https": the certificate must match the URL's host
 * name or IP; an explicitly empty value turns the host check off; the chain is always verified).
 * TLS 1.2 at least. JKS/PKCS12 stores are refused with a message saying to convert them to PEM.
 *
 * Limits: the response head at most KC_HTTP_MAX_HEAD bytes, the body at most KC_HTTP_MAX_BODY
 * (a larger announced or received body is an error, never an allocation); a URL target (path and
 * query) at most KC_HTTP_MAX_TARGET bytes. Name resolution (getaddrinfo) is the one step the time
 * limit cannot interrupt; worker URLs are IPs or names from /etc/hosts or the container DNS, which
 * answer at once, and a slow lookup still ends in the time-out error.
 *
 * Threads: any thread, any number at once; there is no shared state (OpenSSL is initialised once
 * with pthread_once). SIGPIPE is blocked in the calling thread for the duration of the call (a
 * pending one it caused is consumed), so a peer closing early is an error, not a signal.
 * Memory: a kc_http_response is filled by kc_http_request and owned by the caller, who frees its
 * contents with kc_http_response_clear; arguments are borrowed for the call.
 */
#ifndef KC_REST_CLIENT_H
#define KC_REST_CLIENT_H

#include <stddef.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"

#define KC_HTTP_MAX_BODY (64u * 1024u * 1024u)
#define KC_HTTP_MAX_HEAD (64u * 1024u)
#define KC_HTTP_MAX_TARGET 8192
#define KC_HTTP_DEFAULT_TIMEOUT_MS 90000

typedef struct kc_http_response {
    int status;          /* e.g. 200, 204, 409; 3xx are returned as they are */
    char *body;          /* malloc'd and NUL-terminated (the NUL is not counted), NULL when empty */
    size_t body_len;
    char *content_type;  /* the Content-Type value, malloc'd, or NULL when absent */
} kc_http_response;

/* Frees the contents of r (not r itself) and zeroes it. r may be NULL or already cleared. */
void kc_http_response_clear(kc_http_response *r);

/* One request. method: "GET", "POST", "PUT", "PATCH", "DELETE", ... (sent as given). url:
 * "http[s]://host[:port][/path][?query]" with host a name, an IPv4 address or a bracketed IPv6
 * address ("http://[::1]:8083/connectors?forward=true"); a fragment is dropped; the path must already
 * be percent-encoded (no spaces or control characters). headers: NULL-terminated array of
 * "Name: value" strings, or NULL; the client itself sends Host, Connection: close and, when a body is
 * given or the method is POST, PUT or PATCH, Content-Length: these four may not be passed (nor CR/LF
 * inside a header). body: body_len bytes, or NULL. tls: the worker's properties for https:// URLs
 * (see above), may be NULL (then the system's CAs, host name checked); ignored for http://.
 * timeout_ms bounds the whole call (<= 0: KC_HTTP_DEFAULT_TIMEOUT_MS).
 *
 * Returns 0 with *out filled (whatever the status: 4xx/5xx are answers too), or -1 with err and *out
 * zeroed:
 *   KC_ERR_INVALID  bad URL, method or header (message says which)
 *   KC_ERR_TIMEOUT  "timed out after <timeout_ms> ms"
 *   KC_ERR_IO       cannot resolve or connect ("cannot connect to host:port: Connection refused"),
 *                   the peer closed early, a malformed or too large response
 *   KC_ERR_TLS      handshake or certificate failure, unreadable TLS files */
int kc_http_request(const char *method, const char *url, const char *const *headers, const void *body,
                    size_t body_len, const kc_props *tls, int timeout_ms, kc_http_response *out, kc_error *err);

/* A parsed URL (kc_http_url_parse). */
typedef struct kc_http_url {
    int https;
    char host[256];                    /* without the brackets of an IPv6 address */
    int port;                          /* the URL's, else 80 / 443 */
    char target[KC_HTTP_MAX_TARGET];   /* path and query, "/" at least */
} kc_http_url;

/* Splits url as kc_http_request does. 0, or -1 with err (KC_ERR_INVALID). */
int kc_http_url_parse(const char *url, kc_http_url *out, kc_error *err);

#endif
