/*
 * bench_kafka: the measuring side of bench/run, on librdkafka. One subcommand per job:
 *
 *   produce      --bootstrap B --topic T --partitions P --count N --value-bytes V
 *                creates T (P partitions, RF 1) and writes N records, record i to partition i % P,
 *                key "k%010ld", a V-byte value; prints {"records":..,"bytes":..,"ms":..}
 *   live         --bootstrap B --topic T --partitions P --rate R --value-bytes V
 *                writes R records/s until SIGTERM/SIGINT; prints {"records":..}
 *   watch        --bootstrap B --topic T --partitions P --expect N --start-ms S --pid PID --timeout-s X
 *                polls T's end offsets (every 20 ms) until they sum to N; at that moment reads the
 *                CPU time and VmHWM of PID; prints {"first_ms":..,"done_ms":..,"cpu_s":..,"hwm_kb":..}
 *                with times relative to S (epoch ms of the process start), and "cpu_first_s", the CPU
 *                time when the first record was seen on B
 *   commit       --bootstrap A --group G --topic T --partitions P --at zero|half|end
 *                commits offsets for group G (no membership: an assign-mode commit)
 *   commit-delay --bootstrap A --target B --group G --topic T --remote-topic R --partitions P
 *                --at half|end --timeout-s X
 *                commits on A like `commit`, then polls G's committed offsets of R on B until every
 *                partition is above what it was before (and above 0); prints {"delay_ms":..}
 *   failover     --bootstrap B --topic R --partitions P --pid PID --timeout-s X
 *                waits until every partition of R advances, sends SIGTERM to PID, waits for it to
 *                exit, then until every partition advanced after that exit; prints
 *                {"stop_ms":..,"failover_ms":..,"stalled":..} (times from the SIGTERM)
 *
 * Errors go to stderr with exit status 1; a timeout prints {"timeout":true,...} and exits 2.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <unistd.h>

#include "bench_common.h"

#define MAX_PARTITIONS 64

typedef struct args {
    const char *bootstrap, *target, *topic, *remote_topic, *group, *at;
    int partitions, value_bytes, rate, pid, timeout_s;
    long count, expect;
    int64_t start_ms;
} args;

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void parse(int argc, char **argv, args *a)
{
    memset(a, 0, sizeof *a);
    a->partitions = 8;
    a->value_bytes = 100;
    a->timeout_s = 300;
    for (int i = 2; i < argc; i++) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            bench_die("%s needs a value", k);
        i++;
        if (!strcmp(k, "--bootstrap"))
            a->bootstrap = v;
        else if (!strcmp(k, "--target"))
            a->target = v;
        else if (!strcmp(k, "--topic"))
            a->topic = v;
        else if (!strcmp(k, "--remote-topic"))
            a->remote_topic = v;
        else if (!strcmp(k, "--group"))
            a->group = v;
        else if (!strcmp(k, "--at"))
            a->at = v;
        else if (!strcmp(k, "--partitions"))
            a->partitions = atoi(v);
        else if (!strcmp(k, "--value-bytes"))
            a->value_bytes = atoi(v);
        else if (!strcmp(k, "--rate"))
            a->rate = atoi(v);
        else if (!strcmp(k, "--pid"))
            a->pid = atoi(v);
        else if (!strcmp(k, "--timeout-s"))
            a->timeout_s = atoi(v);
        else if (!strcmp(k, "--count"))
            a->count = atol(v);
        else if (!strcmp(k, "--expect"))
            a->expect = atol(v);
        else if (!strcmp(k, "--start-ms"))
            a->start_ms = strtoll(v, NULL, 10);
        else
            bench_die("unknown option %s", k);
    }
    if (!a->bootstrap || !a->topic)
        bench_die("--bootstrap and --topic are required");
    if (a->partitions < 1 || a->partitions > MAX_PARTITIONS)
        bench_die("--partitions must be 1..%d", MAX_PARTITIONS);
}

/* ---- /proc ----------------------------------------------------------------------------------- */

/* CPU seconds (user + system, own and waited-for children) of pid; -1 if gone. */
static double proc_cpu_s(int pid)
{
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    /* fields after the command name start at 3 (state); utime, stime, cutime, cstime are 14..17 */
    unsigned long long ticks = 0;
    int field = 3;
    char *save = NULL;
    for (char *tok = strtok_r(p + 1, " ", &save); tok && field <= 17; tok = strtok_r(NULL, " ", &save), field++)
        if (field >= 14)
            ticks += strtoull(tok, NULL, 10);
    if (field <= 17)
        return -1;
    return (double)ticks / (double)sysconf(_SC_CLK_TCK);
}

/* VmHWM of pid in kB; -1 if gone. */
static long proc_hwm_kb(int pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6)) {
            kb = atol(line + 6);
            break;
        }
    fclose(f);
    return kb;
}

/* True while pid exists and is not a zombie. */
static bool proc_alive(int pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* ---- produce / live -------------------------------------------------------------------------- */

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    long *failed = opaque;
    if (m->err && (*failed)++ == 0)
        fprintf(stderr, "bench: delivery failed: %s\n", rd_kafka_err2str(m->err));
}

static rd_kafka_t *producer(const char *bootstrap, long *failed)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    bench_conf_set(conf, "bootstrap.servers", bootstrap);
    bench_conf_set(conf, "acks", "all");
    bench_conf_set(conf, "linger.ms", "20");
    bench_conf_set(conf, "batch.size", "1000000");
    bench_conf_set(conf, "batch.num.messages", "100000");
    bench_conf_set(conf, "queue.buffering.max.messages", "1000000");
    bench_conf_set(conf, "queue.buffering.max.kbytes", "1048576");
    bench_conf_set(conf, "log_level", "3");
    rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
    rd_kafka_conf_set_opaque(conf, failed);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk)
        bench_die("rd_kafka_new: %s", errstr);
    return rk;
}

/* Value of record i: value_bytes printable bytes that vary with i (no compression is used anyway). */
static void fill_value(char *buf, int len, long i)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    uint64_t x = (uint64_t)i * 6364136223846793005ULL + 1442695040888963407ULL;
    for (int j = 0; j < len; j++) {
        x ^= x >> 13;
        x ^= x << 7;
        x ^= x >> 17;
        buf[j] = alphabet[x % (sizeof alphabet - 1)];
    }
}

static void produce_one(rd_kafka_t *rk, const char *topic, int partition, long i, char *value, int vlen,
                        long *bytes)
{
    char key[32];
    int klen = snprintf(key, sizeof key, "k%010ld", i);
    fill_value(value, vlen, i);
    for (;;) {
        rd_kafka_resp_err_t err =
            rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
                              RD_KAFKA_V_KEY(key, (size_t)klen), RD_KAFKA_V_VALUE(value, (size_t)vlen),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
            break;
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
            bench_die("produce: %s", rd_kafka_err2str(err));
        rd_kafka_poll(rk, 10);
    }
    *bytes += klen + vlen;
}

static int cmd_produce(const args *a, bool live)
{
    long failed = 0, bytes = 0, i = 0;
    rd_kafka_t *rk = producer(a->bootstrap, &failed);
    bench_create_topic(rk, a->topic, a->partitions);
    char *value = malloc((size_t)a->value_bytes + 1);
    if (!value)
        bench_die("out of memory");
    int64_t t0 = bench_now_ms();
    if (!live) {
        for (i = 0; i < a->count; i++) {
            produce_one(rk, a->topic, (int)(i % a->partitions), i, value, a->value_bytes, &bytes);
            if ((i & 1023) == 0)
                rd_kafka_poll(rk, 0);
        }
    } else {
        signal(SIGTERM, on_signal);
        signal(SIGINT, on_signal);
        while (!g_stop) {
            /* i records due after (now - t0) ms at a->rate per second */
            long due = (long)((bench_now_ms() - t0) * (int64_t)a->rate / 1000);
            for (; i < due; i++)
                produce_one(rk, a->topic, (int)(i % a->partitions), i, value, a->value_bytes, &bytes);
            rd_kafka_poll(rk, 5);
        }
    }
    if (rd_kafka_flush(rk, 120000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        bench_die("flush: records still queued after 120 s");
    int64_t ms = bench_now_ms() - t0;
    printf("{\"records\":%ld,\"bytes\":%ld,\"ms\":%" PRId64 ",\"failed\":%ld}\n", i, bytes, ms, failed);
    free(value);
    rd_kafka_destroy(rk);
    return failed ? 1 : 0;
}

/* ---- watch ----------------------------------------------------------------------------------- */

static int cmd_watch(const args *a)
{
    rd_kafka_t *rk = bench_query_client(a->bootstrap, NULL);
    int64_t deadline = bench_now_ms() + (int64_t)a->timeout_s * 1000, first = -1, end[MAX_PARTITIONS];
    bool have_topic = false;
    long sum = 0;
    double cpu_first = -1;
    while (bench_now_ms() < deadline) {
        if (!have_topic) {
            int n = bench_partition_count(rk, a->topic, 1000);
            have_topic = n >= a->partitions;
        }
        if (have_topic && bench_end_offsets(rk, a->topic, a->partitions, end) == 0) {
            sum = 0;
            for (int p = 0; p < a->partitions; p++)
                sum += end[p];
            int64_t now = bench_now_ms();
            if (sum > 0 && first < 0) {
                first = now;
                cpu_first = a->pid ? proc_cpu_s(a->pid) : -1;
            }
            if (sum >= a->expect) {
                double cpu = a->pid ? proc_cpu_s(a->pid) : -1;
                long hwm = a->pid ? proc_hwm_kb(a->pid) : -1;
                printf("{\"first_ms\":%" PRId64 ",\"done_ms\":%" PRId64 ",\"records\":%ld,\"cpu_s\":%.2f,"
                       "\"cpu_first_s\":%.2f,\"hwm_kb\":%ld}\n",
                       first - a->start_ms, now - a->start_ms, sum, cpu, cpu_first, hwm);
                rd_kafka_destroy(rk);
                return 0;
            }
        }
        if (a->pid && !proc_alive(a->pid)) {
            printf("{\"timeout\":true,\"error\":\"process %d exited\",\"records\":%ld}\n", a->pid, sum);
            rd_kafka_destroy(rk);
            return 2;
        }
        bench_sleep_ms(20);
    }
    printf("{\"timeout\":true,\"records\":%ld}\n", sum);
    rd_kafka_destroy(rk);
    return 2;
}

/* ---- commits --------------------------------------------------------------------------------- */

/* Offsets to commit on A for --at: 0, half or all of each partition's end offset. */
static rd_kafka_topic_partition_list_t *commit_offsets(rd_kafka_t *rk, const args *a)
{
    int64_t end[MAX_PARTITIONS];
    if (bench_end_offsets(rk, a->topic, a->partitions, end) != 0)
        bench_die("end offsets of %s failed", a->topic);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(a->partitions);
    for (int p = 0; p < a->partitions; p++) {
        int64_t o = !strcmp(a->at, "zero") ? 0 : !strcmp(a->at, "half") ? end[p] / 2 : end[p];
        rd_kafka_topic_partition_list_add(l, a->topic, p)->offset = o;
    }
    return l;
}

static void commit_sync(rd_kafka_t *rk, rd_kafka_topic_partition_list_t *l)
{
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    for (int attempt = 0; attempt < 20; attempt++) {
        err = rd_kafka_commit(rk, l, 0);
        if (!err)
            return;
        bench_sleep_ms(500); /* the coordinator may still be loading right after the bed started */
    }
    bench_die("commit: %s", rd_kafka_err2str(err));
}

static int cmd_commit(const args *a)
{
    if (!a->group || !a->at)
        bench_die("commit needs --group and --at");
    rd_kafka_t *rk = bench_query_client(a->bootstrap, a->group);
    rd_kafka_topic_partition_list_t *l = commit_offsets(rk, a);
    commit_sync(rk, l);
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_destroy(rk);
    return 0;
}

/* G's committed offsets of topic on rk's cluster into out[] (-1 when none); 0 or -1. */
static int committed(rd_kafka_t *rk, const char *topic, int partitions, int64_t *out)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; p++)
        rd_kafka_topic_partition_list_add(l, topic, p);
    int rc = -1;
    if (rd_kafka_committed(rk, l, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        rc = 0;
        for (int p = 0; p < partitions; p++)
            out[p] = l->elems[p].err ? -1 : (l->elems[p].offset < 0 ? -1 : l->elems[p].offset);
    }
    rd_kafka_topic_partition_list_destroy(l);
    return rc;
}

static int cmd_commit_delay(const args *a)
{
    if (!a->group || !a->at || !a->target || !a->remote_topic)
        bench_die("commit-delay needs --group, --at, --target and --remote-topic");
    rd_kafka_t *ra = bench_query_client(a->bootstrap, a->group);
    rd_kafka_t *rb = bench_query_client(a->target, a->group);
    int64_t before[MAX_PARTITIONS], now_off[MAX_PARTITIONS];
    if (committed(rb, a->remote_topic, a->partitions, before) != 0)
        for (int p = 0; p < a->partitions; p++)
            before[p] = -1;
    rd_kafka_topic_partition_list_t *l = commit_offsets(ra, a);
    commit_sync(ra, l);
    int64_t t0 = bench_now_ms(), deadline = t0 + (int64_t)a->timeout_s * 1000;
    int rc = 2;
    while (bench_now_ms() < deadline) {
        if (committed(rb, a->remote_topic, a->partitions, now_off) == 0) {
            int moved = 0;
            for (int p = 0; p < a->partitions; p++)
                moved += now_off[p] > before[p] && now_off[p] > 0;
            if (moved == a->partitions) {
                rc = 0;
                break;
            }
        }
        bench_sleep_ms(20);
    }
    int64_t t1 = bench_now_ms();
    if (rc == 0)
        printf("{\"delay_ms\":%" PRId64 ",\"committed_a\":[", t1 - t0);
    else
        printf("{\"timeout\":true,\"waited_ms\":%" PRId64 ",\"committed_a\":[", t1 - t0);
    for (int p = 0; p < a->partitions; p++)
        printf("%s%" PRId64, p ? "," : "", l->elems[p].offset);
    printf("],\"before_b\":[");
    for (int p = 0; p < a->partitions; p++)
        printf("%s%" PRId64, p ? "," : "", before[p]);
    printf("],\"after_b\":[");
    for (int p = 0; p < a->partitions; p++)
        printf("%s%" PRId64, p ? "," : "", now_off[p]);
    printf("]}\n");
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_destroy(ra);
    rd_kafka_destroy(rb);
    return rc;
}

/* ---- failover -------------------------------------------------------------------------------- */

static int cmd_failover(const args *a)
{
    if (!a->pid)
        bench_die("failover needs --pid");
    rd_kafka_t *rk = bench_query_client(a->bootstrap, NULL);
    int P = a->partitions;
    int64_t end[MAX_PARTITIONS], last[MAX_PARTITIONS], moved_at[MAX_PARTITIONS];
    int64_t deadline = bench_now_ms() + (int64_t)a->timeout_s * 1000;
    for (int p = 0; p < P; p++)
        last[p] = -1, moved_at[p] = 0;
    /* 1. flowing: every partition advanced within the last 2 s */
    bool flowing = false;
    while (!flowing && bench_now_ms() < deadline) {
        if (bench_end_offsets(rk, a->topic, P, end) == 0) {
            int64_t now = bench_now_ms();
            flowing = true;
            for (int p = 0; p < P; p++) {
                if (end[p] != last[p])
                    moved_at[p] = last[p] < 0 ? 0 : now, last[p] = end[p];
                flowing = flowing && moved_at[p] > 0 && now - moved_at[p] < 2000;
            }
        }
        bench_sleep_ms(50);
    }
    if (!flowing) {
        printf("{\"timeout\":true,\"error\":\"records were not flowing on every partition before the stop\"}\n");
        rd_kafka_destroy(rk);
        return 2;
    }
    /* 2. SIGTERM, wait for the exit */
    int64_t t_kill = bench_now_ms(), t_exit = -1;
    kill(a->pid, SIGTERM);
    while (bench_now_ms() < deadline && proc_alive(a->pid))
        bench_sleep_ms(10);
    if (proc_alive(a->pid)) {
        printf("{\"timeout\":true,\"error\":\"the stopped worker did not exit\"}\n");
        rd_kafka_destroy(rk);
        return 2;
    }
    t_exit = bench_now_ms();
    /* 3. every partition advances after the exit */
    int64_t base[MAX_PARTITIONS], resumed[MAX_PARTITIONS];
    while (bench_end_offsets(rk, a->topic, P, base) != 0 && bench_now_ms() < deadline)
        bench_sleep_ms(50);
    for (int p = 0; p < P; p++)
        resumed[p] = -1;
    int done = 0;
    while (done < P && bench_now_ms() < deadline) {
        if (bench_end_offsets(rk, a->topic, P, end) == 0) {
            int64_t now = bench_now_ms();
            for (int p = 0; p < P; p++)
                if (resumed[p] < 0 && end[p] > base[p])
                    resumed[p] = now, done++;
        }
        bench_sleep_ms(20);
    }
    int64_t worst = 0;
    int stalled = 0;
    for (int p = 0; p < P; p++) {
        if (resumed[p] >= 0 && resumed[p] - t_kill > worst)
            worst = resumed[p] - t_kill;
        stalled += resumed[p] < 0 || resumed[p] - t_exit > 1000;
    }
    if (done < P)
        printf("{\"timeout\":true,\"stop_ms\":%" PRId64 ",\"stalled\":%d,\"resumed_ms\":[", t_exit - t_kill, stalled);
    else
        printf("{\"stop_ms\":%" PRId64 ",\"failover_ms\":%" PRId64 ",\"stalled\":%d,\"resumed_ms\":[",
               t_exit - t_kill, worst, stalled);
    for (int p = 0; p < P; p++)
        printf("%s%" PRId64, p ? "," : "", resumed[p] < 0 ? -1 : resumed[p] - t_kill);
    printf("]}\n");
    rd_kafka_destroy(rk);
    return done < P ? 2 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        bench_die("usage: bench_kafka produce|live|watch|commit|commit-delay|failover --options");
    args a;
    parse(argc, argv, &a);
    const char *c = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(c, "produce"))
        return cmd_produce(&a, false);
    if (!strcmp(c, "live"))
        return cmd_produce(&a, true);
    if (!strcmp(c, "watch"))
        return cmd_watch(&a);
    if (!strcmp(c, "commit"))
        return cmd_commit(&a);
    if (!strcmp(c, "commit-delay"))
        return cmd_commit_delay(&a);
    if (!strcmp(c, "failover"))
        return cmd_failover(&a);
    bench_die("unknown subcommand %s", c);
    return 1;
}
