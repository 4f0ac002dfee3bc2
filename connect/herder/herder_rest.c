/*
 * The REST API of the herder, both modes: the /connectors and /connector-plugins resources, /health
 * and the internal endpoints (which standalone mode refuses). Handlers run on the REST thread and
 * queue an operation for the herder thread, which answers; in distributed mode requests that belong
 * to another worker are forwarded (kc_herder_forward).
 */
#include "herder_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>

#include "connect/api/log.h"
#include "connect/herder/validation.h"
#include "connect/replication/replications.h"
#include "connect/worker/json_reader.h"
#include "connect/version.h"
#include "connect/worker/connector_config.h"
#include "connect/worker/converters.h"
#include "connect/worker/worker_config.h"
#include "connect/api/transform.h"

typedef struct op {
    kc_rest_request *req;
    char *name;
    int task;
    json_t *body;          /* a reference to the request's JSON body, or NULL */
    void (*fn)(kc_herder *h, struct op *op);
} op;

static void op_run(kc_herder *h, void *arg)
{
    op *o = arg;
    o->fn(h, o);
    free(o->name);
    json_decref(o->body);
    free(o);
}

/* Queues fn for the herder thread; answers 500 itself when the herder is shutting down. */
static void submit(kc_herder *h, kc_rest_request *req, void (*fn)(kc_herder *h, op *o), bool with_name, bool task)
{
    op *o = calloc(1, sizeof *o);
    if (!o) {
        kc_rest_respond_error(req, 500, "out of memory");
        return;
    }
    o->req = req;
    o->fn = fn;
    o->task = -1;
    if (with_name)
        o->name = strdup(kc_rest_request_param(req, 0));
    if (task) {
        const char *t = kc_rest_request_param(req, 1);
        char *end;
        long v = strtol(t, &end, 10);
        o->task = *t && !*end && v >= 0 && v < 1000000 ? (int)v : -2; /* -2: not a number */
    }
    json_t *body = kc_rest_request_json(req);
    o->body = body ? json_incref(body) : NULL;
    if (kc_herder_submit(h, op_run, o) != 0) {
        free(o->name);
        json_decref(o->body);
        free(o);
        kc_rest_respond_error(req, 500, "Worker is shutting down");
    }
}

/* ---- JSON views ------------------------------------------------------------------------------ */

static json_t *props_json(const kc_props *p)
{
    json_t *o = json_object();
    for (size_t i = 0; i < kc_props_count(p); i++)
        json_object_set_new(o, kc_props_key_at(p, i), json_string(kc_props_value_at(p, i)));
    return o;
}

static const char *type_name(const kc_connector_entry *c)
{
    if (!c->plugin)
        return "unknown";
    return c->plugin->kind == KC_PLUGIN_SINK ? "sink" : "source";
}

static json_t *info_json(const kc_connector_entry *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(c->name));
    json_object_set_new(o, "config", props_json(c->config));
    json_t *tasks = json_array();
    for (size_t i = 0; i < c->tasks.count; i++) {
        json_t *t = json_object();
        json_object_set_new(t, "connector", json_string(c->name));
        json_object_set_new(t, "task", json_integer((json_int_t)i));
        json_array_append_new(tasks, t);
    }
    json_object_set_new(o, "tasks", tasks);
    json_object_set_new(o, "type", json_string(type_name(c)));
    return o;
}

static json_t *state_json(kc_state state, const char *worker_id, const char *trace, int id)
{
    json_t *o = json_object();
    if (id >= 0)
        json_object_set_new(o, "id", json_integer(id));
    json_object_set_new(o, "state", json_string(kc_state_name(state)));
    json_object_set_new(o, "worker_id", json_string(worker_id));
    if (trace)
        json_object_set_new(o, "trace", json_string(trace));
    return o;
}

/* ConnectorStateInfo; restarting marks the connector / tasks RESTARTING (KIP-745 plan). */
static json_t *status_json(kc_herder *h, kc_connector_entry *c, bool connector_restarting, const bool *task_restarting)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(c->name));
    kc_state st = KC_STATE_UNASSIGNED;
    char *trace = NULL, *worker = NULL;
    kc_herder_status(h, c, -1, &st, &trace, &worker);
    json_object_set_new(o, "connector", state_json(connector_restarting ? KC_STATE_RESTARTING : st,
                                                   worker ? worker : "", connector_restarting ? NULL : trace, -1));
    free(trace);
    free(worker);
    json_t *tasks = json_array();
    for (size_t i = 0; i < c->tasks.count; i++) {
        bool restarting = task_restarting && task_restarting[i];
        trace = worker = NULL;
        st = KC_STATE_UNASSIGNED;
        if (kc_herder_status(h, c, (int)i, &st, &trace, &worker) == 0)
            continue; /* Java lists only tasks with a status */
        json_array_append_new(tasks, state_json(restarting ? KC_STATE_RESTARTING : st, worker ? worker : "",
                                                restarting ? NULL : trace, (int)i));
        free(trace);
        free(worker);
    }
    json_object_set_new(o, "tasks", tasks);
    json_object_set_new(o, "type", json_string(type_name(c)));
    return o;
}

/* Answers err, forwarding the request when it belongs to another worker (distributed mode). */
static void respond_err(kc_herder *h, kc_rest_request *req, const kc_error *err, const char *extra_query)
{
    if (err->code == KC_ERR_REDIRECT)
        kc_herder_forward(h, req, err, extra_query);
    else
        kc_rest_respond_kc_error(req, err);
}

/* GET info/config/tasks/tasks-config in distributed mode while a rebalance is expected: 500. */
static bool rebalance_500(kc_herder *h, op *o)
{
    if (!h->dist || !kc_dist_rebalance_pending(h))
        return false;
    kc_rest_respond_error(o->req, 500, "Request cannot be completed because a rebalance is expected");
    return true;
}

/* A config object of a request body as string -> string (Jackson's coercion of scalars); JSON
 * nulls go to null_keys. -1 with a message for nested values. */
static int body_config(json_t *obj, kc_props *out, kc_props *null_keys, kc_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (json_is_null(v)) {
            if (null_keys)
                kc_props_set(null_keys, key, "");
            continue;
        }
        if (json_is_string(v)) {
            kc_props_set(out, key, json_string_value(v));
        } else if (json_is_object(v) || json_is_array(v)) {
            return kc_error_set(err, KC_ERR_INTERNAL, "Cannot deserialize value of type `java.lang.String` from "
                                                      "%s value for key \"%s\"",
                                json_is_object(v) ? "Object" : "Array", key);
        } else {
            char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
            kc_props_set(out, key, text ? text : "");
            free(text);
        }
    }
    return 0;
}

static void respond_status_error(kc_rest_request *req, const kc_error *err)
{
    int status = err->code == KC_ERR_NOT_FOUND ? 500 : kc_rest_status_for(err); /* unknown class: 500 as Java */
    kc_rest_respond_error(req, status, "%s", err->msg);
}

/* Validates and stores; answers 201/200 or the error. */
static void put_connector(kc_herder *h, op *o, const char *name, json_t *config_obj, int initial, bool replace,
                          bool is_post)
{
    kc_error err;
    kc_error_clear(&err);
    kc_props *config = kc_props_new(), *nulls = kc_props_new();
    if (!config || !nulls || body_config(config_obj, config, nulls, &err) != 0) {
        kc_rest_respond_error(o->req, 500, "%s", err.msg[0] ? err.msg : "out of memory");
        goto out;
    }
    const char *in_config = kc_props_get(config, "name");
    if (in_config && strcmp(in_config, name) != 0) {
        kc_rest_respond_error(o->req, 400, "Connector name configuration (%s) doesn't match connector name in the "
                                           "URL (%s)", in_config, name);
        goto out;
    }
    if (!in_config)
        kc_props_set(config, "name", name);
    int errors = 0;
    /* Java validates the config with its ${...} references resolved (AbstractHerder.validateConnectorConfig);
     * a provider that fails (an unreadable file) answers 500 with its message */
    kc_props *resolved = kc_worker_transform_config_new(h->worker, config, &err);
    if (!resolved) {
        kc_rest_respond_error(o->req, 500, "%s", err.msg);
        goto out;
    }
    json_t *infos = kc_validate_connector_config(resolved, nulls, h->wc->connector_client_config_override_policy,
                                                 &errors, NULL, &err);
    kc_props_free(resolved);
    if (!infos) {
        respond_status_error(o->req, &err);
        goto out;
    }
    if (errors > 0) {
        char *msg = kc_validation_error_message(infos, errors);
        kc_rest_respond_error(o->req, 400, "%s", msg ? msg : "invalid configuration");
        free(msg);
        json_decref(infos);
        goto out;
    }
    json_decref(infos);
    int created = 0;
    if (kc_herder_put(h, name, config, initial, replace, &created, &err) != 0) {
        respond_err(h, o->req, &err, NULL);
        goto out;
    }
    kc_connector_entry *c = kc_herder_find(h, name);
    int status = created || is_post ? 201 : 200;
    if (status == 201) {
        char location[1024];
        const char *base = kc_rest_server_advertised_url(kc_rest_request_server(o->req));
        char *enc = evhttp_encode_uri(name);
        snprintf(location, sizeof location, "%sconnectors/%s", base ? base : "/", enc ? enc : name);
        free(enc);
        kc_rest_respond_json_header_new(o->req, 201, info_json(c), "Location", location);
    } else {
        kc_rest_respond_json_new(o->req, 200, info_json(c));
    }
out:
    kc_props_free(config);
    kc_props_free(nulls);
}

/* ---- /connectors ----------------------------------------------------------------------------- */

static void op_list(kc_herder *h, op *o)
{
    const char *expand[4];
    size_t n = kc_rest_request_query_all(o->req, "expand", expand, 4);
    if (n == 0) {
        json_t *a = json_array();
        for (kc_connector_entry *c = h->connectors; c; c = c->next)
            json_array_append_new(a, json_string(c->name));
        kc_rest_respond_json_new(o->req, 200, a);
        return;
    }
    json_t *all = json_object();
    for (kc_connector_entry *c = h->connectors; c; c = c->next) {
        json_t *e = json_object();
        for (size_t i = 0; i < n; i++) {
            if (strcmp(expand[i], "status") == 0)
                json_object_set_new(e, "status", status_json(h, c, false, NULL));
            else if (strcmp(expand[i], "info") == 0)
                json_object_set_new(e, "info", info_json(c));
        }
        json_object_set_new(all, c->name, e);
    }
    kc_rest_respond_json_new(o->req, 200, all);
}

static void op_create(kc_herder *h, op *o)
{
    json_t *body = o->body;
    if (!json_is_object(body)) {
        kc_rest_respond_error(o->req, 400, "Request body must be a JSON object");
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        if (strcmp(key, "name") && strcmp(key, "config") && strcmp(key, "initial_state")) {
            kc_rest_respond_error(o->req, 500, "Unrecognized field \"%s\" (class "
                                               "org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest), "
                                               "not marked as ignorable", key);
            return;
        }
    }
    json_t *name_node = json_object_get(body, "name");
    json_t *config = json_object_get(body, "config");
    if (config && !json_is_object(config) && !json_is_null(config)) {
        kc_rest_respond_error(o->req, 500, "Cannot deserialize value of type `java.util.LinkedHashMap` for \"config\"");
        return;
    }
    json_t *empty = NULL;
    if (!config || json_is_null(config))
        config = empty = json_object();
    /* the name is trimmed; a name only in the config is taken from there */
    char name[1024] = "";
    const char *raw = json_is_string(name_node) ? json_string_value(name_node)
                      : json_is_string(json_object_get(config, "name")) ? json_string_value(json_object_get(config, "name"))
                                                                        : "";
    while (*raw == ' ' || *raw == '\t' || *raw == '\n' || *raw == '\r')
        raw++;
    snprintf(name, sizeof name, "%s", raw);
    for (size_t n = strlen(name); n && (name[n - 1] == ' ' || name[n - 1] == '\t' || name[n - 1] == '\n' ||
                                        name[n - 1] == '\r'); n--)
        name[n - 1] = '\0';
    int initial = -1;
    json_t *st = json_object_get(body, "initial_state");
    if (st && !json_is_null(st)) {
        initial = kc_target_state_parse(json_string_value(st));
        if (initial < 0) {
            kc_rest_respond_error(o->req, 500, "Cannot deserialize value of type "
                                               "`org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest$InitialState` "
                                               "from String \"%s\": not one of the values accepted for Enum class: [PAUSED, RUNNING, STOPPED]",
                                  json_string_value(st) ? json_string_value(st) : "");
            json_decref(empty);
            return;
        }
    }
    if (!name[0] && json_is_string(name_node)) {
        /* an empty name fails the name validator ("String may not be empty"): keep it as given */
        json_t *copy = json_deep_copy(config);
        json_object_set_new(copy, "name", json_string(""));
        put_connector(h, o, "", copy, initial, false, true);
        json_decref(copy);
        json_decref(empty);
        return;
    }
    json_t *copy = json_deep_copy(config);
    if (!json_object_get(copy, "name") || json_is_null(json_object_get(copy, "name")))
        json_object_set_new(copy, "name", json_string(name));
    else if (json_is_string(name_node) && json_is_string(json_object_get(copy, "name")) &&
             strcmp(json_string_value(json_object_get(copy, "name")), name) != 0) {
        kc_rest_respond_error(o->req, 400, "Connector name configuration (%s) doesn't match connector name in the "
                                           "URL (%s)", json_string_value(json_object_get(copy, "name")), name);
        json_decref(copy);
        json_decref(empty);
        return;
    }
    put_connector(h, o, name, copy, initial, false, true);
    json_decref(copy);
    json_decref(empty);
}

static kc_connector_entry *need_connector(kc_herder *h, op *o)
{
    kc_connector_entry *c = kc_herder_find(h, o->name);
    if (!c)
        kc_rest_respond_error(o->req, 404, "Connector %s not found", o->name);
    return c;
}

static void op_info(kc_herder *h, op *o)
{
    if (rebalance_500(h, o))
        return;
    kc_connector_entry *c = need_connector(h, o);
    if (c)
        kc_rest_respond_json_new(o->req, 200, info_json(c));
}

static void op_config(kc_herder *h, op *o)
{
    if (rebalance_500(h, o))
        return;
    kc_connector_entry *c = need_connector(h, o);
    if (c)
        kc_rest_respond_json_new(o->req, 200, props_json(c->config));
}

static void op_put_config(kc_herder *h, op *o)
{
    if (!json_is_object(o->body)) {
        kc_rest_respond_error(o->req, 400, "Request body must be a JSON object");
        return;
    }
    put_connector(h, o, o->name, o->body, -1, true, false);
}

static void op_patch_config(kc_herder *h, op *o)
{
    kc_connector_entry *c = need_connector(h, o);
    if (!c)
        return;
    if (!json_is_object(o->body)) {
        kc_rest_respond_error(o->req, 400, "Request body must be a JSON object");
        return;
    }
    json_t *merged = props_json(c->config);
    const char *key;
    json_t *v;
    json_object_foreach(o->body, key, v) {
        if (json_is_null(v))
            json_object_del(merged, key);
        else
            json_object_set(merged, key, v);
    }
    put_connector(h, o, o->name, merged, -1, true, false);
    json_decref(merged);
}

static void op_delete(kc_herder *h, op *o)
{
    kc_error err;
    if (kc_herder_delete(h, o->name, &err) != 0)
        respond_err(h, o->req, &err, NULL);
    else
        kc_rest_respond_json_new(o->req, 204, NULL);
}

static void op_status(kc_herder *h, op *o)
{
    kc_connector_entry *c = kc_herder_find(h, o->name);
    kc_state st;
    char *trace = NULL, *worker = NULL;
    int known = c ? kc_herder_status(h, c, -1, &st, &trace, &worker) : 0;
    free(trace);
    free(worker);
    if (!known) {
        kc_rest_respond_error(o->req, 404, "No status found for connector %s", o->name);
        return;
    }
    kc_rest_respond_json_new(o->req, 200, status_json(h, c, false, NULL));
}

static void op_task_status(kc_herder *h, op *o)
{
    kc_connector_entry *c = kc_herder_find(h, o->name);
    if (!c || o->task < 0 || (size_t)o->task >= c->tasks.count) {
        if (o->task == -2)
            kc_rest_respond_error(o->req, 404, "HTTP 404 Not Found");
        else
            kc_rest_respond_error(o->req, 404, "No status found for task %s-%d", o->name, o->task);
        return;
    }
    char *trace = NULL, *worker = NULL;
    kc_state s = KC_STATE_UNASSIGNED;
    if (!kc_herder_status(h, c, o->task, &s, &trace, &worker)) {
        kc_rest_respond_error(o->req, 404, "No status found for task %s-%d", o->name, o->task);
        return;
    }
    kc_rest_respond_json_new(o->req, 200, state_json(s, worker ? worker : "", trace, o->task));
    free(trace);
    free(worker);
}

static void op_tasks(kc_herder *h, op *o)
{
    if (rebalance_500(h, o))
        return;
    kc_connector_entry *c = need_connector(h, o);
    if (!c)
        return;
    json_t *a = json_array();
    for (size_t i = 0; i < c->tasks.count; i++) {
        json_t *t = json_object(), *id = json_object();
        json_object_set_new(id, "connector", json_string(c->name));
        json_object_set_new(id, "task", json_integer((json_int_t)i));
        json_object_set_new(t, "id", id);
        json_object_set_new(t, "config", props_json(c->tasks.items[i]));
        json_array_append_new(a, t);
    }
    kc_rest_respond_json_new(o->req, 200, a);
}

static void op_tasks_config(kc_herder *h, op *o)
{
    if (rebalance_500(h, o))
        return;
    kc_connector_entry *c = need_connector(h, o);
    if (!c)
        return;
    json_t *m = json_object();
    for (size_t i = 0; i < c->tasks.count; i++) {
        char id[1100];
        snprintf(id, sizeof id, "%s-%zu", c->name, i);
        json_object_set_new(m, id, props_json(c->tasks.items[i]));
    }
    kc_rest_respond_json_new(o->req, 200, m);
}

static void set_target(kc_herder *h, op *o, kc_target_state target, int status)
{
    kc_connector_entry *c = kc_herder_find(h, o->name);
    if (!c) {
        kc_rest_respond_error(o->req, 404, "Unknown connector %s", o->name);
        return;
    }
    kc_error err;
    kc_error_clear(&err);
    if (kc_herder_set_target(h, c, target, &err) != 0) {
        respond_err(h, o->req, &err, NULL);
        return;
    }
    kc_rest_respond_json_new(o->req, status, NULL);
}

static void op_pause(kc_herder *h, op *o) { set_target(h, o, KC_TARGET_PAUSED, 202); }
static void op_resume(kc_herder *h, op *o) { set_target(h, o, KC_TARGET_STARTED, 202); }
static void op_stop(kc_herder *h, op *o) { set_target(h, o, KC_TARGET_STOPPED, 204); }

static bool query_true(kc_rest_request *req, const char *name)
{
    const char *v = kc_rest_request_query(req, name);
    return v && strcasecmp(v, "true") == 0;
}

static void op_restart(kc_herder *h, op *o)
{
    bool include_tasks = query_true(o->req, "includeTasks"), only_failed = query_true(o->req, "onlyFailed");
    kc_connector_entry *c = kc_herder_find(h, o->name);
    kc_error err;
    kc_error_clear(&err);
    char extra[64];
    snprintf(extra, sizeof extra, "includeTasks=%s&onlyFailed=%s", include_tasks ? "true" : "false",
             only_failed ? "true" : "false");
    if (h->dist && kc_dist_check_leader(h, true, &err) != 0 && (include_tasks || only_failed || err.code != KC_ERR_REDIRECT)) {
        respond_err(h, o->req, &err, include_tasks || only_failed ? extra : NULL);
        return;
    }
    if (!c) {
        kc_rest_respond_error(o->req, 404, "Connector %s not found", o->name);
        return;
    }
    if (!include_tasks && !only_failed) {
        if (kc_herder_restart_connector(h, c, &err) != 0)
            respond_err(h, o->req, &err, NULL);
        else
            kc_rest_respond_json_new(o->req, 204, NULL);
        return;
    }
    kc_state cs = KC_STATE_UNASSIGNED;
    char *trace = NULL, *worker = NULL;
    int known = kc_herder_status(h, c, -1, &cs, &trace, &worker);
    free(trace);
    free(worker);
    if (!known) {
        kc_rest_respond_error(o->req, 404, "Status for connector %s not found", o->name);
        return;
    }
    /* the restart plan (KIP-745): what is restarted shows RESTARTING in the answer */
    bool restart_connector = !only_failed || cs == KC_STATE_FAILED;
    bool *tasks = calloc(c->tasks.count + 1, sizeof *tasks);
    for (size_t i = 0; tasks && include_tasks && i < c->tasks.count; i++) {
        kc_state ts = KC_STATE_UNASSIGNED;
        trace = worker = NULL;
        kc_herder_status(h, c, (int)i, &ts, &trace, &worker);
        free(trace);
        free(worker);
        tasks[i] = !only_failed || ts == KC_STATE_FAILED;
    }
    json_t *plan = status_json(h, c, restart_connector, tasks);
    if (h->dist) {
        if (kc_dist_restart_plan(h, c, include_tasks, only_failed, &err) != 0) {
            free(tasks);
            json_decref(plan);
            respond_err(h, o->req, &err, extra);
            return;
        }
    } else {
        if (restart_connector)
            kc_herder_restart_connector(h, c, &err);
        for (size_t i = 0; tasks && i < c->tasks.count; i++)
            if (tasks[i])
                kc_herder_restart_task(h, c, (int)i, &err);
    }
    free(tasks);
    kc_rest_respond_json_new(o->req, 202, plan);
}

static void op_restart_task(kc_herder *h, op *o)
{
    kc_connector_entry *c = kc_herder_find(h, o->name);
    if (!c) {
        kc_rest_respond_error(o->req, 404, "Connector %s not found", o->name);
        return;
    }
    kc_error err;
    if (o->task < 0) {
        kc_rest_respond_error(o->req, 404, "Task %s-%s not found", o->name, kc_rest_request_param(o->req, 1));
        return;
    }
    if (kc_herder_restart_task(h, c, o->task, &err) != 0) {
        respond_err(h, o->req, &err, NULL);
        return;
    }
    kc_rest_respond_json_new(o->req, 204, NULL);
}

/* ---- offsets (KIP-875) ------------------------------------------------------------------------ */

static json_t *message_json(const char *text)
{
    json_t *o = json_object();
    json_object_set_new(o, "message", json_string(text));
    return o;
}

/* A kc_value (schemaless) as jansson JSON. */
static json_t *value_json(const kc_value *v)
{
    size_t len;
    switch (kc_value_get_type(v)) {
    case KC_VALUE_NULL: return json_null();
    case KC_VALUE_BOOLEAN: return json_boolean(kc_value_get_boolean(v));
    case KC_VALUE_INT8: return json_integer(kc_value_get_int8(v));
    case KC_VALUE_INT16: return json_integer(kc_value_get_int16(v));
    case KC_VALUE_INT32: return json_integer(kc_value_get_int32(v));
    case KC_VALUE_INT64: return json_integer(kc_value_get_int64(v));
    case KC_VALUE_FLOAT32: return json_real(kc_value_get_float32(v));
    case KC_VALUE_FLOAT64: return json_real(kc_value_get_float64(v));
    case KC_VALUE_STRING: {
        const char *s = kc_value_get_string(v, &len);
        return json_stringn(s, len);
    }
    case KC_VALUE_ARRAY: {
        json_t *a = json_array();
        for (size_t i = 0; i < kc_value_array_size(v); i++)
            json_array_append_new(a, value_json(kc_value_array_get(v, i)));
        return a;
    }
    case KC_VALUE_MAP: {
        json_t *o = json_object();
        for (size_t i = 0; i < kc_value_map_size(v); i++) {
            const char *k = kc_value_get_string(kc_value_map_key_at(v, i), NULL);
            if (k)
                json_object_set_new(o, k, value_json(kc_value_map_value_at(v, i)));
        }
        return o;
    }
    default: return json_null();
    }
}

/* The source partitions of connector in the offsets store, with their offsets. */
static json_t *source_offsets_json(kc_herder *h, const char *connector, kc_error *err)
{
    kc_offset_map *snap = kc_offset_store_snapshot(h->offsets, err);
    if (!snap)
        return NULL;
    json_t *list = json_array();
    for (size_t i = 0; i < kc_offset_map_count(snap); i++) {
        const void *k, *v;
        size_t kl, vl;
        kc_offset_map_at(snap, i, &k, &kl, &v, &vl);
        kc_value *key = NULL, *offset = NULL;
        kc_error e;
        if (kc_json_parse_value(k, kl, NULL, &key, &e) != 0 || kc_value_get_type(key) != KC_VALUE_ARRAY ||
            kc_value_array_size(key) != 2 || kc_value_get_type(kc_value_array_get(key, 1)) != KC_VALUE_MAP) {
            kc_value_free(key);
            continue;
        }
        const char *name = kc_value_get_string(kc_value_array_get(key, 0), NULL);
        if (name && strcmp(name, connector) == 0 && kc_json_parse_value(v, vl, NULL, &offset, &e) == 0) {
            json_t *entry = json_object();
            json_object_set_new(entry, "partition", value_json(kc_value_array_get(key, 1)));
            json_object_set_new(entry, "offset", offset ? value_json(offset) : json_null());
            json_array_append_new(list, entry);
        }
        kc_value_free(offset);
        kc_value_free(key);
    }
    kc_offset_map_free(snap);
    json_t *o = json_object();
    json_object_set_new(o, "offsets", list);
    return o;
}

static void op_get_offsets(kc_herder *h, op *o)
{
    kc_connector_entry *c = need_connector(h, o);
    if (!c)
        return;
    if (c->plugin && c->plugin->kind == KC_PLUGIN_SINK) {
        kc_error err;
        json_t *body = kc_herder_sink_offsets_json(h, c, &err);
        if (!body)
            kc_rest_respond_kc_error(o->req, &err);
        else
            kc_rest_respond_json_new(o->req, 200, body);
        return;
    }
    kc_error err;
    json_t *body = source_offsets_json(h, c->name, &err);
    if (!body)
        kc_rest_respond_kc_error(o->req, &err);
    else
        kc_rest_respond_json_new(o->req, 200, body);
}

static int stopped_or_answer(kc_herder *h, op *o, kc_connector_entry **out)
{
    kc_error err;
    if (h->dist && kc_dist_check_leader(h, true, &err) != 0) {
        respond_err(h, o->req, &err, NULL);
        return -1;
    }
    kc_connector_entry *c = need_connector(h, o);
    if (!c)
        return -1;
    if (c->target != KC_TARGET_STOPPED) {
        kc_rest_respond_error(o->req, 400, "Connectors must be in the STOPPED state before their offsets can be "
                                           "modified. This can be done for the specified connector by issuing a "
                                           "'PUT' request to the '/connectors/%s/stop' endpoint", c->name);
        return -1;
    }
    *out = c;
    return 0;
}

static void op_patch_offsets(kc_herder *h, op *o)
{
    json_t *body = o->body;
    if (body && json_is_object(body)) {
        const char *key;
        json_t *v;
        json_object_foreach(body, key, v) {
            if (strcmp(key, "offsets") != 0) {
                kc_rest_respond_error(o->req, 500, "Unrecognized field \"%s\" (class "
                                                   "org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets), "
                                                   "not marked as ignorable", key);
                return;
            }
        }
    }
    json_t *offsets = json_is_object(body) ? json_object_get(body, "offsets") : NULL;
    if (offsets && !json_is_array(offsets) && !json_is_null(offsets)) {
        kc_rest_respond_error(o->req, 500, "Cannot deserialize value of type `java.util.ArrayList` from Object value");
        return;
    }
    if (!offsets || json_is_null(offsets) || json_array_size(offsets) == 0) {
        kc_rest_respond_error(o->req, 400, "Partitions / offsets need to be provided for an alter offsets request");
        return;
    }
    kc_connector_entry *c;
    if (stopped_or_answer(h, o, &c) != 0)
        return;
    kc_error err;
    kc_error_clear(&err);
    /* normalise as Java does: through the JSON reader (integers become int64, maps HashMap-ordered) */
    char *text = json_dumps(offsets, JSON_COMPACT);
    kc_value *list = NULL;
    if (!text || kc_json_parse_value(text, strlen(text), NULL, &list, &err) != 0) {
        free(text);
        kc_rest_respond_error(o->req, 500, "%s", err.msg);
        return;
    }
    free(text);
    bool sink = c->plugin && c->plugin->kind == KC_PLUGIN_SINK;
    for (size_t i = 0; i < kc_value_array_size(list); i++) {
        const kc_value *e = kc_value_array_get(list, i);
        const kc_value *partition = kc_value_map_get_str(e, "partition");
        const kc_value *offset = kc_value_map_get_str(e, "offset");
        if (sink) {
            if (!partition || kc_value_is_null(partition)) {
                kc_rest_respond_error(o->req, 400, "The partition for a sink connector offset cannot be null or missing");
                goto out;
            }
            if (!kc_value_map_get_str(partition, "kafka_topic") || !kc_value_map_get_str(partition, "kafka_partition")) {
                kc_rest_respond_error(o->req, 400, "The partition for a sink connector offset must contain the keys "
                                                   "'kafka_topic' and 'kafka_partition'");
                goto out;
            }
            const kc_value *off = offset && !kc_value_is_null(offset) ? kc_value_map_get_str(offset, "kafka_offset") : NULL;
            if (off && kc_value_get_type(off) != KC_VALUE_INT64) {
                kc_rest_respond_error(o->req, 400, "Failed to parse the following Kafka offset value in the provided "
                                                   "offsets: '%s'. Offset values for sink connectors need to be integers.",
                                      kc_value_get_string(off, NULL) ? kc_value_get_string(off, NULL) : "?");
                goto out;
            }
        } else if (kc_offsets_validate_format(partition, &err) != 0 || kc_offsets_validate_format(offset, &err) != 0) {
            kc_rest_respond_error(o->req, 400, "%s", err.msg);
            goto out;
        }
    }
    if (c->plugin && c->plugin->alter_offsets && c->plugin->alter_offsets(c->config, list, &err) < 0) {
        kc_rest_respond_error(o->req, 400, "%s", err.msg);
        goto out;
    }
    if (sink) {
        if (kc_herder_sink_offsets_alter(h, c, list, &err) != 0)
            kc_rest_respond_kc_error(o->req, &err);
        else
            kc_rest_respond_json_new(o->req, 200,
                                     message_json("The offsets for this connector have been altered successfully"));
        goto out;
    }
    kc_offset_map *batch = kc_offset_map_new();
    const char **removed = calloc(kc_value_array_size(list) + 1, sizeof *removed);
    size_t *removed_len = calloc(kc_value_array_size(list) + 1, sizeof *removed_len);
    char **keys = calloc(kc_value_array_size(list) + 1, sizeof *keys);
    size_t nremoved = 0, nkeys = 0;
    int rc = batch && removed && removed_len && keys ? 0 : kc_error_set(&err, KC_ERR_INTERNAL, "out of memory");
    for (size_t i = 0; rc == 0 && i < kc_value_array_size(list); i++) {
        const kc_value *e = kc_value_array_get(list, i);
        char *k, *v;
        size_t kl, vl;
        if ((rc = kc_offsets_key_bytes(c->name, kc_value_map_get_str(e, "partition"), &k, &kl, &err)) != 0)
            break;
        keys[nkeys++] = k;
        if ((rc = kc_offsets_value_bytes(kc_value_map_get_str(e, "offset"), &v, &vl, &err)) != 0)
            break;
        if (v) {
            rc = kc_offset_map_put(batch, k, kl, v, vl, &err);
            free(v);
        } else {
            removed[nremoved] = k;
            removed_len[nremoved++] = kl;
        }
    }
    if (rc == 0)
        rc = kc_offset_store_set(h->offsets, batch, removed, removed_len, nremoved, &err);
    if (rc == 0)
        kc_rest_respond_json_new(o->req, 200, message_json("The offsets for this connector have been altered successfully"));
    else
        kc_rest_respond_kc_error(o->req, &err);
    for (size_t i = 0; i < nkeys; i++)
        free(keys[i]);
    free(keys);
    free(removed);
    free(removed_len);
    kc_offset_map_free(batch);
out:
    kc_value_free(list);
}

static void op_delete_offsets(kc_herder *h, op *o)
{
    kc_connector_entry *c;
    if (stopped_or_answer(h, o, &c) != 0)
        return;
    if (c->plugin && c->plugin->kind == KC_PLUGIN_SINK) {
        kc_error e;
        if (kc_herder_sink_offsets_alter(h, c, NULL, &e) != 0)
            kc_rest_respond_kc_error(o->req, &e);
        else
            kc_rest_respond_json_new(o->req, 200,
                                     message_json("The offsets for this connector have been reset successfully"));
        return;
    }
    kc_error err;
    kc_offset_map *snap = kc_offset_store_snapshot(h->offsets, &err);
    if (!snap) {
        kc_rest_respond_kc_error(o->req, &err);
        return;
    }
    size_t n = kc_offset_map_count(snap), nremoved = 0;
    const char **removed = calloc(n + 1, sizeof *removed);
    size_t *removed_len = calloc(n + 1, sizeof *removed_len);
    for (size_t i = 0; removed && removed_len && i < n; i++) {
        const void *k, *v;
        size_t kl, vl;
        kc_offset_map_at(snap, i, &k, &kl, &v, &vl);
        kc_value *key = NULL;
        kc_error e;
        if (kc_json_parse_value(k, kl, NULL, &key, &e) == 0 && kc_value_get_type(key) == KC_VALUE_ARRAY &&
            kc_value_array_size(key) == 2) {
            const char *name = kc_value_get_string(kc_value_array_get(key, 0), NULL);
            if (name && strcmp(name, c->name) == 0) {
                removed[nremoved] = k;
                removed_len[nremoved++] = kl;
            }
        }
        kc_value_free(key);
    }
    int rc = nremoved ? kc_offset_store_set(h->offsets, NULL, removed, removed_len, nremoved, &err) : 0;
    free(removed);
    free(removed_len);
    kc_offset_map_free(snap);
    if (rc != 0)
        kc_rest_respond_kc_error(o->req, &err);
    else
        kc_rest_respond_json_new(o->req, 200, message_json("The offsets for this connector have been reset successfully"));
}

/* ---- topics (KIP-558) ------------------------------------------------------------------------- */

static void op_topics(kc_herder *h, op *o)
{
    if (!h->wc->topic_tracking_enable) {
        kc_rest_respond_error(o->req, 403, "Topic tracking is disabled.");
        return;
    }
    json_t *topics = json_array();
    kc_connector_entry *c = kc_herder_find(h, o->name);
    size_t n = 0;
    char **names = c ? kc_herder_topics(h, c, &n) : NULL;
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(topics, json_string(names[i]));
        free(names[i]);
    }
    free(names);
    json_t *inner = json_object(), *outer = json_object();
    json_object_set_new(inner, "topics", topics);
    json_object_set_new(outer, o->name, inner);
    kc_rest_respond_json_new(o->req, 200, outer);
}

static void op_topics_reset(kc_herder *h, op *o)
{
    if (!h->wc->topic_tracking_enable) {
        kc_rest_respond_error(o->req, 403, "Topic tracking is disabled.");
        return;
    }
    if (!h->wc->topic_tracking_allow_reset) {
        kc_rest_respond_error(o->req, 403, "Topic tracking reset is disabled.");
        return;
    }
    kc_connector_entry *c = kc_herder_find(h, o->name);
    if (!c) {
        kc_rest_respond_error(o->req, 404, "Connector %s not found", o->name);
        return;
    }
    kc_herder_reset_topics(h, c);
    kc_rest_respond_json_new(o->req, 202, NULL);
}

/* ---- plugins and validation -------------------------------------------------------------------- */

static json_t *plugin_json(const char *cls, const char *type, const char *version)
{
    json_t *o = json_object();
    json_object_set_new(o, "class", json_string(cls));
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, "version", json_string(version ? version : KC_VERSION));
    return o;
}

static int by_class(const void *a, const void *b)
{
    const kc_converter_ops *x = *(const kc_converter_ops *const *)a, *y = *(const kc_converter_ops *const *)b;
    return strcmp(x->class_name, y->class_name);
}

static void op_plugins(kc_herder *h, op *o)
{
    (void)h;
    const char *only = kc_rest_request_query(o->req, "connectorsOnly");
    bool connectors_only = !only || strcasecmp(only, "false") != 0; /* Boolean.valueOf, default true */
    const kc_plugin_desc *all[256];
    size_t n = kc_plugins_list(all, 256);
    json_t *a = json_array();
    for (size_t i = 0; i < n && i < 256; i++) {
        if (connectors_only && all[i]->kind != KC_PLUGIN_SOURCE && all[i]->kind != KC_PLUGIN_SINK)
            continue;
        json_array_append_new(a, plugin_json(all[i]->class_name, kc_plugin_kind_name(all[i]->kind), all[i]->version));
    }
    if (!connectors_only) {
        size_t count;
        const kc_converter_ops *const *reg = kc_converter_registry(&count);
        const kc_converter_ops *sorted[32];
        size_t m = 0;
        for (size_t i = 0; i < count && m < 32; i++)
            sorted[m++] = reg[i];
        qsort(sorted, m, sizeof *sorted, by_class);
        for (size_t i = 0; i < m; i++)
            if (sorted[i]->is_converter)
                json_array_append_new(a, plugin_json(sorted[i]->class_name, "converter", NULL));
        for (size_t i = 0; i < m; i++)
            if (sorted[i]->is_header_converter)
                json_array_append_new(a, plugin_json(sorted[i]->class_name, "header_converter", NULL));
    }
    kc_rest_respond_json_new(o->req, 200, a);
}

static void op_plugin_config(kc_herder *h, op *o)
{
    (void)h;
    const kc_plugin_desc *d = kc_plugins_find_any(o->name);
    if (!d) {
        const kc_converter_ops *conv = kc_converter_find(o->name);
        if (conv) {
            kc_config_table t = {conv->config, conv->config_count};
            kc_error e;
            kc_config_def *def = kc_config_def_new(&t, 1, NULL, &e);
            if (!def) {
                kc_rest_respond_kc_error(o->req, &e);
                return;
            }
            kc_rest_respond_json_new(o->req, 200, kc_config_key_infos_json_new(def));
            kc_config_def_free(def);
            return;
        }
        kc_rest_respond_error(o->req, 404, "Unknown plugin %s.", o->name);
        return;
    }
    kc_config_table tables[2];
    size_t ntables = 0;
    if (d->kind == KC_PLUGIN_SOURCE || d->kind == KC_PLUGIN_SINK) {
        const kc_connector_plugin *cp = d->vtable;
        tables[ntables++] = (kc_config_table){cp->config, cp->config_count};
        tables[ntables++] = d->kind == KC_PLUGIN_SINK ? kc_connector_config_sink_table() : kc_connector_config_source_table();
    } else if (d->kind == KC_PLUGIN_TRANSFORMATION) {
        const kc_transform_plugin *tp = d->vtable;
        tables[ntables++] = (kc_config_table){tp->config, tp->config_count};
    } else if (d->kind == KC_PLUGIN_PREDICATE) {
        const kc_predicate_plugin *pp = d->vtable;
        tables[ntables++] = (kc_config_table){pp->config, pp->config_count};
    }
    kc_config_def_opts opts = {.merge = KC_CONFIG_MERGE_KEEP_FIRST};
    kc_error err;
    /* the base sink/source table starts with the common keys */
    kc_config_table with_common[3];
    size_t nw = 0;
    for (size_t i = 0; i < ntables; i++) {
        with_common[nw++] = tables[i];
        if (i == 0 && (d->kind == KC_PLUGIN_SOURCE || d->kind == KC_PLUGIN_SINK)) {
            with_common[nw++] = kc_connector_config_common_table();
        }
    }
    if (nw == 3) { /* order: plugin, common, kind-specific */
        kc_config_table kind = with_common[1];
        with_common[1] = with_common[2];
        with_common[2] = kind;
    }
    kc_config_def *def = kc_config_def_new(with_common, nw, &opts, &err);
    if (!def) {
        kc_rest_respond_kc_error(o->req, &err);
        return;
    }
    kc_rest_respond_json_new(o->req, 200, kc_config_key_infos_json_new(def));
    kc_config_def_free(def);
}

static void op_validate(kc_herder *h, op *o)
{
    if (!json_is_object(o->body)) {
        kc_rest_respond_error(o->req, 400, "Request body must be a JSON object");
        return;
    }
    kc_error err;
    kc_error_clear(&err);
    kc_props *config = kc_props_new(), *nulls = kc_props_new();
    if (!config || !nulls || body_config(o->body, config, nulls, &err) != 0) {
        kc_rest_respond_error(o->req, 500, "%s", err.msg[0] ? err.msg : "out of memory");
        goto out;
    }
    const char *cls = kc_props_get(config, "connector.class");
    if (cls) {
        /* the body's class must end with the path's plugin name, "Connector" suffixes aside */
        char a[512], b[512];
        snprintf(a, sizeof a, "%s", cls);
        snprintf(b, sizeof b, "%s", o->name);
        for (char *s = a; s; s = s == a ? b : NULL) {
            size_t n = strlen(s);
            if (n > 9 && strcmp(s + n - 9, "Connector") == 0)
                s[n - 9] = '\0';
        }
        size_t la = strlen(a), lb = strlen(b);
        if (lb > la || strcmp(a + la - lb, b) != 0) {
            kc_rest_respond_error(o->req, 400, "Included connector type %s does not match request type %s", cls,
                                  o->name);
            goto out;
        }
    }
    int errors = 0;
    kc_props *resolved = kc_worker_transform_config_new(h->worker, config, &err);
    if (!resolved) {
        kc_rest_respond_error(o->req, 500, "%s", err.msg);
        goto out;
    }
    json_t *infos = kc_validate_connector_config(resolved, nulls, h->wc->connector_client_config_override_policy,
                                                 &errors, NULL, &err);
    kc_props_free(resolved);
    if (!infos)
        respond_status_error(o->req, &err);
    else
        kc_rest_respond_json_new(o->req, 200, infos);
out:
    kc_props_free(config);
    kc_props_free(nulls);
}

/* ---- health and internal endpoints ------------------------------------------------------------- */

static void op_health(kc_herder *h, op *o)
{
    (void)h;
    json_t *b = json_object();
    json_object_set_new(b, "status", json_string("healthy"));
    json_object_set_new(b, "message", json_string("Worker has completed startup and is ready to handle requests."));
    kc_rest_respond_json_new(o->req, 200, b);
}

/* /health past its 10 s limit: starting (503) before the herder finished start-up, else unhealthy
 * (500), with Java's texts. */
static void health_timeout(kc_rest_request *req, void *opaque, int *status, json_t **body)
{
    (void)req;
    kc_herder *h = opaque;
    pthread_mutex_lock(&h->lock);
    bool ready = h->ready;
    pthread_mutex_unlock(&h->lock);
    *status = ready ? 500 : 503;
    *body = json_object();
    json_object_set_new(*body, "status", json_string(ready ? "unhealthy" : "starting"));
    json_object_set_new(*body, "message",
                        json_string(ready ? "Worker was unable to handle this request and may be unable to handle "
                                            "other requests."
                                          : "Worker is still starting up."));
}

static void internal_tasks(kc_rest_request *req, void *opaque)
{
    kc_herder *h = opaque;
    if (h->dist) {
        kc_dist_internal_tasks(h, req);
        return;
    }
    kc_rest_respond_error(req, 500, "Kafka Connect in standalone mode does not support externally setting task "
                                    "configurations.");
}

static void internal_fence(kc_rest_request *req, void *opaque)
{
    kc_herder *h = opaque;
    if (h->dist) {
        kc_dist_internal_fence(h, req);
        return;
    }
    kc_rest_respond_error(req, 500, "Kafka Connect in standalone mode does not support exactly-once source connectors.");
}

/* ---- routes ------------------------------------------------------------------------------------ */

#define NAMED(fn) static void h_##fn(kc_rest_request *req, void *hp) { submit(hp, req, op_##fn, true, false); }
#define PLAIN(fn) static void h_##fn(kc_rest_request *req, void *hp) { submit(hp, req, op_##fn, false, false); }
#define TASKED(fn) static void h_##fn(kc_rest_request *req, void *hp) { submit(hp, req, op_##fn, true, true); }
PLAIN(list)
PLAIN(create)
NAMED(info)
NAMED(config)
NAMED(put_config)
NAMED(patch_config)
NAMED(delete)
NAMED(status)
TASKED(task_status)
NAMED(tasks)
NAMED(tasks_config)
NAMED(pause)
NAMED(resume)
NAMED(stop)
NAMED(restart)
TASKED(restart_task)
NAMED(get_offsets)
NAMED(patch_offsets)
NAMED(delete_offsets)
NAMED(topics)
NAMED(topics_reset)
PLAIN(plugins)
NAMED(plugin_config)
NAMED(validate)
PLAIN(health)

static const kc_rest_resource resources[] = {
    {{KC_HTTP_GET, "/connectors"}, h_list, 0, 0, NULL},
    {{KC_HTTP_POST, "/connectors"}, h_create, KC_REST_BODY, 0, NULL},
    {{KC_HTTP_GET, "/connectors/{connector}"}, h_info, 0, 0, NULL},
    {{KC_HTTP_DELETE, "/connectors/{connector}"}, h_delete, 0, 0, NULL},
    {{KC_HTTP_GET, "/connectors/{connector}/config"}, h_config, 0, 0, NULL},
    {{KC_HTTP_PUT, "/connectors/{connector}/config"}, h_put_config, KC_REST_BODY, 0, NULL},
    {{KC_HTTP_PATCH, "/connectors/{connector}/config"}, h_patch_config, KC_REST_BODY, 0, NULL},
    {{KC_HTTP_GET, "/connectors/{connector}/status"}, h_status, 0, 0, NULL},
    {{KC_HTTP_GET, "/connectors/{connector}/tasks"}, h_tasks, 0, 0, NULL},
    {{KC_HTTP_POST, "/connectors/{connector}/tasks"}, internal_tasks, KC_REST_BODY | KC_REST_INTERNAL, 0, NULL},
    {{KC_HTTP_GET, "/connectors/{connector}/tasks-config"}, h_tasks_config, 0, 0, NULL},
    {{KC_HTTP_GET, "/connectors/{connector}/tasks/{task}/status"}, h_task_status, 0, 0, NULL},
    {{KC_HTTP_POST, "/connectors/{connector}/tasks/{task}/restart"}, h_restart_task, 0, 0, NULL},
    {{KC_HTTP_PUT, "/connectors/{connector}/pause"}, h_pause, 0, 0, NULL},
    {{KC_HTTP_PUT, "/connectors/{connector}/resume"}, h_resume, 0, 0, NULL},
    {{KC_HTTP_PUT, "/connectors/{connector}/stop"}, h_stop, 0, 0, NULL},
    {{KC_HTTP_POST, "/connectors/{connector}/restart"}, h_restart, 0, 0, NULL},
    {{KC_HTTP_PUT, "/connectors/{connector}/fence"}, internal_fence, KC_REST_INTERNAL, 0, NULL},
    {{KC_HTTP_GET, "/connectors/{connector}/offsets"}, h_get_offsets, 0, 0, NULL},
    {{KC_HTTP_PATCH, "/connectors/{connector}/offsets"}, h_patch_offsets, KC_REST_BODY, 0, NULL},
    {{KC_HTTP_DELETE, "/connectors/{connector}/offsets"}, h_delete_offsets, 0, 0, NULL},
    {{KC_HTTP_GET, "/connectors/{connector}/topics"}, h_topics, 0, 0, NULL},
    {{KC_HTTP_PUT, "/connectors/{connector}/topics/reset"}, h_topics_reset, 0, 0, NULL},
    {{KC_HTTP_GET, "/connector-plugins"}, h_plugins, 0, 0, NULL},
    {{KC_HTTP_GET, "/connector-plugins/{plugin}/config"}, h_plugin_config, 0, 0, NULL},
    {{KC_HTTP_PUT, "/connector-plugins/{plugin}/config/validate"}, h_validate, KC_REST_BODY, 0, NULL},
    {{KC_HTTP_GET, "/health"}, h_health, 0, KC_REST_HEALTH_TIMEOUT_MS, health_timeout},
};

int kc_standalone_herder_register_rest(kc_herder *h, kc_rest_server *srv, kc_error *err)
{
    if (kc_rest_server_add(srv, resources, sizeof resources / sizeof resources[0], h, err) != 0)
        return -1;
    return kc_replications_register_rest(h, srv, err);
}
