/*
 * it_mirror_maker: `kconnect mirror` with the repository's sample config/mm2.properties (only the
 * bootstrap servers pointed at the test bed, topics limited to this run's, and a 5 s topic refresh)
 * replicates A->B and B->A at once: records produced on A's topic appear in B's "A.<topic>" and
 * records produced on B's topic in A's "B.<topic>", including a topic created after the start;
 * partitions added on A appear on B within the refresh interval + 5 s; a
 * topic config changed on A reaches the remote topic on B; no "A.B.<topic>" cycle appears; SIGTERM
 * stops it with status 0.
 */
#include "mirror_env.h"

static void test_both_ways(void)
{
    const char *a = kc_testbed_require("KC_A_PLAINTEXT"), *b = kc_testbed_require("KC_B_PLAINTEXT");
    char dir[1024], props[1200], log[1200];
    it_make_dir(dir, sizeof dir, "it-mirror-maker");
    snprintf(props, sizeof props, "%s/mm2.properties", dir);
    snprintf(log, sizeof log, "%s/mirror.log", dir);
    char run[64], ta[128], tb[128], late[128];
    snprintf(run, sizeof run, "mm%ld", (long)getpid());
    snprintf(ta, sizeof ta, "%s-orders", run);
    snprintf(tb, sizeof tb, "%s-payments", run);
    snprintf(late, sizeof late, "%s-late", run);
    char topics[100];
    snprintf(topics, sizeof topics, "%s-.*", run);
    mirror_write_props(props, topics, "refresh.topics.interval.seconds = 5\nsync.topic.configs.interval.seconds = 5\n");
    produce(a, ta, 300);
    produce(b, tb, 200);

    char *args[] = {"mirror", props, NULL};
    long t0 = kc_test_now_ms();
    int pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    char remote_a[160], remote_b[160], remote_late[160], cycle[200];
    snprintf(remote_a, sizeof remote_a, "A.%s", ta);
    snprintf(remote_b, sizeof remote_b, "B.%s", tb);
    snprintf(remote_late, sizeof remote_late, "A.%s", late);
    CU_ASSERT_EQUAL(wait_count(b, remote_a, 300, 90000), 300);
    CU_ASSERT_EQUAL(wait_count(a, remote_b, 200, 90000), 200);
    printf("\n    A->B and B->A copied %ld ms after kconnect mirror started", kc_test_now_ms() - t0);
    /* a topic created on A while it runs appears on B within the refresh interval + 5 s (+ creation) */
    long created = kc_test_now_ms();
    produce(a, late, 50);
    CU_ASSERT_EQUAL(wait_count(b, remote_late, 50, 30000), 50);
    printf("\n    a new topic on A was on B %ld ms after its first record", kc_test_now_ms() - created);
    /* partitions added on A appear on B within the refresh interval + 5 s */
    int before = partitions_of(a, ta);
    long grown = kc_test_now_ms();
    CU_ASSERT_EQUAL(add_partitions(a, ta, before + 2), 0);
    int remote_parts = -1;
    while (kc_test_now_ms() - grown < 10000 && (remote_parts = partitions_of(b, remote_a)) < before + 2)
        usleep(500 * 1000);
    CU_ASSERT_EQUAL(remote_parts, before + 2);
    printf("\n    %d partitions added on A were on B %ld ms later", 2, kc_test_now_ms() - grown);
    /* a topic config changed on A is applied to the remote topic on B */
    long changed = kc_test_now_ms();
    CU_ASSERT_EQUAL(topic_retention(a, ta, "123456789", NULL, 0), 0);
    char value[64] = "";
    while (kc_test_now_ms() - changed < 20000) {
        if (topic_retention(b, remote_a, NULL, value, sizeof value) == 0 && strcmp(value, "123456789") == 0)
            break;
        usleep(500 * 1000);
    }
    CU_ASSERT_STRING_EQUAL(value, "123456789");
    printf("\n    retention.ms changed on A reached B's remote topic %ld ms later", kc_test_now_ms() - changed);
    /* no cycle: B's copy of A's topic is not copied back to A */
    snprintf(cycle, sizeof cycle, "B.A.%s", ta);
    sleep(6);
    CU_ASSERT_EQUAL(count(a, cycle), -1);
    CU_ASSERT_EQUAL(kc_stop_process(pid, SIGTERM, 60000), 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"kconnect mirror with the sample mm2.properties: A->B and B->A", test_both_ways},
        {NULL, NULL},
    };
    return kc_test_run("it_mirror_maker", cases);
}
