/* Connectivity check over librdkafka; see check_connection.h. */
#include "check_connection.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/log.h"
#include "connect/config/client_config.h"
#include "connect/kafka/bridge.h"

/* What the error callback saw; touched only by the checking thread (rd_kafka_poll serves the
 * callback on the caller's thread). */
typedef struct check_state {
    kc_error_code code;          /* most specific failure seen so far */
    char reason[KC_ERROR_MSG_MAX];
} check_state;

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int rank(kc_error_code code)
{
    switch (code) {
    case KC_ERR_AUTH: return 3;
    case KC_ERR_TLS: return 2;
    case KC_ERR_UNREACHABLE: return 1;
    default: return 0;
    }
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    (void)rk;
    check_state *st = opaque;
    kc_error_code code;
    switch (err) {
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
    case RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM:
    case RD_KAFKA_RESP_ERR_ILLEGAL_SASL_STATE:
        code = KC_ERR_AUTH;
        break;
    case RD_KAFKA_RESP_ERR__SSL:
        code = KC_ERR_TLS;
        break;
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
        /* a summary of the per-broker errors that came before; keep their more precise text */
        if (st->code != KC_ERR_NONE)
            return;
        code = KC_ERR_UNREACHABLE;
        break;
    default:
        code = KC_ERR_UNREACHABLE;
        break;
    }
    if (rank(code) >= rank(st->code)) {
        st->code = code;
        snprintf(st->reason, sizeof st->reason, "%s", reason);
    }
}

/* When kconnect logs in itself (bridge.h), librdkafka only sees a disconnect; the bridge knows why.
 * Its error replaces librdkafka's when it is at least as specific. */
static void take_bridge_error(rd_kafka_t *rk, check_state *st)
{
    kc_error berr;
    if (kc_bridge_last_error(rk, &berr) && rank(berr.code) > 0 && rank(berr.code) >= rank(st->code)) {
        st->code = berr.code;
        snprintf(st->reason, sizeof st->reason, "%s", berr.msg);
    }
}

static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    (void)rk;
    kc_log(level <= 3 ? KC_LOG_DEBUG : KC_LOG_TRACE, "librdkafka", "%s: %s", fac, buf);
}

static const char *describe(kc_error_code code)
{
    switch (code) {
    case KC_ERR_AUTH: return "authentication failed";
    case KC_ERR_TLS: return "TLS failure";
    case KC_ERR_UNREACHABLE: return "unreachable";
    default: return "timed out";
    }
}

int kc_check_connection(const kc_props *client_props, int timeout_ms, kc_cluster_info *info,
                        kc_error *err)
{
    long start = now_ms();
    long deadline = start + (timeout_ms > 0 ? timeout_ms : KC_CHECK_DEFAULT_TIMEOUT_MS);
    memset(info, 0, sizeof *info);
    info->controller_id = -1;

    const char *bootstrap = kc_props_get(client_props, "bootstrap.servers");
    if (!bootstrap || !*bootstrap)
        return kc_error_set(err, KC_ERR_INVALID, "Missing required configuration \"bootstrap.servers\" "
                                                 "which has no default value.");
    snprintf(info->bootstrap, sizeof info->bootstrap, "%s", bootstrap);

    rd_kafka_conf_t *conf = kc_client_conf_new(client_props, KC_CLIENT_ADMIN, NULL, NULL, err);
    if (!conf)
        return -1;
    check_state st = {.code = KC_ERR_NONE};
    char errstr[512];
    rd_kafka_conf_set_opaque(conf, &st);
    rd_kafka_conf_set_error_cb(conf, on_error);
    rd_kafka_conf_set_log_cb(conf, on_log);
    /* fail fast on a dead address, and keep librdkafka's own retries short within our deadline */
    rd_kafka_conf_set(conf, "reconnect.backoff.max.ms", "1000", errstr, sizeof errstr);

    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        return kc_error_set(err, KC_ERR_INVALID, "cannot create a client: %s", errstr);
    }

    int rc = -1;
    const struct rd_kafka_metadata *md = NULL;
    for (;;) {
        rd_kafka_poll(rk, 0);
        take_bridge_error(rk, &st);
        if (st.code == KC_ERR_AUTH || st.code == KC_ERR_TLS)
            break;
        long left = deadline - now_ms();
        if (left <= 0)
            break;
        rd_kafka_resp_err_t merr = rd_kafka_metadata(rk, 0, NULL, &md, (int)(left < 500 ? left : 500));
        if (merr == RD_KAFKA_RESP_ERR_NO_ERROR)
            break;
        md = NULL;
    }
    rd_kafka_poll(rk, 0);
    take_bridge_error(rk, &st);

    if (md && st.code != KC_ERR_AUTH && st.code != KC_ERR_TLS) {
        info->broker_count = md->broker_cnt;
        rd_kafka_metadata_destroy(md);
        md = NULL;
        long left = deadline - now_ms();
        char *id = rd_kafka_clusterid(rk, (int)(left > 100 ? left : 100));
        if (id) {
            snprintf(info->cluster_id, sizeof info->cluster_id, "%s", id);
            rd_kafka_mem_free(rk, id);
        }
        left = deadline - now_ms();
        info->controller_id = rd_kafka_controllerid(rk, (int)(left > 100 ? left : 100));
        rc = 0;
    } else {
        if (md)
            rd_kafka_metadata_destroy(md);
        kc_error_code code = st.code != KC_ERR_NONE ? st.code : KC_ERR_TIMEOUT;
        if (st.code == KC_ERR_NONE)
            kc_error_set(err, code, "%s: no metadata from %s within %d ms", describe(code), bootstrap,
                         timeout_ms);
        else
            kc_error_set(err, code, "%s: %s", describe(code), st.reason);
    }
    info->elapsed_ms = now_ms() - start;
    rd_kafka_destroy(rk);
    return rc;
}
