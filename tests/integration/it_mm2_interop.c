/*
 * it_mm2_interop: kconnect's `kconnect mirror` next to Java MirrorMaker 2 (the test bed's jars), flow
 * A->B, on the same internal topics (mm2-offsets/configs/status.A.internal and A.checkpoints.internal
 * on B, mm2-offset-syncs.B.internal on A).
 *   1. Offset translation parity: two topics with identical records (3 partitions) and two groups
 *      with identical commits on A; kconnect mirrors (t, g), Java MM2 mirrors (t2, g2); each side's
 *      translation (Java's RemoteClusterUtils.translateOffsets against B) is safe. Which syncs each
 *      side emits depends on timing, so the exact comparison is made on the same syncs: kconnect's
 *      MirrorCheckpoint over Java MM2's offset syncs of t2, for a fresh group g3 committed like g2,
 *      gives checkpoints from which translateOffsets returns exactly what it returns for g2 from
 *      Java's checkpoints.
 *   2. Takeover: Java MM2 copies topic t3 (sequence-numbered records) and is stopped; kconnect starts
 *      on the same mm2.properties and resumes from the MirrorSource offsets Java stored: B's A.t3 holds
 *      every record of A's t3, in order per partition; duplicates are counted (and must be fewer than
 *      a restart from the beginning would give).
 * Every Java or kconnect process started here is killed at exit, also after a failed assertion.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <sys/wait.h>

#include <librdkafka/rdkafka.h>

#include "connectors/mirror/mirror_records.h"
#include "standalone_env.h"

#define PARTITIONS 3
#define PER_PARTITION 300
#define TAKEOVER_BATCH 1000 /* records per partition and batch (3 batches) */

/* ---- processes: remembered so that atexit can kill what is left ------------------------------- */

static int g_pids[16];

static void remember(int pid)
{
    for (size_t i = 0; i < sizeof g_pids / sizeof g_pids[0]; i++)
        if (g_pids[i] == 0) {
            g_pids[i] = pid;
            return;
        }
}

static int stop(int pid, int timeout_ms)
{
    int rc = kc_stop_process(pid, SIGTERM, timeout_ms);
    for (size_t i = 0; i < sizeof g_pids / sizeof g_pids[0]; i++)
        if (g_pids[i] == pid)
            g_pids[i] = 0;
    return rc;
}

static void kill_leftovers(void)
{
    for (size_t i = 0; i < sizeof g_pids / sizeof g_pids[0]; i++)
        if (g_pids[i] > 0) {
            kill(g_pids[i], SIGKILL);
            waitpid(g_pids[i], NULL, 0);
            g_pids[i] = 0;
        }
}

static void write_log4j(const char *dir, char *opt, size_t len)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/java-log4j2.properties", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs("status = warn\nappender.e.type = Console\nappender.e.name = E\nappender.e.target = SYSTEM_ERR\n"
          "appender.e.layout.type = PatternLayout\nappender.e.layout.pattern = [%d] %p %m (%c)%n\n"
          "rootLogger.level = info\nrootLogger.appenderRef.e.ref = E\nlogger.k.name = org.apache.kafka.clients\n"
          "logger.k.level = warn\n", f);
    fclose(f);
    snprintf(opt, len, "-Dlog4j2.configurationFile=%s", path);
}

/* `java ... org.apache.kafka.connect.mirror.MirrorMaker props`, output to log. */
static int start_java_mm2(const char *dir, const char *props, const char *log)
{
    char log4j_opt[1300], cp[1200];
    write_log4j(dir, log4j_opt, sizeof log4j_opt);
    snprintf(cp, sizeof cp, "%s/*", kc_testbed_require("KC_KAFKA_LIB"));
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execlp("java", "java", "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
               "-Djava.awt.headless=true", log4j_opt, "-cp", cp, "org.apache.kafka.connect.mirror.MirrorMaker", props,
               (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        remember(pid);
    return pid;
}

/* Stops Java MM2 with SIGTERM: a JVM ends with 143 (128 + SIGTERM) after its shutdown hooks ran;
 * the hook logs "Kafka MirrorMaker stopped." once the herders stopped (offsets committed). 0 or -1. */
static int stop_java(int pid, const char *log)
{
    int rc = stop(pid, 60000);
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "grep -q 'Kafka MirrorMaker stopped' '%s'", log);
    int logged = system(cmd) == 0;
    if ((rc != 0 && rc != 143) || !logged)
        printf("\n    Java MM2 exit status %d, clean stop logged: %d", rc, logged);
    return (rc == 0 || rc == 143) && logged ? 0 : -1;
}

static int start_kconnect_mirror(const char *props, const char *log)
{
    char *args[] = {"mirror", (char *)props, NULL};
    int pid = kc_spawn(log, args);
    if (pid > 0)
        remember(pid);
    return pid;
}

/* The mm2.properties both sides read. */
static void write_mm2(const char *path, const char *topics, const char *groups)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_FATAL(f != NULL);
    fprintf(f, "clusters = A, B\nA.bootstrap.servers = %s\nB.bootstrap.servers = %s\n"
               "A->B.enabled = true\nB->A.enabled = false\nB->A.emit.heartbeats.enabled = false\n"
               "A->B.topics = %s\nA->B.groups = %s\ntasks.max = 1\n"
               "emit.checkpoints.interval.seconds = 1\nsync.group.offsets.enabled = false\n"
               "sync.topic.acls.enabled = false\nrefresh.topics.interval.seconds = 5\n"
               "replication.factor = 1\noffset-syncs.topic.replication.factor = 1\n"
               "checkpoints.topic.replication.factor = 1\nheartbeats.topic.replication.factor = 1\n"
               "offset.storage.replication.factor = 1\nconfig.storage.replication.factor = 1\n"
               "status.storage.replication.factor = 1\nB.offset.flush.interval.ms = 1000\n",
            kc_testbed_require("KC_A_PLAINTEXT"), kc_testbed_require("KC_B_PLAINTEXT"), topics, groups);
    fclose(f);
}

/* ---- Kafka helpers -------------------------------------------------------------------------- */

static rd_kafka_t *client(const char *cluster_var, rd_kafka_type_t type, const char *group)
{
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", kc_testbed_require(cluster_var), errstr, sizeof errstr);
    if (type == RD_KAFKA_PRODUCER)
        rd_kafka_conf_set(conf, "enable.idempotence", "true", errstr, sizeof errstr);
    if (group) {
        rd_kafka_conf_set(conf, "group.id", group, errstr, sizeof errstr);
        rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof errstr);
    }
    rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, sizeof errstr);
    CU_ASSERT_FATAL(rk != NULL);
    if (type == RD_KAFKA_CONSUMER)
        rd_kafka_poll_set_consumer(rk);
    return rk;
}

static void create_topic(const char *topic)
{
    rd_kafka_t *rk = client("KC_A_PLAINTEXT", RD_KAFKA_PRODUCER, NULL);
    char errstr[256];
    rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, PARTITIONS, 1, errstr, sizeof errstr);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 30000);
    CU_ASSERT_FATAL(ev != NULL);
    size_t n = 0;
    const rd_kafka_topic_result_t **tr = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
    CU_ASSERT(n == 1 && rd_kafka_topic_result_error(tr[0]) == 0);
    rd_kafka_event_destroy(ev);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(nt);
    rd_kafka_destroy(rk);
}

/* Records first..first+n-1 of every partition: value "<p>-<i>", key "k<i>". */
static void produce_seq(const char *topic, int first, int n)
{
    rd_kafka_t *rk = client("KC_A_PLAINTEXT", RD_KAFKA_PRODUCER, NULL);
    for (int i = first; i < first + n; i++)
        for (int p = 0; p < PARTITIONS; p++) {
            char k[32], v[32];
            int kl = snprintf(k, sizeof k, "k%d", i), vl = snprintf(v, sizeof v, "%d-%d", p, i);
            rd_kafka_resp_err_t e;
            while ((e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(p), RD_KAFKA_V_KEY(k, (size_t)kl),
                                          RD_KAFKA_V_VALUE(v, (size_t)vl), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                          RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                rd_kafka_poll(rk, 50);
            CU_ASSERT_EQUAL(e, 0);
        }
    CU_ASSERT_EQUAL(rd_kafka_flush(rk, 30000), 0);
    rd_kafka_destroy(rk);
}

static void commit(const char *group, const char *topic, const int64_t *offsets)
{
    rd_kafka_t *rk = client("KC_A_PLAINTEXT", RD_KAFKA_CONSUMER, group);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(PARTITIONS);
    for (int p = 0; p < PARTITIONS; p++)
        rd_kafka_topic_partition_list_add(l, topic, p)->offset = offsets[p];
    CU_ASSERT_FATAL(rd_kafka_commit(rk, l, 0) == 0);
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_destroy(rk);
}

/* Records in topic on cluster (sum of high watermarks); -1 when it does not exist. */
static long count(const char *cluster_var, const char *topic)
{
    rd_kafka_t *rk = client(cluster_var, RD_KAFKA_PRODUCER, NULL);
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *t = rd_kafka_topic_new(rk, topic, NULL);
    long total = -1;
    if (rd_kafka_metadata(rk, 0, t, &md, 5000) == 0 && md->topic_cnt == 1 && md->topics[0].err == 0) {
        total = 0;
        for (int p = 0; p < md->topics[0].partition_cnt; p++) {
            int64_t lo = 0, hi = 0;
            if (rd_kafka_query_watermark_offsets(rk, topic, md->topics[0].partitions[p].id, &lo, &hi, 5000) == 0)
                total += hi;
        }
    }
    if (md)
        rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(t);
    rd_kafka_destroy(rk);
    return total;
}

static long wait_count(const char *cluster_var, const char *topic, long want, int timeout_ms)
{
    long until = kc_test_now_ms() + timeout_ms, n;
    while ((n = count(cluster_var, topic)) < want && kc_test_now_ms() < until)
        usleep(500 * 1000);
    return n;
}

/* Latest checkpoint downstream offset per partition of group/topic on B (-1: none); the count found. */
static int read_checkpoints(const char *group, const char *topic, int64_t *up, int64_t *down)
{
    for (int p = 0; p < PARTITIONS; p++)
        up[p] = down[p] = -1;
    const char *cp_topic = "A.checkpoints.internal";
    rd_kafka_t *rk = client("KC_B_PLAINTEXT", RD_KAFKA_CONSUMER, "it-mm2-interop-reader");
    int64_t low = 0, high = 0;
    if (rd_kafka_query_watermark_offsets(rk, cp_topic, 0, &low, &high, 5000) != 0 || high == 0) {
        rd_kafka_destroy(rk);
        return 0;
    }
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(parts, cp_topic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    int64_t pos = 0;
    long deadline = kc_test_now_ms() + 15000;
    while (pos < high && kc_test_now_ms() < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);
        if (!m)
            continue;
        if (!m->err) {
            pos = m->offset + 1;
            kc_mirror_checkpoint cp;
            kc_error err;
            if (kc_mirror_checkpoint_decode(m->key, m->key_len, m->payload, m->len, &cp, &err) == 0) {
                if (strcmp(cp.group, group) == 0 && strcmp(cp.topic, topic) == 0 && cp.partition >= 0 &&
                    cp.partition < PARTITIONS) {
                    up[cp.partition] = cp.upstream_offset;
                    down[cp.partition] = cp.downstream_offset;
                }
                kc_mirror_checkpoint_clear(&cp);
            }
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    int found = 0;
    for (int p = 0; p < PARTITIONS; p++)
        found += down[p] >= 0;
    return found;
}

/* Waits for checkpoints of every partition, then until they stay the same for 5 reads 1 s apart
 * (late offset syncs can still move a translation). Returns the number of partitions found. */
/* Reads group's checkpoints until they stop changing (5 equal reads, 1 s apart) with at least
 * min_found partitions checkpointed; returns how many partitions have one (up/down -1 for the rest). */
static int wait_stable_checkpoints_min(const char *group, const char *topic, int timeout_ms, int min_found,
                                       int64_t *up, int64_t *down)
{
    long until = kc_test_now_ms() + timeout_ms;
    int same = 0, found = 0;
    int64_t prev[PARTITIONS] = {-2, -2, -2};
    while (kc_test_now_ms() < until && same < 5) {
        found = read_checkpoints(group, topic, up, down);
        if (found >= min_found && memcmp(prev, down, sizeof prev) == 0)
            same++;
        else
            same = 0;
        memcpy(prev, down, sizeof prev);
        sleep(1);
    }
    return found;
}

static int wait_stable_checkpoints(const char *group, const char *topic, int timeout_ms, int64_t *up, int64_t *down)
{
    return wait_stable_checkpoints_min(group, topic, timeout_ms, PARTITIONS, up, down);
}

/* ---- Java's RemoteClusterUtils.translateOffsets -------------------------------------------- */

static const char *translate_java =
    "import java.time.Duration;\n"
    "import java.util.*;\n"
    "import org.apache.kafka.clients.consumer.OffsetAndMetadata;\n"
    "import org.apache.kafka.common.TopicPartition;\n"
    "import org.apache.kafka.connect.mirror.RemoteClusterUtils;\n"
    "public class Translate {\n"
    "  public static void main(String[] a) throws Exception {\n"
    "    Map<String, Object> props = new HashMap<>();\n"
    "    props.put(\"bootstrap.servers\", a[0]);\n"
    "    for (int i = 2; i < a.length; i++) {\n"
    "      Map<TopicPartition, OffsetAndMetadata> m =\n"
    "          RemoteClusterUtils.translateOffsets(props, a[1], a[i], Duration.ofSeconds(30));\n"
    "      for (Map.Entry<TopicPartition, OffsetAndMetadata> e : m.entrySet())\n"
    "        System.out.println(\"TRANSLATED \" + a[i] + \" \" + e.getKey().topic() + \" \"\n"
    "            + e.getKey().partition() + \" \" + e.getValue().offset());\n"
    "    }\n"
    "    System.out.println(\"DONE\");\n"
    "  }\n"
    "}\n";

/* Runs Translate.java for group on B; fills out[p] for topic (-1: not in the map). 0, or -1 when
 * the program did not finish. */
static int java_translate(const char *dir, const char *group, const char *topic, int64_t *out)
{
    char src[1200], log4j_opt[1300], cmd[4096], line[512];
    snprintf(src, sizeof src, "%s/Translate.java", dir);
    FILE *f = fopen(src, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs(translate_java, f);
    fclose(f);
    write_log4j(dir, log4j_opt, sizeof log4j_opt);
    snprintf(cmd, sizeof cmd, "java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 %s -cp '%s/*' '%s' '%s' A '%s' 2>>'%s/translate.log'",
             log4j_opt, kc_testbed_require("KC_KAFKA_LIB"), src, kc_testbed_require("KC_B_PLAINTEXT"), group, dir);
    for (int p = 0; p < PARTITIONS; p++)
        out[p] = -1;
    FILE *pp = popen(cmd, "r");
    CU_ASSERT_FATAL(pp != NULL);
    int done = 0;
    while (fgets(line, sizeof line, pp)) {
        char g[200], t[200];
        int part;
        long long off;
        if (sscanf(line, "TRANSLATED %199s %199s %d %lld", g, t, &part, &off) == 4 && strcmp(g, group) == 0 &&
            strcmp(t, topic) == 0 && part >= 0 && part < PARTITIONS)
            out[part] = off;
        else if (strncmp(line, "DONE", 4) == 0)
            done = 1;
    }
    int rc = pclose(pp);
    return done && rc == 0 ? 0 : -1;
}

/* ---- 1. translation parity -------------------------------------------------------------------- */

static void test_translation_parity(void)
{
    long id = (long)getpid();
    char dir[1024], t[64], t2[64], g[64], g2[64], rt[80], rt2[80];
    it_make_dir(dir, sizeof dir, "it-mm2-interop-parity");
    snprintf(t, sizeof t, "m7t%ld", id);
    snprintf(t2, sizeof t2, "m7u%ld", id);
    snprintf(g, sizeof g, "m7g%ld", id);
    snprintf(g2, sizeof g2, "m7h%ld", id);
    snprintf(rt, sizeof rt, "A.%s", t);
    snprintf(rt2, sizeof rt2, "A.%s", t2);
    create_topic(t);
    create_topic(t2);
    produce_seq(t, 0, PER_PARTITION);
    produce_seq(t2, 0, PER_PARTITION);
    /* part-way, one exactly at a record likely to carry a sync (0), one at the end */
    const int64_t committed[PARTITIONS] = {0, 177, PER_PARTITION};
    commit(g, t, committed);
    commit(g2, t2, committed);

    /* kconnect: t / g */
    char props[1200], log[1200];
    snprintf(props, sizeof props, "%s/mm2-kconnect.properties", dir);
    snprintf(log, sizeof log, "%s/kconnect.log", dir);
    write_mm2(props, t, g);
    long t0 = kc_test_now_ms();
    int kpid = start_kconnect_mirror(props, log);
    CU_ASSERT_FATAL(kpid > 0);
    CU_ASSERT_EQUAL(wait_count("KC_B_PLAINTEXT", rt, PARTITIONS * PER_PARTITION, 90000), PARTITIONS * PER_PARTITION);
    /* Live runs: which offset syncs a task emits depends on timing, and a partition whose committed
     * offset lies before the first sync that reached the topic (a task restarted by a
     * reconfiguration before its first sync went out) has no translation and no checkpoint, in
     * Java as in kconnect. Each side must checkpoint at least the fully consumed partition; the
     * exact comparison on identical syncs follows below. */
    int64_t kup[PARTITIONS], kdown[PARTITIONS];
    CU_ASSERT(wait_stable_checkpoints_min(g, rt, 90000, 1, kup, kdown) >= 1);
    printf("\n    kconnect: copied and checkpointed in %ld ms; checkpoints", kc_test_now_ms() - t0);
    for (int p = 0; p < PARTITIONS; p++)
        printf(" p%d %" PRId64 "->%" PRId64, p, kup[p], kdown[p]);
    CU_ASSERT_EQUAL(stop(kpid, 60000), 0);

    /* Java MM2: t2 / g2 */
    char jprops[1200], jlog[1200];
    snprintf(jprops, sizeof jprops, "%s/mm2-java.properties", dir);
    snprintf(jlog, sizeof jlog, "%s/java-mm2.log", dir);
    write_mm2(jprops, t2, g2);
    t0 = kc_test_now_ms();
    int jpid = start_java_mm2(dir, jprops, jlog);
    CU_ASSERT_FATAL(jpid > 0);
    CU_ASSERT_EQUAL(wait_count("KC_B_PLAINTEXT", rt2, PARTITIONS * PER_PARTITION, 180000), PARTITIONS * PER_PARTITION);
    int64_t jup[PARTITIONS], jdown[PARTITIONS];
    CU_ASSERT(wait_stable_checkpoints_min(g2, rt2, 120000, 1, jup, jdown) >= 1);
    printf("\n    Java MM2: copied and checkpointed in %ld ms; checkpoints", kc_test_now_ms() - t0);
    for (int p = 0; p < PARTITIONS; p++)
        printf(" p%d %" PRId64 "->%" PRId64, p, jup[p], jdown[p]);
    CU_ASSERT_EQUAL(stop_java(jpid, jlog), 0);

    /* Which offset syncs each side emitted depends on timing (when the task commits relative to the
     * records it reads), so the two runs above may translate through different syncs: both must
     * be safe (never past the true position, which is the committed offset: A.t and A.t2 hold the
     * same offsets as t and t2), and are printed. */
    int64_t tk[PARTITIONS], tj[PARTITIONS];
    CU_ASSERT_EQUAL(java_translate(dir, g, rt, tk), 0);
    CU_ASSERT_EQUAL(java_translate(dir, g2, rt2, tj), 0);
    printf("\n    translateOffsets (each side's own syncs):");
    for (int p = 0; p < PARTITIONS; p++) {
        printf(" p%d committed %" PRId64 ": kconnect %" PRId64 " / Java %" PRId64 ";", p, committed[p], tk[p], tj[p]);
        if (committed[p] == PER_PARTITION) { /* the end of a partition is always synced */
            CU_ASSERT_EQUAL(kup[p], committed[p]);
            CU_ASSERT_EQUAL(jup[p], committed[p]);
        }
        if (kup[p] >= 0) { /* a checkpoint: for the committed offset, safe, read back as written */
            CU_ASSERT_EQUAL(kup[p], committed[p]);
            CU_ASSERT(tk[p] >= 0 && tk[p] <= committed[p]);
            CU_ASSERT_EQUAL(tk[p], kdown[p]);
        }
        if (jup[p] >= 0) {
            CU_ASSERT_EQUAL(jup[p], committed[p]);
            CU_ASSERT(tj[p] >= 0 && tj[p] <= committed[p]);
            CU_ASSERT_EQUAL(tj[p], jdown[p]);
        }
    }

    /* The same syncs, both translations. A checkpoint task that watched the syncs arrive may keep
     * an early translation: checkpoints never move backwards, while the sync store later thins out
     * older syncs (Java's sparse array), so a fresh store reading the complete offset-syncs topic
     * can translate the same committed offset to an earlier (still safe) position. Exact parity
     * is therefore checked between two fresh readers of Java MM2's complete offset syncs of t2:
     * kconnect's MirrorCheckpoint for a new group g3 and Java MM2's for a new group g4, both
     * committed like g2; Java's translateOffsets must give the same offsets for both. */
    char g3[64], g4[64], k3props[1200], k3log[1200], j4props[1200], j4log[1200];
    snprintf(g3, sizeof g3, "m7i%ld", id);
    snprintf(g4, sizeof g4, "m7j%ld", id);
    commit(g3, t2, committed);
    commit(g4, t2, committed);
    snprintf(k3props, sizeof k3props, "%s/mm2-kconnect-javasyncs.properties", dir);
    snprintf(k3log, sizeof k3log, "%s/kconnect-javasyncs.log", dir);
    write_mm2(k3props, t2, g3);
    int k3 = start_kconnect_mirror(k3props, k3log);
    CU_ASSERT_FATAL(k3 > 0);
    int64_t k3up[PARTITIONS], k3down[PARTITIONS];
    CU_ASSERT_EQUAL(wait_stable_checkpoints(g3, rt2, 90000, k3up, k3down), PARTITIONS);
    CU_ASSERT_EQUAL(stop(k3, 60000), 0);

    snprintf(j4props, sizeof j4props, "%s/mm2-java-fresh.properties", dir);
    snprintf(j4log, sizeof j4log, "%s/java-mm2-fresh.log", dir);
    write_mm2(j4props, t2, g4);
    int j4 = start_java_mm2(dir, j4props, j4log);
    CU_ASSERT_FATAL(j4 > 0);
    int64_t j4up[PARTITIONS], j4down[PARTITIONS];
    CU_ASSERT_EQUAL(wait_stable_checkpoints(g4, rt2, 120000, j4up, j4down), PARTITIONS);
    CU_ASSERT_EQUAL(stop_java(j4, j4log), 0);

    int64_t t3[PARTITIONS], t4[PARTITIONS];
    CU_ASSERT_EQUAL(java_translate(dir, g3, rt2, t3), 0);
    CU_ASSERT_EQUAL(java_translate(dir, g4, rt2, t4), 0);
    printf("\n    translateOffsets, fresh readers of Java's syncs:");
    for (int p = 0; p < PARTITIONS; p++) {
        printf(" p%d committed %" PRId64 ": from kconnect's checkpoint %" PRId64 " / from Java's %" PRId64 ";", p,
               committed[p], t3[p], t4[p]);
        CU_ASSERT_EQUAL(k3up[p], committed[p]);
        CU_ASSERT_EQUAL(j4up[p], committed[p]);
        CU_ASSERT_EQUAL(k3down[p], j4down[p]);
        CU_ASSERT_EQUAL(t3[p], t4[p]);
        CU_ASSERT(t3[p] >= 0 && t3[p] <= committed[p]);
    }
}

/* ---- 2. takeover ------------------------------------------------------------------------------ */

/* Reads topic on B to its end: per partition, checks that each record is "<p>-<i>" and that the
 * first occurrences run 0, 1, 2, ... in order; returns the duplicates, fills missing[p]. */
static long check_sequence(const char *topic, int want, long *missing, long *out_of_order)
{
    rd_kafka_t *rk = client("KC_B_PLAINTEXT", RD_KAFKA_CONSUMER, "it-mm2-interop-seq");
    long dups = 0;
    *out_of_order = 0;
    for (int p = 0; p < PARTITIONS; p++) {
        int64_t lo = 0, hi = 0;
        missing[p] = want;
        if (rd_kafka_query_watermark_offsets(rk, topic, p, &lo, &hi, 5000) != 0)
            continue;
        rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
        rd_kafka_assign(rk, parts);
        rd_kafka_topic_partition_list_destroy(parts);
        int next = 0; /* the next sequence number never seen */
        int64_t pos = lo;
        long deadline = kc_test_now_ms() + 30000;
        while (pos < hi && kc_test_now_ms() < deadline) {
            rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);
            if (!m)
                continue;
            if (!m->err) {
                pos = m->offset + 1;
                int vp = -1, vi = -1;
                char v[32];
                snprintf(v, sizeof v, "%.*s", (int)m->len, (const char *)m->payload);
                if (sscanf(v, "%d-%d", &vp, &vi) != 2 || vp != p)
                    (*out_of_order)++;
                else if (vi == next)
                    next++;
                else if (vi < next)
                    dups++;
                else {
                    printf("\n    A.t3 p%d offset %" PRId64 ": record %d where %d was expected", p, m->offset, vi, next);
                    (*out_of_order)++;
                }
            }
            rd_kafka_message_destroy(m);
        }
        missing[p] = want - next;
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return dups;
}

static void test_takeover(void)
{
    long id = (long)getpid();
    char dir[1024], t3[64], rt3[80], props[1200], jlog[1200], klog[1200];
    it_make_dir(dir, sizeof dir, "it-mm2-interop-takeover");
    snprintf(t3, sizeof t3, "m7s%ld", id);
    snprintf(rt3, sizeof rt3, "A.%s", t3);
    snprintf(props, sizeof props, "%s/mm2.properties", dir);
    snprintf(jlog, sizeof jlog, "%s/java-mm2.log", dir);
    snprintf(klog, sizeof klog, "%s/kconnect.log", dir);
    write_mm2(props, t3, "m7-no-group");
    create_topic(t3);
    produce_seq(t3, 0, TAKEOVER_BATCH);

    long t0 = kc_test_now_ms();
    int jpid = start_java_mm2(dir, props, jlog);
    CU_ASSERT_FATAL(jpid > 0);
    long n = wait_count("KC_B_PLAINTEXT", rt3, PARTITIONS * TAKEOVER_BATCH, 180000);
    CU_ASSERT_EQUAL_FATAL(n, PARTITIONS * TAKEOVER_BATCH);
    printf("\n    Java MM2 copied batch 1 in %ld ms", kc_test_now_ms() - t0);
    /* a second batch, and Java is stopped while it copies it */
    produce_seq(t3, TAKEOVER_BATCH, TAKEOVER_BATCH);
    usleep(300 * 1000);
    CU_ASSERT_EQUAL(stop_java(jpid, jlog), 0);
    long java_copied = count("KC_B_PLAINTEXT", rt3);
    printf("\n    Java MM2 stopped with %ld of %d records on B", java_copied, 2 * PARTITIONS * TAKEOVER_BATCH);
    produce_seq(t3, 2 * TAKEOVER_BATCH, TAKEOVER_BATCH);

    t0 = kc_test_now_ms();
    int kpid = start_kconnect_mirror(props, klog);
    CU_ASSERT_FATAL(kpid > 0);
    n = wait_count("KC_B_PLAINTEXT", rt3, 3L * PARTITIONS * TAKEOVER_BATCH, 90000);
    CU_ASSERT(n >= 3L * PARTITIONS * TAKEOVER_BATCH);
    sleep(3); /* anything still in flight (duplicates would be counted too) */
    CU_ASSERT_EQUAL(stop(kpid, 60000), 0);
    printf("\n    kconnect mirror reached %ld records on B in %ld ms", count("KC_B_PLAINTEXT", rt3), kc_test_now_ms() - t0);

    long missing[PARTITIONS], bad = 0;
    long dups = check_sequence(rt3, 3 * TAKEOVER_BATCH, missing, &bad);
    printf("\n    takeover: %ld duplicates, missing", dups);
    for (int p = 0; p < PARTITIONS; p++) {
        printf(" p%d %ld", p, missing[p]);
        CU_ASSERT_EQUAL(missing[p], 0);
    }
    CU_ASSERT_EQUAL(bad, 0);
    /* kconnect resumed from Java's offsets: a restart from the beginning would duplicate all Java copied */
    CU_ASSERT(dups < java_copied);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    atexit(kill_leftovers);
    static const kc_test_case cases[] = {
        {"translateOffsets gives the same offsets for kconnect's and Java MM2's checkpoints", test_translation_parity},
        {"kconnect mirror takes over from Java MM2: nothing lost, in order", test_takeover},
        {NULL, NULL},
    };
    int rc = kc_test_run("it_mm2_interop", cases);
    kill_leftovers();
    return rc;
}
