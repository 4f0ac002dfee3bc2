/*
 * The /replications resource and the herder-side registry of replication tasks (replications.h).
 * REST handlers parse and validate on the REST thread, run network checks on a detached thread
 * and do the rest on the herder thread (kc_herder_submit), which answers.
 */
#include "connect/replication/replications.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/http.h>
#include <jansson.h>

#include "connect/api/log.h"
#include "connect/config/client_config.h"
#include "connect/config/config_def.h"
#include "connect/herder/distributed_internal.h"
#include "connect/herder/herder_internal.h"
#include "connect/kafka/check_connection.h"
#include "connect/replication/replication_start_offsets.h"
#include "connect/replication/replication_task.h"
#include "connect/worker/offsets.h"
#include "connect/worker/worker_config.h"
#include "connectors/mirror/mirror_checkpoint.h"
#include "connectors/mirror/mirror_config.h"
#include "connectors/mirror/mirror_metrics.h"
#include "rest/client.h"
#include "rest/server.h"

#define LOGGER "kconnect.replication"
#define CHECK_TIMEOUT_MS 10000
#define CHECK_PASSED "Connectivity check passed."

struct kc_replication_entry {
    char *name;
    kc_replication_spec *spec; /* with its secrets */
    struct kc_replication_entry *next;
};

/* ---- registry (herder thread writes, under status_lock) --------------------------------------- */

static struct kc_replication_entry *find_entry(kc_herder *h, const char *name)
{
    for (struct kc_replication_entry *e = h->replications; e; e = e->next)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

static void free_entry(struct kc_replication_entry *e)
{
    if (!e)
        return;
    free(e->name);
    kc_replication_spec_free(e->spec);
    free(e);
}

/* Puts spec (taken) under name, or removes name (spec NULL). */
static void registry_set(kc_herder *h, const char *name, kc_replication_spec *spec)
{
    pthread_mutex_lock(&h->status_lock);
    struct kc_replication_entry **pp = &h->replications;
    while (*pp && strcmp((*pp)->name, name) != 0)
        pp = &(*pp)->next;
    if (!spec) {
        struct kc_replication_entry *gone = *pp;
        if (gone)
            *pp = gone->next;
        pthread_mutex_unlock(&h->status_lock);
        free_entry(gone);
        return;
    }
    if (*pp) {
        kc_replication_spec_free((*pp)->spec);
        (*pp)->spec = spec;
    } else {
        struct kc_replication_entry *e = calloc(1, sizeof *e);
        if (!e || !(e->name = strdup(name))) {
            free(e);
            kc_replication_spec_free(spec);
            pthread_mutex_unlock(&h->status_lock);
            kc_log(KC_LOG_ERROR, LOGGER, "out of memory keeping replication %s", name);
            return;
        }
        e->spec = spec;
        *pp = e; /* appended: the list keeps creation order */
    }
    pthread_mutex_unlock(&h->status_lock);
}

void kc_replications_apply(kc_herder *h, const char *name, const char *value)
{
    if (!value) {
        registry_set(h, name, NULL);
        return;
    }
    json_error_t jerr;
    json_t *root = json_loads(value, 0, &jerr);
    json_t *body = root ? json_object_get(root, "replication") : NULL;
    kc_error err;
    kc_error_clear(&err);
    kc_replication_spec *spec = json_is_object(body) ? kc_replication_spec_from_json(body, &err) : NULL;
    json_decref(root);
    if (!spec) {
        kc_log(KC_LOG_ERROR, LOGGER, "Ignoring the stored replication %s: %s", name,
               err.msg[0] ? err.msg : "not a {\"replication\":{...}} object");
        return;
    }
    registry_set(h, name, spec);
}

/* Check threads in flight (they hold the herder): the herder waits for them before it is freed. */
static int checks_running;
static pthread_mutex_t checks_lock = PTHREAD_MUTEX_INITIALIZER;

static void checks_add(int d)
{
    pthread_mutex_lock(&checks_lock);
    checks_running += d;
    pthread_mutex_unlock(&checks_lock);
}

/* Runs fn(arg) on a detached thread counted by checks_add (kc_replications_free waits for them).
 * 0, or -1 when no thread could be started (nothing counted). */
static int start_detached(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    checks_add(1);
    int rc = pthread_create(&t, &attr, fn, arg) == 0 ? 0 : -1;
    if (rc != 0)
        checks_add(-1);
    pthread_attr_destroy(&attr);
    return rc;
}

void kc_replications_free(kc_herder *h)
{
    for (int i = 0; i < 300; i++) { /* a check takes at most 2 x 10 s */
        pthread_mutex_lock(&checks_lock);
        int n = checks_running;
        pthread_mutex_unlock(&checks_lock);
        if (n == 0)
            break;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    while (h->replications) {
        struct kc_replication_entry *e = h->replications;
        h->replications = e->next;
        free_entry(e);
    }
}

/* The worker's own connection settings as its admin client sees them (new props, or NULL). */
static kc_props *worker_connection(kc_herder *h)
{
    kc_error err;
    return kc_worker_config_admin_props_new(h->wc, "kconnect-replication", &err);
}

char *kc_replications_resolve(kc_herder *h, const char *path, const char *key)
{
    char *out = NULL;
    if (strcmp(path, "worker") == 0) {
        kc_props *p = worker_connection(h);
        const char *v = p ? kc_props_get(p, key) : NULL;
        out = v ? strdup(v) : NULL;
        kc_props_free(p);
        return out;
    }
    if (strcmp(key, "peer.password") != 0)
        return NULL;
    pthread_mutex_lock(&h->status_lock);
    struct kc_replication_entry *e = find_entry(h, path);
    if (e && e->spec->peer_password)
        out = strdup(e->spec->peer_password);
    pthread_mutex_unlock(&h->status_lock);
    return out;
}

/* The limits: worker settings (replications.*) whose defaults are the product's. */
static kc_replication_limits limits_of(kc_herder *h)
{
    kc_replication_limits l = KC_REPLICATION_LIMITS_DEFAULT;
    l.max_replications = kc_config_get_int(h->wc->parsed, "replications.max");
    l.max_topics = kc_config_get_int(h->wc->parsed, "replications.topics.max");
    l.max_mappings = kc_config_get_int(h->wc->parsed, "replications.topic.mappings.max");
    return l;
}

char *kc_replications_provider(void *herder, const char *path, const char *key)
{
    return kc_replications_resolve(herder, path, key);
}

/* The specs of the registry (borrowed; herder thread), without the one named skip. */
static const kc_replication_spec **all_specs(kc_herder *h, size_t *n)
{
    size_t count = 0;
    for (struct kc_replication_entry *e = h->replications; e; e = e->next)
        count++;
    const kc_replication_spec **v = calloc(count + 1, sizeof *v);
    *n = 0;
    if (!v)
        return NULL;
    for (struct kc_replication_entry *e = h->replications; e; e = e->next)
        v[(*n)++] = e->spec;
    return v;
}

/* Writes the task (spec with its secrets; NULL deletes it): the config topic in distributed mode
 * (the listener then updates the registry), the registry itself in standalone mode. */
static int store_put(kc_herder *h, const char *name, const kc_replication_spec *spec, kc_error *err)
{
    char *text = NULL;
    if (spec) {
        json_t *root = json_object();
        json_object_set_new(root, "replication", kc_replication_spec_to_json(spec, true));
        text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(root);
        if (!text)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    int rc = 0;
    if (h->dist) {
        rc = kc_config_store_put_replication(h->dist->configs, name, text, err);
    } else {
        kc_replications_apply(h, name, text);
    }
    free(text);
    return rc;
}

/* ---- connection settings ---------------------------------------------------------------------- */

static bool is_reference(const char *v)
{
    size_t n = v ? strlen(v) : 0;
    return n > 3 && strncmp(v, "${", 2) == 0 && v[n - 1] == '}';
}

/* The worker's connection keys for the connectors: secret values become references resolved at
 * start, so that no password enters a connector config. */
static kc_props *local_connection_refs(kc_herder *h)
{
    kc_props *src = worker_connection(h), *out = kc_props_new();
    if (!src || !out) {
        kc_props_free(src);
        kc_props_free(out);
        return NULL;
    }
    for (size_t i = 0; i < kc_props_count(src); i++) {
        const char *k = kc_props_key_at(src, i), *v = kc_props_value_at(src, i);
        if (!kc_mirror_is_client_connection_key(k))
            continue;
        char ref[512];
        if (kc_client_config_is_secret(k) && !is_reference(v)) {
            snprintf(ref, sizeof ref, "${%s:worker:%s}", KC_REPLICATION_PROVIDER, k);
            v = ref;
        }
        kc_props_set(out, k, v);
    }
    kc_props_free(src);
    return out;
}

/* The value of a text holding ${provider:path:key} references, resolved by the worker's config
 * providers (those of config.providers and kconnect's own): a new string or NULL. */
static char *resolve_reference(kc_herder *h, const char *ref)
{
    kc_props *p = kc_props_new();
    kc_error err;
    kc_error_clear(&err);
    kc_props *r = p && kc_props_set(p, "v", ref) == 0 ? kc_worker_transform_config_new(h->worker, p, &err) : NULL;
    const char *v = r ? kc_props_get(r, "v") : NULL;
    char *out = v ? strdup(v) : NULL;
    kc_props_free(p);
    kc_props_free(r);
    return out;
}

/* "…\"" escaped for a JAAS quoted string. */
static void jaas_quote(char *out, size_t size, const char *s)
{
    size_t n = 0;
    for (; *s && n + 3 < size; s++) {
        if (*s == '"' || *s == '\\')
            out[n++] = '\\';
        out[n++] = *s;
    }
    out[n] = '\0';
}

/* Client settings for the peer with the password in clear (for the checks only; never stored or
 * logged). New props or NULL. */
static kc_props *peer_client_props(kc_herder *h, const kc_replication_spec *s)
{
    kc_props *p = kc_props_new();
    if (!p)
        return NULL;
    kc_props_set(p, "bootstrap.servers", s->peer_bootstrap_servers);
    kc_props_set(p, "security.protocol", kc_replication_security_name(s->peer_security_protocol));
    kc_props_set(p, "client.id", "kconnect-replication-check");
    if (s->peer_security_protocol != KC_REPLICATION_PLAINTEXT) {
        char *pw = NULL;
        if (is_reference(s->peer_password) && h)
            pw = resolve_reference(h, s->peer_password);
        const char *password = pw ? pw : s->peer_password ? s->peer_password : "";
        char user[512], pass[1024], jaas[2048];
        jaas_quote(user, sizeof user, s->peer_username ? s->peer_username : "");
        jaas_quote(pass, sizeof pass, password);
        snprintf(jaas, sizeof jaas, "%s required username=\"%s\" password=\"%s\";",
                 s->peer_sasl_mechanism == KC_REPLICATION_PLAIN ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                                                                : "org.apache.kafka.common.security.scram.ScramLoginModule",
                 user, pass);
        kc_props_set(p, "sasl.mechanism", kc_replication_mechanism_name(s->peer_sasl_mechanism));
        kc_props_set(p, "sasl.jaas.config", jaas);
        memset(pass, 0, sizeof pass);
        memset(jaas, 0, sizeof jaas);
        if (pw) {
            memset(pw, 0, strlen(pw));
            free(pw);
        }
    }
    if (s->peer_security_protocol == KC_REPLICATION_SASL_SSL) {
        kc_props_set(p, "ssl.endpoint.identification.algorithm", "https");
        const char *ca = s->peer_ca_certificate;
        if (ca && *ca) {
            kc_props_set(p, "ssl.truststore.type", "PEM");
            kc_props_set(p, strstr(ca, "-----BEGIN") ? "ssl.truststore.certificates" : "ssl.truststore.location", ca);
        }
    }
    return p;
}

/* The check's verdict in words: what failed and why. */
static void check_reason(const kc_replication_spec *s, const kc_error *e, char *out, size_t size)
{
    switch (e->code) {
    case KC_ERR_AUTH:
        snprintf(out, size, "authentication failed: SASL %s as user '%s' was refused by the peer cluster (%s)",
                 kc_replication_mechanism_name(s->peer_sasl_mechanism) ? kc_replication_mechanism_name(s->peer_sasl_mechanism) : "",
                 s->peer_username ? s->peer_username : "", e->msg);
        break;
    case KC_ERR_TLS:
        snprintf(out, size, "TLS handshake with the peer cluster failed (wrong CA certificate or host name?): %s",
                 e->msg);
        break;
    case KC_ERR_UNREACHABLE:
        snprintf(out, size, "no broker of the peer cluster is reachable at %s: %s", s->peer_bootstrap_servers, e->msg);
        break;
    case KC_ERR_TIMEOUT:
        snprintf(out, size, "the peer cluster at %s did not answer within %d s: %s", s->peer_bootstrap_servers,
                 CHECK_TIMEOUT_MS / 1000, e->msg);
        break;
    default:
        snprintf(out, size, "%s", e->msg);
    }
}

/* ---- jobs ------------------------------------------------------------------------------------- */

typedef enum job_kind { JOB_CREATE, JOB_UPDATE, JOB_CHECK, JOB_LIST, JOB_GET, JOB_STATUS, JOB_PAUSE, JOB_RESUME,
                        JOB_DELETE } job_kind;

typedef struct job {
    kc_herder *h;
    kc_rest_request *req;
    job_kind kind;
    char *name;                  /* from the URL */
    kc_replication_spec *spec;   /* CREATE / UPDATE / CHECK: parsed (and validated) body */
    kc_replication_spec *before; /* UPDATE: a copy of the stored spec when the check started */
    int peer_brokers, local_brokers;
    kc_cluster_info peer;
    kc_offset_map *start_offsets; /* CREATE with start_offset latest: the offsets to store first */
    size_t start_partitions;
} job;

static void job_free(job *j)
{
    if (!j)
        return;
    free(j->name);
    kc_replication_spec_free(j->spec);
    kc_replication_spec_free(j->before);
    kc_offset_map_free(j->start_offsets);
    free(j);
}

static void respond(kc_rest_request *req, const kc_error *err)
{
    int status = err->code == KC_ERR_NOT_FOUND ? 404
                 : err->code == KC_ERR_CONFLICT ? 409
                 : err->code == KC_ERR_INVALID || err->code == KC_ERR_AUTH || err->code == KC_ERR_TLS ||
                         err->code == KC_ERR_UNREACHABLE || err->code == KC_ERR_TIMEOUT
                     ? 400
                     : 500;
    kc_rest_respond_error(req, status, "%s", err->msg);
}

/* Answers err, forwarding to the leader when that is what it says. */
static void respond_or_forward(job *j, const kc_error *err)
{
    if (err->code == KC_ERR_REDIRECT)
        kc_herder_forward(j->h, j->req, err, NULL);
    else
        respond(j->req, err);
}

/* The state of a connector (task -1) or of one of its tasks (herder thread): its status, or
 * UNASSIGNED. worker / trace: new strings or NULL (free()); either may be NULL when not wanted. */
static kc_state state_of(kc_herder *h, kc_connector_entry *c, int task, char **worker, char **trace)
{
    kc_state st = KC_STATE_UNASSIGNED;
    char *w = NULL, *t = NULL;
    if (kc_herder_status(h, c, task, &st, &t, &w) == 0)
        st = KC_STATE_UNASSIGNED;
    if (worker)
        *worker = w;
    else
        free(w);
    if (trace)
        *trace = t;
    else
        free(t);
    return st;
}

/* The task's overall state from its connectors and their tasks. */
static const char *overall_state(kc_herder *h, const kc_replication_spec *s)
{
    char **names = NULL;
    size_t n = 0;
    kc_error err;
    if (kc_replication_connector_names(s, &names, &n, &err) != 0)
        return "UNKNOWN";
    int total = 0, running = 0, paused = 0, stopped = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        kc_connector_entry *c = kc_herder_find(h, names[i]);
        if (!c)
            continue;
        total++;
        kc_state st = state_of(h, c, -1, NULL, NULL);
        for (size_t t = 0; t < c->tasks.count && st == KC_STATE_RUNNING; t++) {
            kc_state ts = state_of(h, c, (int)t, NULL, NULL);
            if (ts != KC_STATE_RUNNING)
                st = ts == KC_STATE_FAILED ? KC_STATE_FAILED : KC_STATE_UNASSIGNED;
        }
        running += st == KC_STATE_RUNNING;
        paused += st == KC_STATE_PAUSED;
        stopped += st == KC_STATE_STOPPED;
        failed += st == KC_STATE_FAILED;
    }
    kc_replication_names_free(names, n);
    if (total == 0)
        return "UNASSIGNED";
    if (failed)
        return "FAILED";
    if (running == total)
        return "RUNNING";
    if (paused == total)
        return "PAUSED";
    if (stopped == total)
        return "STOPPED";
    return "STARTING";
}

static json_t *view_json(kc_herder *h, const kc_replication_spec *s)
{
    json_t *o = kc_replication_spec_to_json(s, false);
    char **names = NULL;
    size_t n = 0;
    kc_error err;
    json_t *a = json_array();
    if (kc_replication_connector_names(s, &names, &n, &err) == 0) {
        for (size_t i = 0; i < n; i++)
            if (kc_herder_find(h, names[i]))
                json_array_append_new(a, json_string(names[i]));
        kc_replication_names_free(names, n);
    }
    json_object_set_new(o, "connectors", a);
    return o;
}

static json_t *connector_status_json(kc_herder *h, kc_connector_entry *c, const char *kind)
{
    json_t *cj = json_object();
    char *worker = NULL, *trace = NULL;
    kc_state st = state_of(h, c, -1, &worker, &trace);
    json_object_set_new(cj, "name", json_string(c->name));
    json_object_set_new(cj, "kind", json_string(kind));
    json_object_set_new(cj, "state", json_string(kc_state_name(st)));
    json_object_set_new(cj, "worker_id", json_string(worker ? worker : ""));
    if (trace)
        json_object_set_new(cj, "trace", json_string(trace));
    free(worker);
    free(trace);
    json_t *tasks = json_array();
    for (size_t t = 0; t < c->tasks.count; t++) {
        char *tw = NULL, *tt = NULL;
        kc_state ts = state_of(h, c, (int)t, &tw, &tt);
        json_t *tj = json_object();
        json_object_set_new(tj, "id", json_integer((json_int_t)t));
        json_object_set_new(tj, "state", json_string(kc_state_name(ts)));
        json_object_set_new(tj, "worker_id", json_string(tw ? tw : ""));
        if (tt)
            json_object_set_new(tj, "trace", json_string(tt));
        free(tw);
        free(tt);
        json_array_append_new(tasks, tj);
    }
    json_object_set_new(cj, "tasks", tasks);
    if (strcmp(kind, "checkpoint") == 0) {
        /* the replay bound and offset sync outcome of each translated group (known on the worker
         * running the task; the others' are merged in by status_merge_remote) */
        json_object_set_new(cj, "groups", kc_mirror_checkpoint_groups_json_new(c->name));
    }
    return cj;
}

/* ---- status metrics (kconnect extension; mirror_metrics.h) ------------------------------------- */

/* The flow's records/s and topics from this process's MirrorSource tasks of the flow. */
static void status_flow_metrics(json_t *flow, const char *name, const char *kind, const char *source,
                                const char *target)
{
    char cname[512];
    snprintf(cname, sizeof cname, "%s-%s-%s-%s", name, kind, source, target);
    json_t *m = kc_mirror_source_metrics_json_new(cname);
    json_object_set(flow, "records_per_second", json_object_get(m, "records_per_second"));
    json_object_set(flow, "topics", json_object_get(m, "topics"));
    json_decref(m);
}

/* The status of a replication whose tasks run on several workers adds up what each worker knows:
 * the herder thread builds the status with this process's metrics, then, when a source or
 * checkpoint task runs on another worker, a detached thread (never the herder's) asks each such
 * worker for GET /replications/{name}/status?scope=worker, merges the answers and responds. A worker
 * that does not answer within STATUS_REMOTE_TIMEOUT_MS (or is no kconnect worker) adds nothing and
 * its flows get "metrics_incomplete": true. */
#define STATUS_REMOTE_TIMEOUT_MS 2000
#define STATUS_REMOTE_BUDGET_MS 5000

typedef struct status_merge {
    kc_rest_request *req;
    json_t *status;        /* the base answer (owned) */
    char *self;            /* this worker's id ("host:port", as in the status store) */
    const char *scheme;    /* of our own REST URL: the other workers' ids are "host:port" too */
    char *name;
    const kc_props *tls;   /* the worker's properties: lives as long as the herder (checks_add) */
    json_t *workers;       /* status_remote_workers of status (owned) */
} status_merge;

static bool same_worker(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    while (la && a[la - 1] == '/')
        la--;
    while (lb && b[lb - 1] == '/')
        lb--;
    return la == lb && strncmp(a, b, la) == 0;
}

static bool metrics_kind(const json_t *cj)
{
    const char *kind = json_string_value(json_object_get(cj, "kind"));
    return kind && (strcmp(kind, "source") == 0 || strcmp(kind, "checkpoint") == 0);
}

/* The ids of the other workers running source or checkpoint tasks of status (a new object used
 * as a set: id -> null). */
static json_t *status_remote_workers(const json_t *status, const char *self)
{
    json_t *set = json_object();
    const json_t *flows = json_object_get(status, "flows");
    for (size_t f = 0; f < json_array_size(flows); f++) {
        const json_t *conns = json_object_get(json_array_get(flows, f), "connectors");
        for (size_t c = 0; c < json_array_size(conns); c++) {
            const json_t *cj = json_array_get(conns, c), *tasks = json_object_get(cj, "tasks");
            for (size_t t = 0; metrics_kind(cj) && t < json_array_size(tasks); t++) {
                const char *w = json_string_value(json_object_get(json_array_get(tasks, t), "worker_id"));
                if (w && *w && !same_worker(w, self))
                    json_object_set_new(set, w, json_null());
            }
        }
    }
    return set;
}

/* GET <scheme>://<worker>/replications/{name}/status?scope=worker (a worker id that is a URL is
 * taken as it is): its "connectors" object (new reference), or NULL when it does not answer so. */
static json_t *status_fetch_worker(const status_merge *m, const char *worker, int timeout_ms)
{
    char *enc = evhttp_encode_uri(m->name);
    size_t len = strlen(worker);
    bool is_url = strstr(worker, "://") != NULL;
    char url[2048];
    snprintf(url, sizeof url, "%s%s%s%sreplications/%s/status?scope=worker", is_url ? "" : m->scheme,
             is_url ? "" : "://", worker, len && worker[len - 1] == '/' ? "" : "/", enc ? enc : m->name);
    free(enc);
    kc_http_response r = {0};
    kc_error err;
    kc_error_clear(&err);
    json_t *out = NULL;
    if (kc_http_request("GET", url, NULL, NULL, 0, m->tls, timeout_ms, &r, &err) != 0) {
        kc_log(KC_LOG_DEBUG, LOGGER, "Replication %s status: no metrics from worker %s: %s", m->name, worker, err.msg);
    } else if (r.status != 200 || !r.body) {
        kc_log(KC_LOG_DEBUG, LOGGER, "Replication %s status: worker %s answered %d to %s", m->name, worker, r.status,
               url);
    } else {
        json_t *root = json_loads(r.body, 0, NULL);
        json_t *conns = json_object_get(root, "connectors");
        if (json_is_object(conns))
            out = json_incref(conns);
        json_decref(root);
    }
    kc_http_response_clear(&r);
    return out;
}

/* Adds the answers (worker id -> connectors object, or null) into every flow of status. */
static void status_merge_answers(json_t *status, const json_t *answers, const char *self)
{
    json_t *flows = json_object_get(status, "flows");
    for (size_t f = 0; f < json_array_size(flows); f++) {
        json_t *flow = json_array_get(flows, f), *conns = json_object_get(flow, "connectors");
        bool incomplete = false;
        for (size_t c = 0; c < json_array_size(conns); c++) {
            json_t *cj = json_array_get(conns, c), *tasks = json_object_get(cj, "tasks");
            const char *cname = json_string_value(json_object_get(cj, "name"));
            if (!metrics_kind(cj) || !cname)
                continue;
            bool source = strcmp(json_string_value(json_object_get(cj, "kind")), "source") == 0;
            json_t *done = json_object(); /* a worker counts once per connector */
            for (size_t t = 0; t < json_array_size(tasks); t++) {
                const char *w = json_string_value(json_object_get(json_array_get(tasks, t), "worker_id"));
                if (!w || !*w || same_worker(w, self) || json_object_get(done, w))
                    continue;
                json_object_set_new(done, w, json_true());
                const json_t *ans = json_object_get(answers, w);
                if (!json_is_object(ans)) {
                    incomplete = true;
                    continue;
                }
                const json_t *mine = json_object_get(ans, cname);
                if (source)
                    kc_mirror_source_metrics_json_merge(flow, mine);
                else
                    kc_mirror_checkpoint_groups_json_merge(json_object_get(cj, "groups"),
                                                           json_object_get(mine, "groups"));
            }
            json_decref(done);
        }
        if (incomplete)
            json_object_set_new(flow, "metrics_incomplete", json_true());
    }
}

static void *status_merge_thread(void *arg)
{
    status_merge *m = arg;
    json_t *workers = m->workers, *answers = json_object();
    int64_t start = kc_dist_mono_ms();
    const char *w;
    json_t *ignored;
    json_object_foreach(workers, w, ignored) {
        int64_t left = STATUS_REMOTE_BUDGET_MS - (kc_dist_mono_ms() - start);
        json_t *ans = left > 100 ? status_fetch_worker(m, w, left < STATUS_REMOTE_TIMEOUT_MS ? (int)left
                                                                                            : STATUS_REMOTE_TIMEOUT_MS)
                                 : NULL;
        json_object_set_new(answers, w, ans ? ans : json_null());
    }
    status_merge_answers(m->status, answers, m->self);
    json_decref(workers);
    json_decref(answers);
    kc_rest_respond_json_new(m->req, 200, m->status);
    free(m->self);
    free(m->name);
    free(m);
    checks_add(-1);
    return NULL;
}

/* Answers status (taken) to req: at once when every task runs here, else after the other workers'
 * metrics were merged in on a detached thread. Herder thread. */
static void status_respond(kc_herder *h, kc_rest_request *req, const char *name, json_t *status)
{
    json_t *remote = status_remote_workers(status, h->worker_id);
    size_t n = json_object_size(remote);
    status_merge *m = n ? calloc(1, sizeof *m) : NULL;
    if (m && (!(m->self = strdup(h->worker_id)) || !(m->name = strdup(name)))) {
        free(m->self);
        free(m);
        m = NULL;
    }
    if (!m) {
        json_decref(remote);
        if (n) {
            json_t *flows = json_object_get(status, "flows");
            for (size_t f = 0; f < json_array_size(flows); f++)
                json_object_set_new(json_array_get(flows, f), "metrics_incomplete", json_true());
        }
        kc_rest_respond_json_new(req, 200, status);
        return;
    }
    m->req = req;
    m->status = status;
    m->tls = h->wc->originals;
    m->scheme = h->dist && strncmp(h->dist->url, "https:", 6) == 0 ? "https" : "http";
    m->workers = remote;
    if (start_detached(status_merge_thread, m) != 0) {
        json_decref(m->workers);
        free(m->self);
        free(m->name);
        free(m);
        kc_rest_respond_json_new(req, 200, status);
    }
}

/* GET /replications/{name}/status?scope=worker (kconnect extension): only this process's metrics of
 * the replication's connectors, {"name", "worker_id", "connectors": {"<connector>":
 * {"records_per_second", "tasks", "topics", "groups"}}} (connectors without any left out), which
 * the worker building the full status merges. REST thread: reads the registry under status_lock,
 * the metrics from their own registries; never waits for the herder. */
static void status_worker_scope(kc_rest_request *req, kc_herder *h)
{
    const char *name = kc_rest_request_param(req, 0);
    char **names = NULL;
    size_t n = 0;
    kc_error err;
    kc_error_clear(&err);
    pthread_mutex_lock(&h->status_lock);
    struct kc_replication_entry *e = find_entry(h, name);
    int rc = e ? kc_replication_connector_names(e->spec, &names, &n, &err) : 1;
    pthread_mutex_unlock(&h->status_lock);
    if (rc == 1) {
        kc_rest_respond_error(req, 404, "Replication %s not found", name);
        return;
    }
    if (rc != 0) {
        respond(req, &err);
        return;
    }
    json_t *conns = json_object();
    for (size_t i = 0; i < n; i++) {
        json_t *m = kc_mirror_source_metrics_json_new(names[i]);
        json_t *groups = kc_mirror_checkpoint_groups_json_new(names[i]);
        bool any = json_integer_value(json_object_get(m, "tasks")) > 0 || json_array_size(groups) > 0;
        json_object_set_new(m, "groups", groups);
        if (any)
            json_object_set_new(conns, names[i], m);
        else
            json_decref(m);
    }
    kc_replication_names_free(names, n);
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(name));
    const char *self = kc_rest_server_advertised_url(kc_rest_request_server(req));
    json_object_set_new(o, "worker_id", json_string(self ? self : ""));
    json_object_set_new(o, "connectors", conns);
    kc_rest_respond_json_new(req, 200, o);
}

static json_t *status_json(kc_herder *h, const kc_replication_spec *s)
{
    static const char *const kinds[] = {"source", "checkpoint", "heartbeat"};
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(s->name));
    json_object_set_new(o, "direction", json_string(kc_replication_direction_name(s->direction)));
    json_object_set_new(o, "state", json_string(overall_state(h, s)));
    json_t *flows = json_array();
    const char *local = s->current_alias, *peer = s->peer_alias;
    const char *pairs[2][2] = {{peer, local}, {local, peer}}; /* pull, push */
    for (int f = 0; f < 2; f++) {
        if ((f == 0 && s->direction == KC_REPLICATION_PUSH) || (f == 1 && s->direction == KC_REPLICATION_PULL))
            continue;
        json_t *flow = json_object();
        char label[128];
        snprintf(label, sizeof label, "%s->%s", pairs[f][0], pairs[f][1]);
        json_object_set_new(flow, "flow", json_string(label));
        json_object_set_new(flow, "source_cluster", json_string(pairs[f][0]));
        json_object_set_new(flow, "target_cluster", json_string(pairs[f][1]));
        json_t *conns = json_array();
        for (int k = 0; k < 3; k++) {
            char cname[512];
            snprintf(cname, sizeof cname, "%s-%s-%s-%s", s->name, kinds[k], pairs[f][0], pairs[f][1]);
            kc_connector_entry *c = kc_herder_find(h, cname);
            if (c)
                json_array_append_new(conns, connector_status_json(h, c, kinds[k]));
        }
        json_object_set_new(flow, "connectors", conns);
        status_flow_metrics(flow, s->name, kinds[0], pairs[f][0], pairs[f][1]);
        json_array_append_new(flows, flow);
    }
    json_object_set_new(o, "flows", flows);
    return o;
}

/* The connectors of spec (replicas resolved) with references for every secret. */
static int build_connectors_of(job *j, const kc_replication_spec *spec, kc_replication_connectors *out, kc_error *err)
{
    kc_props *local = local_connection_refs(j->h);
    if (!local)
        return kc_error_set(err, KC_ERR_INTERNAL, "cannot read the worker's connection settings");
    char ref[600];
    if (is_reference(spec->peer_password))
        snprintf(ref, sizeof ref, "%s", spec->peer_password);
    else
        snprintf(ref, sizeof ref, "${%s:%s:peer.password}", KC_REPLICATION_PROVIDER, spec->name);
    kc_replication_env env = {.local_connection = local, .peer_password_ref = ref,
                              .local_brokers = j->local_brokers, .peer_brokers = j->peer_brokers};
    int rc = kc_replication_connectors_build(spec, &env, out, err);
    kc_props_free(local);
    return rc;
}

static int build_connectors(job *j, kc_replication_connectors *out, kc_error *err)
{
    return build_connectors_of(j, j->spec, out, err);
}

static void delete_connectors(kc_herder *h, const kc_replication_spec *s)
{
    char **names = NULL;
    size_t n = 0;
    kc_error err;
    if (kc_replication_connector_names(s, &names, &n, &err) != 0)
        return;
    for (size_t i = 0; i < n; i++)
        if (kc_herder_find(h, names[i]) && kc_herder_delete(h, names[i], &err) != 0)
            kc_log(KC_LOG_WARN, LOGGER, "Replication %s: deleting connector %s: %s", s->name, names[i], err.msg);
    kc_replication_names_free(names, n);
}

/* Creates or replaces the connectors of j->spec; update: the old spec whose surplus connectors are
 * deleted. */
static int apply_connectors(job *j, const kc_replication_spec *old, kc_error *err)
{
    kc_replication_connectors conns = {0};
    if (build_connectors(j, &conns, err) != 0)
        return -1;
    int initial = old ? -1 : kc_target_state_parse(conns.initial_state);
    int rc = 0;
    for (size_t i = 0; i < conns.count && rc == 0; i++) {
        int created = 0;
        rc = kc_herder_put(j->h, conns.items[i].name, conns.items[i].config, initial, old != NULL, &created, err);
        if (rc != 0)
            kc_error_prefix(err, "connector %s", conns.items[i].name);
    }
    if (rc == 0 && old) {
        char **names = NULL;
        size_t n = 0;
        kc_error e2;
        if (kc_replication_connector_names(old, &names, &n, &e2) == 0) {
            for (size_t i = 0; i < n; i++)
                if (!kc_replication_connectors_find(&conns, names[i]) && kc_herder_find(j->h, names[i]) &&
                    kc_herder_delete(j->h, names[i], &e2) != 0)
                    kc_log(KC_LOG_WARN, LOGGER, "Replication %s: deleting connector %s: %s", old->name, names[i],
                           e2.msg);
            kc_replication_names_free(names, n);
        }
    }
    kc_replication_connectors_free(&conns);
    return rc;
}

/* Start offset latest: writes the offsets the check thread found (before the connectors start). */
static int store_start_offsets(job *j, kc_error *err)
{
    if (!j->start_offsets)
        return 0;
    if (kc_offset_map_count(j->start_offsets) > 0 &&
        kc_offset_store_set(j->h->offsets, j->start_offsets, NULL, NULL, 0, err) != 0)
        return kc_error_prefix(err, "cannot store the start offsets of replication %s", j->spec->name);
    kc_log(KC_LOG_INFO, LOGGER, "Replication %s starts at the current end of %zu %spartition(s) (start offset latest, "
           "stored as Connect offsets); partitions appearing later are copied from their first record",
           j->spec->name, j->start_partitions, j->before ? "newly selected " : "");
    return 0;
}

static int leader_only(job *j, kc_error *err)
{
    return j->h->dist ? kc_dist_check_leader(j->h, false, err) : 0;
}

static void do_create(job *j)
{
    kc_herder *h = j->h;
    kc_error err;
    kc_error_clear(&err);
    if (leader_only(j, &err) != 0) {
        respond_or_forward(j, &err);
        return;
    }
    size_t n = 0;
    const kc_replication_spec **all = all_specs(h, &n);
    kc_replication_limits limits = limits_of(h);
    int rc = all ? kc_replication_check_against(j->spec, (const kc_replication_spec *const *)all, n, &limits, NULL,
                                                &err)
                 : kc_error_set(&err, KC_ERR_INTERNAL, "out of memory");
    free(all);
    if (rc == 0)
        rc = kc_replication_spec_resolve_replicas(j->spec, j->local_brokers, j->peer_brokers, &err);
    if (rc == 0)
        rc = store_start_offsets(j, &err);
    if (rc != 0) {
        respond(j->req, &err);
        return;
    }
    if (store_put(h, j->spec->name, j->spec, &err) != 0) {
        respond(j->req, &err);
        return;
    }
    if (apply_connectors(j, NULL, &err) != 0) {
        kc_log(KC_LOG_ERROR, LOGGER, "Replication %s could not be created: %s", j->spec->name, err.msg);
        delete_connectors(h, j->spec);
        kc_error e2;
        store_put(h, j->spec->name, NULL, &e2);
        respond(j->req, &err);
        return;
    }
    kc_log(KC_LOG_INFO, LOGGER, "Replication %s created: %s, %s <-> %s at %s", j->spec->name,
           kc_replication_direction_name(j->spec->direction), j->spec->current_alias, j->spec->peer_alias,
           j->spec->peer_bootstrap_servers);
    char location[1024];
    const char *base = kc_rest_server_advertised_url(kc_rest_request_server(j->req));
    char *enc = evhttp_encode_uri(j->spec->name);
    snprintf(location, sizeof location, "%sreplications/%s", base ? base : "/", enc ? enc : j->spec->name);
    free(enc);
    kc_rest_respond_json_header_new(j->req, 201, view_json(h, j->spec), "Location", location);
}

static void do_update(job *j)
{
    kc_herder *h = j->h;
    kc_error err;
    kc_error_clear(&err);
    if (leader_only(j, &err) != 0) {
        respond_or_forward(j, &err);
        return;
    }
    struct kc_replication_entry *e = find_entry(h, j->name);
    if (!e) {
        kc_rest_respond_error(j->req, 404, "Replication %s not found", j->name);
        return;
    }
    kc_replication_spec *old = kc_replication_spec_copy(e->spec);
    size_t n = 0;
    const kc_replication_spec **all = all_specs(h, &n);
    kc_replication_limits limits = limits_of(h);
    int rc = !old || !all ? kc_error_set(&err, KC_ERR_INTERNAL, "out of memory")
                          : kc_replication_check_update(old, j->spec, &err);
    if (rc == 0)
        rc = kc_replication_check_against(j->spec, (const kc_replication_spec *const *)all, n, &limits, j->name, &err);
    free(all);
    if (rc == 0)
        rc = kc_replication_spec_resolve_replicas(j->spec, j->local_brokers, j->peer_brokers, &err);
    if (rc == 0)
        rc = store_start_offsets(j, &err);
    if (rc == 0)
        rc = store_put(h, j->name, j->spec, &err);
    if (rc == 0)
        rc = apply_connectors(j, old, &err);
    kc_replication_spec_free(old);
    if (rc != 0) {
        respond(j->req, &err);
        return;
    }
    kc_log(KC_LOG_INFO, LOGGER, "Replication %s updated", j->name);
    kc_rest_respond_json_new(j->req, 200, view_json(h, j->spec));
}

static void do_delete(job *j)
{
    kc_herder *h = j->h;
    kc_error err;
    kc_error_clear(&err);
    struct kc_replication_entry *e = find_entry(h, j->name);
    if (!e) {
        kc_rest_respond_error(j->req, 404, "Replication %s not found", j->name);
        return;
    }
    if (leader_only(j, &err) != 0) {
        respond_or_forward(j, &err);
        return;
    }
    kc_replication_spec *spec = kc_replication_spec_copy(e->spec);
    if (!spec) {
        kc_rest_respond_error(j->req, 500, "out of memory");
        return;
    }
    delete_connectors(h, spec);
    if (store_put(h, j->name, NULL, &err) != 0) {
        kc_replication_spec_free(spec);
        respond(j->req, &err);
        return;
    }
    kc_replication_spec_free(spec);
    kc_log(KC_LOG_INFO, LOGGER, "Replication %s deleted", j->name);
    kc_rest_respond_json_new(j->req, 204, NULL);
}

static void do_target(job *j, kc_target_state target)
{
    kc_herder *h = j->h;
    struct kc_replication_entry *e = find_entry(h, j->name);
    if (!e) {
        kc_rest_respond_error(j->req, 404, "Replication %s not found", j->name);
        return;
    }
    char **names = NULL;
    size_t n = 0;
    kc_error err;
    kc_error_clear(&err);
    if (kc_replication_connector_names(e->spec, &names, &n, &err) != 0) {
        respond(j->req, &err);
        return;
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        kc_connector_entry *c = kc_herder_find(h, names[i]);
        if (c)
            rc = kc_herder_set_target(h, c, target, &err);
    }
    kc_replication_names_free(names, n);
    if (rc != 0) {
        respond_or_forward(j, &err);
        return;
    }
    kc_rest_respond_json_new(j->req, 202, NULL);
}

static void run_job(kc_herder *h, void *arg)
{
    job *j = arg;
    (void)h;
    switch (j->kind) {
    case JOB_CREATE:
        do_create(j);
        break;
    case JOB_UPDATE:
        do_update(j);
        break;
    case JOB_DELETE:
        do_delete(j);
        break;
    case JOB_PAUSE:
        do_target(j, KC_TARGET_PAUSED);
        break;
    case JOB_RESUME:
        do_target(j, KC_TARGET_STARTED);
        break;
    case JOB_LIST: {
        json_t *a = json_array();
        for (struct kc_replication_entry *e = j->h->replications; e; e = e->next) {
            json_t *o = json_object();
            json_object_set_new(o, "name", json_string(e->name));
            json_object_set_new(o, "direction", json_string(kc_replication_direction_name(e->spec->direction)));
            json_object_set_new(o, "current_alias", json_string(e->spec->current_alias));
            json_object_set_new(o, "peer_alias", json_string(e->spec->peer_alias));
            json_object_set_new(o, "state", json_string(overall_state(j->h, e->spec)));
            json_array_append_new(a, o);
        }
        kc_rest_respond_json_new(j->req, 200, a);
        break;
    }
    case JOB_GET:
    case JOB_STATUS: {
        struct kc_replication_entry *e = find_entry(j->h, j->name);
        if (!e)
            kc_rest_respond_error(j->req, 404, "Replication %s not found", j->name);
        else if (j->kind == JOB_GET)
            kc_rest_respond_json_new(j->req, 200, view_json(j->h, e->spec));
        else
            status_respond(j->h, j->req, e->name, status_json(j->h, e->spec));
        break;
    }
    case JOB_CHECK:
        break;
    }
    job_free(j);
}

static void submit_job(job *j)
{
    if (kc_herder_submit(j->h, run_job, j) != 0) {
        kc_rest_respond_error(j->req, 500, "Worker is shutting down");
        job_free(j);
    }
}

/* ---- the checking thread ---------------------------------------------------------------------- */

static int broker_count(const kc_props *props, kc_cluster_info *info, kc_error *err)
{
    return kc_check_connection(props, CHECK_TIMEOUT_MS, info, err);
}

static void *check_thread_run(job *j);

/* The client settings of the two clusters of a job (check thread). */
typedef struct clusters {
    const kc_replication_spec *spec;
    kc_props *local, *peer;
} clusters;

static const kc_props *client_of(void *ctx, const char *alias)
{
    clusters *c = ctx;
    return strcmp(alias, c->spec->peer_alias) == 0 ? c->peer : strcmp(alias, c->spec->current_alias) == 0 ? c->local
                                                                                                         : NULL;
}

/* Start offset latest: the current end of every selected partition, as Connect offsets stored
 * before the connectors are created (spec 8.5; replication_start_offsets.h). */
static int start_offsets(job *j, kc_props *local, kc_props *peer, kc_error *err)
{
    kc_replication_connectors conns = {0}, before = {0};
    if (build_connectors(j, &conns, err) != 0)
        return -1;
    if (j->before && build_connectors_of(j, j->before, &before, err) != 0) {
        kc_replication_connectors_free(&conns);
        return -1;
    }
    clusters c = {j->spec, local, peer};
    int rc = c.local && c.peer ? kc_replication_start_offsets(&conns, j->before ? &before : NULL, client_of, &c,
                                                              CHECK_TIMEOUT_MS, &j->start_offsets, &j->start_partitions,
                                                              err)
                               : kc_error_set(err, KC_ERR_INTERNAL, "cannot read the connection settings");
    kc_replication_connectors_free(&conns);
    kc_replication_connectors_free(&before);
    return rc;
}

static void *check_thread(void *arg)
{
    check_thread_run(arg);
    checks_add(-1);
    return NULL;
}

static void *check_thread_run(job *j)
{
    kc_error err;
    kc_error_clear(&err);
    kc_props *peer = peer_client_props(j->h, j->spec);
    int rc = peer ? broker_count(peer, &j->peer, &err) : kc_error_set(&err, KC_ERR_INTERNAL, "out of memory");
    if (j->kind == JOB_CHECK || rc != 0) { /* else kept for start_offsets */
        kc_props_free(peer);
        peer = NULL;
    }
    if (j->kind == JOB_CHECK) {
        if (rc != 0) {
            char reason[2048];
            check_reason(j->spec, &err, reason, sizeof reason);
            kc_rest_respond_error(j->req, 400, "Connectivity check failed: %s", reason);
        } else {
            json_t *o = json_object();
            json_object_set_new(o, "message", json_string(CHECK_PASSED));
            json_object_set_new(o, "cluster_id", json_string(j->peer.cluster_id));
            json_object_set_new(o, "brokers", json_integer(j->peer.broker_count));
            json_object_set_new(o, "bootstrap_servers", json_string(j->spec->peer_bootstrap_servers));
            json_object_set_new(o, "security_protocol",
                                json_string(kc_replication_security_name(j->spec->peer_security_protocol)));
            json_object_set_new(o, "tls", json_string(j->spec->peer_security_protocol == KC_REPLICATION_SASL_SSL
                                                          ? "ok"
                                                          : "not used"));
            json_object_set_new(o, "authentication",
                                json_string(j->spec->peer_security_protocol == KC_REPLICATION_PLAINTEXT ? "not used"
                                                                                                        : "ok"));
            json_object_set_new(o, "latency_ms", json_integer(j->peer.elapsed_ms));
            kc_rest_respond_json_new(j->req, 200, o);
        }
        job_free(j);
        return NULL;
    }
    if (rc != 0) {
        char reason[2048];
        check_reason(j->spec, &err, reason, sizeof reason);
        kc_rest_respond_error(j->req, 400, "Connectivity check of the peer cluster failed: %s", reason);
        job_free(j);
        return NULL;
    }
    j->peer_brokers = j->peer.broker_count;
    kc_props *local = worker_connection(j->h);
    kc_cluster_info li;
    kc_error lerr;
    if (local && broker_count(local, &li, &lerr) == 0)
        j->local_brokers = li.broker_count;
    rc = (j->kind == JOB_CREATE || j->kind == JOB_UPDATE) && j->spec->start_offset == KC_REPLICATION_LATEST
             ? start_offsets(j, local, peer, &err)
             : 0;
    kc_props_free(local);
    kc_props_free(peer);
    if (rc != 0) {
        respond(j->req, &err);
        job_free(j);
        return NULL;
    }
    submit_job(j);
    return NULL;
}

static void start_check(job *j)
{
    if (start_detached(check_thread, j) != 0) {
        kc_rest_respond_error(j->req, 500, "cannot start the connectivity check");
        job_free(j);
    }
}

/* ---- REST handlers (REST thread) -------------------------------------------------------------- */

static job *new_job(kc_rest_request *req, kc_herder *h, job_kind kind, bool named)
{
    job *j = calloc(1, sizeof *j);
    if (!j || (named && !(j->name = strdup(kc_rest_request_param(req, 0))))) {
        free(j);
        kc_rest_respond_error(req, 500, "out of memory");
        return NULL;
    }
    j->h = h;
    j->req = req;
    j->kind = kind;
    return j;
}

/* The request body as a spec; name: the URL's name (update), which the body may omit. */
static kc_replication_spec *body_spec(kc_rest_request *req, const char *name, bool validate)
{
    json_t *body = kc_rest_request_json(req);
    if (!json_is_object(body)) {
        kc_rest_respond_error(req, 400, "Request body must be a JSON object");
        return NULL;
    }
    json_t *copy = json_deep_copy(body);
    if (name) {
        json_t *bn = json_object_get(copy, "name");
        if (json_is_string(bn) && strcmp(json_string_value(bn), name) != 0) {
            kc_rest_respond_error(req, 400, "Replication name in the request body (%s) doesn't match the name in "
                                            "the URL (%s)", json_string_value(bn), name);
            json_decref(copy);
            return NULL;
        }
        json_object_set_new(copy, "name", json_string(name));
        /* the read-only list of a GET answer: a body copied from a GET is a valid update */
        json_object_del(copy, "connectors");
    }
    kc_error err;
    kc_error_clear(&err);
    kc_replication_spec *s = kc_replication_spec_from_json(copy, &err);
    json_decref(copy);
    if (s && validate && kc_replication_spec_validate(s, NULL, &err) != 0) {
        kc_replication_spec_free(s);
        s = NULL;
    }
    if (!s)
        respond(req, &err);
    return s;
}

/* Validates s (taken) and starts the network checks of a job of kind, or answers the error. */
static void validate_then_check(kc_rest_request *req, kc_herder *h, kc_replication_spec *s,
                                const kc_replication_limits *limits, job_kind kind)
{
    kc_error err;
    kc_error_clear(&err);
    if (kc_replication_spec_validate(s, limits, &err) != 0) {
        kc_replication_spec_free(s);
        respond(req, &err);
        return;
    }
    job *j = new_job(req, h, kind, false);
    if (!j) {
        kc_replication_spec_free(s);
        return;
    }
    j->spec = s;
    start_check(j);
}

static void h_create(kc_rest_request *req, void *hp)
{
    kc_replication_spec *s = body_spec(req, NULL, false);
    if (!s)
        return;
    kc_replication_limits limits = limits_of(hp);
    validate_then_check(req, hp, s, &limits, JOB_CREATE);
}

/* An update keeps the stored password when the body has none: the herder thread fills it in, so
 * the body is validated there (after keep_password). */
static void update_job(kc_herder *h, void *arg);

static void h_update(kc_rest_request *req, void *hp)
{
    const char *name = kc_rest_request_param(req, 0);
    kc_replication_spec *s = body_spec(req, name, false);
    if (!s)
        return;
    job *j = new_job(req, hp, JOB_UPDATE, true);
    if (!j) {
        kc_replication_spec_free(s);
        return;
    }
    j->spec = s;
    if (kc_herder_submit(j->h, update_job, j) != 0) {
        kc_rest_respond_error(req, 500, "Worker is shutting down");
        job_free(j);
    }
}

static void update_job(kc_herder *h, void *arg)
{
    job *j = arg;
    struct kc_replication_entry *e = find_entry(h, j->name);
    if (!e) {
        kc_rest_respond_error(j->req, 404, "Replication %s not found", j->name);
        job_free(j);
        return;
    }
    kc_error err;
    kc_error_clear(&err);
    kc_replication_limits limits = limits_of(h);
    if (kc_replication_spec_keep_password(j->spec, e->spec, &err) != 0 ||
        kc_replication_spec_validate(j->spec, &limits, &err) != 0 ||
        kc_replication_check_update(e->spec, j->spec, &err) != 0) {
        respond(j->req, &err);
        job_free(j);
        return;
    }
    if (!(j->before = kc_replication_spec_copy(e->spec))) {
        kc_rest_respond_error(j->req, 500, "out of memory");
        job_free(j);
        return;
    }
    start_check(j); /* then do_update on this thread again */
}

static void h_check(kc_rest_request *req, void *hp)
{
    json_t *body = kc_rest_request_json(req);
    if (!json_is_object(body)) {
        kc_rest_respond_error(req, 400, "Request body must be a JSON object");
        return;
    }
    /* only the peer settings matter: fill in what a full body would need */
    json_t *copy = json_deep_copy(body);
    if (!json_object_get(copy, "name"))
        json_object_set_new(copy, "name", json_string("connectivity-check"));
    if (!json_object_get(copy, "current_alias"))
        json_object_set_new(copy, "current_alias", json_string("local"));
    if (!json_object_get(copy, "peer_alias"))
        json_object_set_new(copy, "peer_alias", json_string("peer"));
    if (!json_object_get(copy, "direction"))
        json_object_set_new(copy, "direction", json_string("pull"));
    if (!json_object_get(copy, "topics") && !json_object_get(copy, "topics_regex") &&
        !json_object_get(copy, "topic_mapping"))
        json_object_set_new(copy, "topics_regex", json_string(".*"));
    kc_error err;
    kc_error_clear(&err);
    kc_replication_spec *s = kc_replication_spec_from_json(copy, &err);
    json_decref(copy);
    if (!s) {
        respond(req, &err);
        return;
    }
    validate_then_check(req, hp, s, NULL, JOB_CHECK);
}

#define SIMPLE(fn, kind, named)                                                                                        \
    static void fn(kc_rest_request *req, void *hp)                                                                     \
    {                                                                                                                  \
        job *j = new_job(req, hp, kind, named);                                                                        \
        if (j)                                                                                                         \
            submit_job(j);                                                                                             \
    }
SIMPLE(h_list, JOB_LIST, false)
SIMPLE(h_get, JOB_GET, true)
SIMPLE(h_status_all, JOB_STATUS, true)

/* ?scope=worker: this worker's metrics only, answered on the REST thread (status_worker_scope). */
static void h_status(kc_rest_request *req, void *hp)
{
    const char *scope = kc_rest_request_query(req, "scope");
    if (scope && strcmp(scope, "worker") == 0)
        status_worker_scope(req, hp);
    else
        h_status_all(req, hp);
}
SIMPLE(h_pause, JOB_PAUSE, true)
SIMPLE(h_resume, JOB_RESUME, true)
SIMPLE(h_delete, JOB_DELETE, true)

/* The checks take up to 10 s each (peer, then the local cluster), then the herder acts. */
#define SLOW_MS 45000

static const kc_rest_resource resources[] = {
    {{KC_HTTP_GET, "/replications"}, h_list, 0, 0, NULL},
    {{KC_HTTP_POST, "/replications"}, h_create, KC_REST_BODY, SLOW_MS, NULL},
    {{KC_HTTP_POST, "/replications/check"}, h_check, KC_REST_BODY, SLOW_MS, NULL},
    {{KC_HTTP_GET, "/replications/{name}"}, h_get, 0, 0, NULL},
    {{KC_HTTP_PUT, "/replications/{name}"}, h_update, KC_REST_BODY, SLOW_MS, NULL},
    {{KC_HTTP_DELETE, "/replications/{name}"}, h_delete, 0, SLOW_MS, NULL},
    {{KC_HTTP_GET, "/replications/{name}/status"}, h_status, 0, 0, NULL},
    {{KC_HTTP_PUT, "/replications/{name}/pause"}, h_pause, 0, 0, NULL},
    {{KC_HTTP_PUT, "/replications/{name}/resume"}, h_resume, 0, 0, NULL},
};

int kc_replications_register_rest(kc_herder *h, struct kc_rest_server *srv, kc_error *err)
{
    return kc_rest_server_add(srv, resources, sizeof resources / sizeof resources[0], h, err);
}
