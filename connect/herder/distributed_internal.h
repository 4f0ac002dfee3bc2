/* Distributed mode's state, shared by distributed.c (the tick loop, membership, work) and
 * distributed_rest.c (forwarding, internal endpoints, signing). Herder thread unless noted. */
#ifndef KC_HERDER_DISTRIBUTED_INTERNAL_H
#define KC_HERDER_DISTRIBUTED_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "connect/cluster/assignor.h"
#include "connect/cluster/connect_protocol.h"
#include "connect/herder/distributed.h"
#include "connect/herder/herder_internal.h"
#include "connect/kafka/broker_settings.h"
#include "connect/kafka/group_member.h"
#include "storage/config_store.h"
#include "storage/status_store.h"

#define KC_DIST_LOGGER "org.apache.kafka.connect.runtime.distributed.DistributedHerder"

/* A connector waiting for its task configs to be written (by us as leader, or by the leader). */
typedef struct kc_dist_reconfig {
    char *connector;
    int64_t next_ms;        /* next attempt */
    int64_t backoff_ms;
    bool in_flight;         /* a POST to the leader is running */
    struct kc_dist_reconfig *next;
} kc_dist_reconfig;

typedef struct kc_dist_restart {
    char *connector;
    bool include_tasks, only_failed;
    struct kc_dist_restart *next;
} kc_dist_restart;

struct kc_dist {
    kc_herder *h;
    const kc_worker_config *wc;
    kc_config_store *configs;
    kc_status_store *statuses;
    kc_offset_store *offsets;
    kc_group_member *member;             /* used under member_lock: herder (join, leave) and heartbeat threads */
    pthread_mutex_t member_lock;
    pthread_cond_t hb_cond;
    pthread_t hb_thread;
    bool hb_active;                      /* STABLE: the heartbeat thread polls the member */
    bool hb_stop;
    kc_group_poll_result hb_result;      /* what the heartbeat thread saw (REJOIN / ERROR) */
    char hb_error[KC_ERROR_MSG_MAX];
    kc_broker_settings_owned broker;
    kc_coop_assignor *coop;
    kc_cp_protocol mode;                 /* connect.protocol */
    char url[512];                       /* our advertised REST URL */
    char client_id[300];

    /* membership (herder thread) */
    bool joined;                         /* have a completed generation */
    bool rejoin;                         /* rejoin at the next tick */
    bool work_started;                   /* the last assignment was acted on (eager revocation) */
    bool config_unreadable;
    int unsync_attempts;
    kc_cp_protocol selected;
    kc_cp_assignment current;            /* merged current assignment (allocation of the metadata) */
    bool have_current;
    int32_t last_completed_generation;
    int64_t scheduled_rebalance_ms;      /* 0: none */
    kc_cp_work running;                  /* connectors and tasks started here */

    /* read by REST threads: guarded by lock */
    pthread_mutex_t lock;
    bool leader;
    char leader_url[512];
    int32_t generation;
    bool rebalance_pending;              /* needsReconfigRebalance */
    unsigned char key[128];              /* the session key */
    size_t key_len;
    char key_alg[64];
    int64_t key_creation_ms;
    int64_t key_expiry_ms;               /* INT64_MAX: never (written, waiting to read it back) */
    int forwarders;                      /* running forward / POST threads */
    pthread_cond_t forwarders_done;

    /* config changes read and not yet acted on (herder thread) */
    char **bounce;                       /* owned connectors whose config changed */
    size_t nbounce;
    kc_dist_reconfig *reconfigs;
    kc_dist_restart *restarts;
    bool stopping;
    bool stopped;                        /* kc_distributed_herder_stop ran */
};

/* Milliseconds of the realtime / monotonic clocks. */
int64_t kc_dist_now_ms(void);
int64_t kc_dist_mono_ms(void);

/* Follower: sends the task configs of connector to the leader (signed POST .../tasks) on its own
 * thread; the result comes back to the herder thread as a job (kc_dist_reconfig_done). */
void kc_dist_post_task_configs(kc_herder *h, const char *connector, const kc_task_configs *tasks);
void kc_dist_reconfig_done(kc_herder *h, const char *connector, bool ok);

#endif
