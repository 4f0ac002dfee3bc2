/* /admin/loggers (KIP-495, KIP-976): list, get and set logger levels live (LoggingResource). */
#include "rest/resources.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "connect/api/log.h"

static json_t *level_json(const kc_logger_info *info)
{
    json_t *o = json_object();
    json_object_set_new(o, "level", json_string(kc_log_level_name(info->level)));
    json_object_set_new(o, "last_modified",
                        info->last_modified_ms >= 0 ? json_integer(info->last_modified_ms) : json_null());
    return o;
}

static void list_loggers(kc_rest_request *req, void *opaque)
{
    (void)opaque;
    static kc_logger_info infos[KC_LOG_MAX_LOGGERS]; /* REST thread only */
    size_t n = kc_log_list(infos, KC_LOG_MAX_LOGGERS);
    if (n > KC_LOG_MAX_LOGGERS)
        n = KC_LOG_MAX_LOGGERS;
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++)
        if (infos[i].explicit_level)
            json_object_set_new(o, infos[i].name, level_json(&infos[i]));
    kc_rest_respond_json_new(req, 200, o);
}

static void get_logger(kc_rest_request *req, void *opaque)
{
    (void)opaque;
    const char *name = kc_rest_request_param(req, 0);
    kc_logger_info info;
    if (kc_log_get(name, &info) != 0) {
        kc_rest_respond_error(req, 404, "Logger %s not found.", name);
        return;
    }
    kc_rest_respond_json_new(req, 200, level_json(&info));
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_logger(kc_rest_request *req, void *opaque)
{
    kc_rest_loggers_ctx *ctx = opaque;
    const char *ns = kc_rest_request_param(req, 0);
    json_t *body = kc_rest_request_json(req);
    json_t *level_node = json_is_object(body) ? json_object_get(body, "level") : NULL;
    if (!level_node || json_is_null(level_node)) {
        kc_rest_respond_error(req, 400, "Desired 'level' parameter was not specified in request.");
        return;
    }
    char text[64];
    const char *level = json_is_string(level_node) ? json_string_value(level_node) : NULL;
    if (!level) { /* Jackson coerces scalars of a Map<String, String> body to their text */
        char *dumped = json_dumps(level_node, JSON_ENCODE_ANY | JSON_COMPACT);
        snprintf(text, sizeof text, "%s", dumped ? dumped : "");
        free(dumped);
        level = text;
    }
    int parsed = kc_log_level_parse(level);
    if (parsed < 0) {
        kc_rest_respond_error(req, 404, "invalid log level '%s'.", level);
        return;
    }
    const char *scope = kc_rest_request_query(req, "scope");
    if (scope && strcasecmp(scope, "cluster") == 0) {
        kc_error err;
        kc_error_clear(&err);
        if (ctx && ctx->set_cluster_level) {
            if (ctx->set_cluster_level(ctx->opaque, ns, level, &err) != 0) { /* written as sent (storage spec §3.2(8)) */
                kc_rest_respond_kc_error(req, &err);
                return;
            }
        } else {
            kc_logger_info scratch[1];
            kc_log_set_level(ns, (kc_log_level)parsed, now_ms(), scratch, 0);
        }
        kc_rest_respond_json_new(req, 204, NULL);
        return;
    }
    static kc_logger_info changed[KC_LOG_MAX_LOGGERS]; /* REST thread only */
    size_t n = kc_log_set_level(ns, (kc_log_level)parsed, now_ms(), changed, KC_LOG_MAX_LOGGERS);
    if (n > KC_LOG_MAX_LOGGERS)
        n = KC_LOG_MAX_LOGGERS;
    json_t *names = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(names, json_string(changed[i].name));
    kc_rest_respond_json_new(req, 200, names);
}

static const kc_rest_resource logger_resources[] = {
    {{KC_HTTP_GET, "/admin/loggers"}, list_loggers, KC_REST_ADMIN, 0, NULL},
    {{KC_HTTP_GET, "/admin/loggers/{logger}"}, get_logger, KC_REST_ADMIN, 0, NULL},
    {{KC_HTTP_PUT, "/admin/loggers/{logger}"}, set_logger, KC_REST_ADMIN | KC_REST_BODY, 0, NULL},
};

int kc_rest_loggers_register(kc_rest_server *srv, kc_rest_loggers_ctx *ctx, kc_error *err)
{
    return kc_rest_server_add(srv, logger_resources, sizeof logger_resources / sizeof logger_resources[0], ctx, err);
}
