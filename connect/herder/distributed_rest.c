/*
 * Distributed mode's request handling: which worker serves what (spec connect-rest-api.md §13.1),
 * the leader's config-topic writes behind the REST operations, forwarding to the leader or the
 * owner (§13.2), the internal task-config endpoint with KIP-507 signatures (§13.4), and the
 * follower's signed POST of its task configs to the leader (group spec §6.7).
 */
#include "distributed_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>
#include <jansson.h>

#include "connect/api/log.h"
#include "connect/herder/request_signing.h"
#include "rest/client.h"

#define LOGGER KC_DIST_LOGGER
#define FORWARD_TIMEOUT_MS 90000

#define MSG_STALE "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent " \
                  "config change)"
#define MSG_NO_LEADER "Cannot complete request momentarily due to no known leader URL, likely because a rebalance " \
                      "was underway."
#define MSG_CONFLICT "Cannot complete request because of a conflicting operation (e.g. worker rebalance)"

/* ---- state queries (any thread) ------------------------------------------------------------------ */

bool kc_dist_rebalance_pending(kc_herder *h)
{
    kc_dist *d = h->dist;
    pthread_mutex_lock(&d->lock);
    bool v = d->rebalance_pending;
    pthread_mutex_unlock(&d->lock);
    return v;
}

bool kc_dist_is_leader(kc_herder *h)
{
    kc_dist *d = h->dist;
    pthread_mutex_lock(&d->lock);
    bool v = d->leader && d->joined;
    pthread_mutex_unlock(&d->lock);
    return v;
}

static int redirect_to_leader(kc_dist *d, kc_error *err)
{
    pthread_mutex_lock(&d->lock);
    kc_error_set(err, KC_ERR_REDIRECT, "%s", d->joined ? d->leader_url : "");
    pthread_mutex_unlock(&d->lock);
    return -1;
}

int kc_dist_check_leader(kc_herder *h, bool rebalance_check, kc_error *err)
{
    if (rebalance_check && kc_dist_rebalance_pending(h))
        return kc_error_set(err, KC_ERR_CONFLICT, MSG_STALE);
    if (!kc_dist_is_leader(h))
        return redirect_to_leader(h->dist, err);
    return 0;
}

/* ---- leader operations (herder thread) ----------------------------------------------------------- */

int kc_dist_put(kc_herder *h, const char *name, const kc_props *config, int initial_target, bool allow_replace,
                int *created, kc_error *err)
{
    if (kc_dist_check_leader(h, false, err) != 0)
        return -1;
    kc_dist *d = h->dist;
    bool exists = kc_herder_find(h, name) != NULL;
    if (exists && !allow_replace)
        return kc_error_set(err, KC_ERR_CONFLICT, "Connector %s already exists", name);
    kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Connector %s config %s", d->client_id,
           d->wc->group_id, name, exists ? "updated" : "created");
    if (kc_config_store_put_connector(d->configs, name, config, exists ? -1 : initial_target, err) != 0)
        return -1;
    *created = !exists;
    if (!kc_herder_find(h, name))
        return kc_error_set(err, KC_ERR_INTERNAL, "Connector %s was written but not read back from the config topic",
                            name);
    return 0;
}

int kc_dist_delete(kc_herder *h, const char *name, kc_error *err)
{
    if (kc_dist_check_leader(h, false, err) != 0)
        return -1;
    if (!kc_herder_find(h, name))
        return kc_error_set(err, KC_ERR_NOT_FOUND, "Connector %s not found", name);
    kc_dist *d = h->dist;
    if (kc_config_store_remove_connector(d->configs, name, err) != 0)
        return -1;
    kc_log(KC_LOG_INFO, LOGGER, "[Worker clientId=%s, groupId=%s] Deleted connector %s", d->client_id,
           d->wc->group_id, name);
    return 0;
}

int kc_dist_set_target(kc_herder *h, kc_connector_entry *c, kc_target_state target, kc_error *err)
{
    kc_dist *d = h->dist;
    if (target == KC_TARGET_STOPPED) {
        if (kc_dist_check_leader(h, false, err) != 0)
            return -1;
        /* empty task configs first, so a stopped connector has no tasks to assign (§6.9) */
        if (kc_config_store_put_task_configs(d->configs, c->name, NULL, 0, err) != 0)
            return -1;
        if (kc_config_store_put_target_state(d->configs, c->name, target, err) != 0)
            return -1;
        return kc_config_store_read_to_end(d->configs, 30000, err);
    }
    return kc_config_store_put_target_state(d->configs, c->name, target, err);
}

/* The URL of the worker whose status says it runs the connector (task -1) or task, from the status
 * topic (worker ids are the advertised host:port), with our scheme. 0, or -1 when unknown. */
static int owner_url(kc_herder *h, kc_connector_entry *c, int task, char *buf, size_t size)
{
    kc_state st;
    char *trace = NULL, *worker = NULL;
    int found = kc_dist_status(h, c, task, &st, &trace, &worker);
    free(trace);
    if (!found || !worker || !*worker || st == KC_STATE_UNASSIGNED) {
        free(worker);
        return -1;
    }
    const char *scheme = strncmp(h->dist->url, "https:", 6) == 0 ? "https" : "http";
    snprintf(buf, size, "%s://%s/", scheme, worker);
    free(worker);
    return 0;
}

static int restart_elsewhere(kc_herder *h, kc_connector_entry *c, int task, kc_error *err)
{
    if (!kc_dist_is_leader(h))
        return redirect_to_leader(h->dist, err);
    char url[600];
    if (owner_url(h, c, task, url, sizeof url) != 0 || strcmp(url, h->dist->url) == 0)
        return kc_error_set(err, KC_ERR_CONFLICT, MSG_CONFLICT);
    return kc_error_set(err, KC_ERR_REDIRECT, "%s", url);
}

static bool runs_here(kc_dist *d, const char *name, int task)
{
    if (task < 0) {
        for (size_t i = 0; i < d->running.nconnectors; i++)
            if (strcmp(d->running.connectors[i], name) == 0)
                return true;
        return false;
    }
    for (size_t i = 0; i < d->running.ntasks; i++)
        if (d->running.tasks[i].task == task && strcmp(d->running.tasks[i].connector, name) == 0)
            return true;
    return false;
}

int kc_dist_restart_connector(kc_herder *h, kc_connector_entry *c, kc_error *err)
{
    kc_dist *d = h->dist;
    if (kc_dist_rebalance_pending(h))
        return kc_error_set(err, KC_ERR_CONFLICT, MSG_STALE);
    if (!runs_here(d, c->name, -1))
        return restart_elsewhere(h, c, -1, err);
    kc_log(KC_LOG_INFO, LOGGER, "Restarting connector %s", c->name);
    kc_worker_stop_connector(h->worker, c->name);
    if (kc_worker_start_connector(h->worker, c->name, c->config, c->target, err) != 0)
        return kc_error_set(err, KC_ERR_INTERNAL, "Failed to start connector: %s", c->name);
    if (c->target == KC_TARGET_STARTED)
        kc_dist_reconfigure(h, c->name);
    return 0;
}

int kc_dist_restart_task(kc_herder *h, kc_connector_entry *c, int task, kc_error *err)
{
    kc_dist *d = h->dist;
    if (kc_dist_rebalance_pending(h))
        return kc_error_set(err, KC_ERR_CONFLICT, MSG_STALE);
    if (task < 0 || (size_t)task >= c->tasks.count)
        return kc_error_set(err, KC_ERR_NOT_FOUND, "Task %s-%d not found", c->name, task);
    if (!runs_here(d, c->name, task))
        return restart_elsewhere(h, c, task, err);
    kc_worker_stop_task(h->worker, c->name, task);
    if (kc_worker_start_task(h->worker, c->name, task, c->config, c->tasks.items[task], c->target, err) != 0)
        return kc_error_set(err, KC_ERR_INTERNAL, "Failed to start task: %s-%d", c->name, task);
    return 0;
}

int kc_dist_restart_plan(kc_herder *h, kc_connector_entry *c, bool include_tasks, bool only_failed, kc_error *err)
{
    if (kc_dist_check_leader(h, true, err) != 0)
        return -1;
    return kc_config_store_put_restart(h->dist->configs, c->name, include_tasks, only_failed, err);
}

/* ---- forwarding (§13.2) -------------------------------------------------------------------------- */

typedef struct forward_job {
    kc_herder *h;
    kc_rest_request *req;
    char *method;
    char *url;
    char *body;
    size_t body_len;
    char *auth;
    char *sig, *sig_alg;
} forward_job;

static void forwarder_done(kc_dist *d)
{
    pthread_mutex_lock(&d->lock);
    d->forwarders--;
    pthread_cond_broadcast(&d->forwarders_done);
    pthread_mutex_unlock(&d->lock);
}

static void relay(kc_rest_request *req, const kc_http_response *resp)
{
    json_error_t jerr;
    json_t *body = resp->body && resp->body_len ? json_loadb(resp->body, resp->body_len, JSON_DECODE_ANY, &jerr)
                                                : NULL;
    if (resp->status == 204) {
        json_decref(body);
        kc_rest_respond_json_new(req, 204, NULL);
    } else if (resp->status >= 200 && resp->status < 300) {
        if (resp->status == 201 && json_is_object(body) && json_is_string(json_object_get(body, "name"))) {
            const char *base = kc_rest_server_advertised_url(kc_rest_request_server(req));
            char *enc = evhttp_encode_uri(json_string_value(json_object_get(body, "name")));
            char location[1200];
            snprintf(location, sizeof location, "%sconnectors/%s", base ? base : "/", enc ? enc : "");
            free(enc);
            kc_rest_respond_json_header_new(req, 201, body, "Location", location);
        } else {
            kc_rest_respond_json_new(req, resp->status, body);
        }
    } else if (resp->status >= 400) {
        json_t *msg = json_is_object(body) ? json_object_get(body, "message") : NULL;
        kc_rest_respond_error(req, resp->status, "%s", json_is_string(msg) ? json_string_value(msg) : "");
        json_decref(body);
    } else {
        json_decref(body);
        kc_rest_respond_error(req, 500, "Unexpected status code when handling forwarded request: %d", resp->status);
    }
}

static void *forward_run(void *arg)
{
    forward_job *j = arg;
    const char *headers[6];
    char auth[2100], sig[300], alg[100];
    size_t n = 0;
    if (j->body)
        headers[n++] = "Content-Type: application/json";
    headers[n++] = "Accept: application/json";
    headers[n++] = "User-Agent: kafka-connect";
    if (j->auth) {
        snprintf(auth, sizeof auth, "Authorization: %s", j->auth);
        headers[n++] = auth;
    }
    if (j->sig && j->sig_alg) {
        snprintf(sig, sizeof sig, "X-Connect-Authorization: %s", j->sig);
        snprintf(alg, sizeof alg, "X-Connect-Request-Signature-Algorithm: %s", j->sig_alg);
        headers[n++] = sig;
        headers[n++] = alg;
    }
    headers[n] = NULL;
    kc_http_response resp;
    memset(&resp, 0, sizeof resp);
    kc_error err;
    kc_error_clear(&err);
    kc_log(KC_LOG_DEBUG, LOGGER, "Forwarding %s to %s", j->method, j->url);
    if (kc_http_request(j->method, j->url, headers, j->body, j->body_len, j->h->wc->originals, FORWARD_TIMEOUT_MS,
                        &resp, &err) != 0)
        kc_rest_respond_error(j->req, 500, "IO Error trying to forward REST request: %s", err.msg);
    else
        relay(j->req, &resp);
    kc_http_response_clear(&resp);
    kc_dist *d = j->h->dist;
    free(j->method);
    free(j->url);
    free(j->body);
    free(j->auth);
    free(j->sig);
    free(j->sig_alg);
    free(j);
    forwarder_done(d);
    return NULL;
}

static int spawn(kc_dist *d, void *(*fn)(void *), void *arg)
{
    pthread_mutex_lock(&d->lock);
    d->forwarders++;
    pthread_mutex_unlock(&d->lock);
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&t, &attr, fn, arg);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        forwarder_done(d);
        return -1;
    }
    return 0;
}

void kc_herder_forward(kc_herder *h, kc_rest_request *req, const kc_error *err, const char *extra_query)
{
    const char *target = err->msg;
    const char *fwd = kc_rest_request_query(req, "forward");
    if (!*target) {
        kc_rest_respond_error(req, 409, MSG_NO_LEADER);
        return;
    }
    if (fwd && strcasecmp(fwd, "false") == 0) {
        kc_rest_respond_error(req, 409, MSG_CONFLICT);
        return;
    }
    forward_job *j = calloc(1, sizeof *j);
    if (!j) {
        kc_rest_respond_error(req, 500, "out of memory");
        return;
    }
    const char *path = kc_rest_request_path(req);
    while (*path == '/')
        path++;
    size_t tl = strlen(target);
    size_t need = tl + strlen(path) + 64 + (extra_query ? strlen(extra_query) : 0);
    j->url = malloc(need);
    if (j->url)
        snprintf(j->url, need, "%s%s%s?forward=%s%s%s", target, tl && target[tl - 1] == '/' ? "" : "/", path,
                 fwd ? "false" : "true", extra_query ? "&" : "", extra_query ? extra_query : "");
    j->h = h;
    j->req = req;
    j->method = strdup(kc_http_method_name(kc_rest_request_method(req)));
    size_t blen = 0;
    const char *body = kc_rest_request_body(req, &blen);
    if (body && (j->body = malloc(blen + 1))) {
        memcpy(j->body, body, blen + 1);
        j->body_len = blen;
    }
    const char *auth = kc_rest_request_header(req, "Authorization");
    j->auth = auth ? strdup(auth) : NULL;
    /* internal requests keep their signature: a Java or kconnect leader verifies the same bytes */
    const char *sig = kc_rest_request_header(req, "X-Connect-Authorization");
    const char *alg = kc_rest_request_header(req, "X-Connect-Request-Signature-Algorithm");
    j->sig = sig ? strdup(sig) : NULL;
    j->sig_alg = alg ? strdup(alg) : NULL;
    if (!j->url || !j->method || spawn(h->dist, forward_run, j) != 0) {
        free(j->url);
        free(j->method);
        free(j->body);
        free(j->auth);
        free(j->sig);
        free(j->sig_alg);
        free(j);
        kc_rest_respond_error(req, 500, "Error trying to forward REST request: cannot start a thread");
    }
}

/* ---- internal endpoints ----------------------------------------------------------------------------- */

/* Signature check of an internal request (§6.6). 0 when it may go on; else answered. */
static int verify(kc_herder *h, kc_rest_request *req)
{
    kc_dist *d = h->dist;
    if (d->selected != KC_CP_SESSIONED)
        return 0;
    pthread_mutex_lock(&d->lock);
    unsigned char key[sizeof d->key];
    size_t key_len = d->key_len;
    memcpy(key, d->key, key_len);
    pthread_mutex_unlock(&d->lock);
    size_t n = 0;
    char *const *algs = kc_config_get_list(d->wc->parsed, "inter.worker.verification.algorithms", &n);
    size_t blen = 0;
    const char *body = kc_rest_request_body(req, &blen);
    kc_error err;
    int status = kc_request_verify(kc_rest_request_header(req, "X-Connect-Authorization"),
                                   kc_rest_request_header(req, "X-Connect-Request-Signature-Algorithm"),
                                   (const char *const *)algs, n, key_len ? key : NULL, key_len, body, blen, &err);
    memset(key, 0, sizeof key);
    if (status != 0) {
        kc_rest_respond_error(req, status, "%s", err.msg);
        return -1;
    }
    return 0;
}

typedef struct tasks_op {
    kc_rest_request *req;
    char *connector;
    json_t *body;
} tasks_op;

static void tasks_op_run(kc_herder *h, void *arg)
{
    tasks_op *o = arg;
    kc_error err;
    kc_error_clear(&err);
    kc_task_configs tasks = {0};
    if (kc_dist_check_leader(h, false, &err) != 0) {
        kc_herder_forward(h, o->req, &err, NULL);
        goto out;
    }
    if (!kc_herder_find(h, o->connector)) {
        kc_rest_respond_error(o->req, 404, "Connector %s not found", o->connector);
        goto out;
    }
    if (!json_is_array(o->body)) {
        kc_rest_respond_error(o->req, 400, "Request body must be a JSON array of task configurations");
        goto out;
    }
    size_t i;
    json_t *t;
    json_array_foreach(o->body, i, t) {
        kc_props *p = kc_props_new();
        const char *k;
        json_t *v;
        if (!p || !json_is_object(t)) {
            kc_props_free(p);
            kc_rest_respond_error(o->req, 400, "Task configuration %zu is not a JSON object", i);
            goto out;
        }
        json_object_foreach(t, k, v) {
            if (json_is_string(v))
                kc_props_set(p, k, json_string_value(v));
        }
        kc_task_configs_add(&tasks, p);
    }
    if (kc_config_store_put_task_configs(h->dist->configs, o->connector, tasks.items, tasks.count, &err) != 0) {
        kc_rest_respond_kc_error(o->req, &err);
        goto out;
    }
    kc_rest_respond_json_new(o->req, 204, NULL);
out:
    kc_task_configs_clear(&tasks);
    json_decref(o->body);
    free(o->connector);
    free(o);
}

void kc_dist_internal_tasks(kc_herder *h, kc_rest_request *req)
{
    if (verify(h, req) != 0)
        return;
    tasks_op *o = calloc(1, sizeof *o);
    if (!o || !(o->connector = strdup(kc_rest_request_param(req, 0)))) {
        free(o);
        kc_rest_respond_error(req, 500, "out of memory");
        return;
    }
    o->req = req;
    json_t *body = kc_rest_request_json(req);
    o->body = body ? json_incref(body) : NULL;
    if (kc_herder_submit(h, tasks_op_run, o) != 0) {
        json_decref(o->body);
        free(o->connector);
        free(o);
        kc_rest_respond_error(req, 500, "Worker is shutting down");
    }
}

void kc_dist_internal_fence(kc_herder *h, kc_rest_request *req)
{
    if (verify(h, req) != 0)
        return;
    /* exactly.once.source.support is refused at start-up, so there is nothing to fence */
    kc_rest_respond_error(req, 400, "Exactly-once source support is disabled on this cluster; there are no "
                                    "producers to fence for connector %s", kc_rest_request_param(req, 0));
}

/* ---- follower -> leader task configs ------------------------------------------------------------------ */

typedef struct post_job {
    kc_herder *h;
    char *connector;
    char *url;
    char *body;
    char sig[200];
    char alg[64];
    bool signed_;
} post_job;

static void post_result(kc_herder *h, void *arg)
{
    char *s = arg; /* "<0|1><connector>" */
    kc_dist_reconfig_done(h, s + 1, s[0] == '1');
    free(s);
}

static void *post_run(void *arg)
{
    post_job *j = arg;
    char sig[300], alg[120];
    const char *headers[6] = {"Content-Type: application/json", "Accept: application/json",
                              "User-Agent: kafka-connect", NULL, NULL, NULL};
    if (j->signed_) {
        snprintf(sig, sizeof sig, "X-Connect-Authorization: %s", j->sig);
        snprintf(alg, sizeof alg, "X-Connect-Request-Signature-Algorithm: %s", j->alg);
        headers[3] = sig;
        headers[4] = alg;
    }
    kc_http_response resp;
    memset(&resp, 0, sizeof resp);
    kc_error err;
    bool ok = false;
    if (kc_http_request("POST", j->url, headers, j->body, strlen(j->body), j->h->wc->originals, FORWARD_TIMEOUT_MS,
                        &resp, &err) != 0)
        kc_log(KC_LOG_ERROR, LOGGER, "Request to leader to reconfigure connector tasks failed: %s", err.msg);
    else if (resp.status >= 300)
        kc_log(KC_LOG_ERROR, LOGGER, "Request to leader to reconfigure connector tasks failed: %d %.*s", resp.status,
               (int)(resp.body_len > 400 ? 400 : resp.body_len), resp.body ? resp.body : "");
    else
        ok = true;
    kc_http_response_clear(&resp);
    size_t n = strlen(j->connector);
    char *result = malloc(n + 2);
    if (result) {
        result[0] = ok ? '1' : '0';
        memcpy(result + 1, j->connector, n + 1);
        if (kc_herder_submit(j->h, post_result, result) != 0)
            free(result);
    }
    kc_dist *d = j->h->dist;
    free(j->connector);
    free(j->url);
    free(j->body);
    free(j);
    forwarder_done(d);
    return NULL;
}

void kc_dist_post_task_configs(kc_herder *h, const char *connector, const kc_task_configs *tasks)
{
    kc_dist *d = h->dist;
    post_job *j = calloc(1, sizeof *j);
    json_t *a = json_array();
    for (size_t i = 0; a && i < tasks->count; i++) {
        json_t *o = json_object();
        for (size_t k = 0; k < kc_props_count(tasks->items[i]); k++)
            json_object_set_new(o, kc_props_key_at(tasks->items[i], k),
                                json_string(kc_props_value_at(tasks->items[i], k)));
        json_array_append_new(a, o);
    }
    char leader[512];
    pthread_mutex_lock(&d->lock);
    snprintf(leader, sizeof leader, "%s", d->leader_url);
    unsigned char key[sizeof d->key];
    size_t key_len = d->key_len;
    memcpy(key, d->key, key_len);
    pthread_mutex_unlock(&d->lock);
    char *enc = evhttp_encode_uri(connector);
    size_t need = strlen(leader) + (enc ? strlen(enc) : 0) + 32;
    if (j) {
        j->h = h;
        j->connector = strdup(connector);
        j->body = a ? json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        if ((j->url = malloc(need)))
            snprintf(j->url, need, "%s%sconnectors/%s/tasks", leader,
                     *leader && leader[strlen(leader) - 1] == '/' ? "" : "/", enc ? enc : "");
    }
    free(enc);
    json_decref(a);
    kc_error err;
    if (j && j->body && key_len > 0 &&
        kc_request_sign(d->wc->inter_worker_signature_algorithm, key, key_len, j->body, strlen(j->body), j->sig,
                        sizeof j->sig, &err) == 0) {
        j->signed_ = true;
        snprintf(j->alg, sizeof j->alg, "%s", d->wc->inter_worker_signature_algorithm);
    }
    memset(key, 0, sizeof key);
    if (!j || !j->connector || !j->body || !j->url || !*leader || spawn(d, post_run, j) != 0) {
        if (j) {
            free(j->connector);
            free(j->url);
            free(j->body);
            free(j);
        }
        kc_dist_reconfig_done(h, connector, false);
    }
}
