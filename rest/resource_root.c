/* GET / : server info (RootResource). */
#include "rest/resources.h"

#include "connect/version.h"

static void get_root(kc_rest_request *req, void *opaque)
{
    const kc_rest_root_ctx *ctx = opaque;
    json_t *o = json_object();
    json_object_set_new(o, "version", json_string(KC_KAFKA_API_VERSION));
    json_object_set_new(o, "commit", json_string(KC_COMMIT));
    json_object_set_new(o, "kafka_cluster_id", ctx->kafka_cluster_id[0] ? json_string(ctx->kafka_cluster_id)
                                                                         : json_null());
    kc_rest_respond_json_new(req, 200, o);
}

static const kc_rest_resource root_resources[] = {
    {{KC_HTTP_GET, "/"}, get_root, 0, 0, NULL},
};

int kc_rest_root_register(kc_rest_server *srv, kc_rest_root_ctx *ctx, kc_error *err)
{
    return kc_rest_server_add(srv, root_resources, sizeof root_resources / sizeof root_resources[0], ctx, err);
}
