/*
 * it_file_e2e: FileStreamSource -> Kafka (SASL_SSL + SCRAM-SHA-512) -> FileStreamSink copies a
 * 100,000-line file through a standalone worker; the output is byte-identical.
 */
#include "standalone_env.h"

#define LINES 100000

static void test_copy(void)
{
    char dir[512], path[1024], in[1024], out[1024];
    it_make_dir(dir, sizeof dir, "it-file-e2e");
    int port = kc_free_port();
    it_write_worker(dir, port, "SASL_SSL-SCRAM", 1000, NULL);
    snprintf(in, sizeof in, "%s/in.txt", dir);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    FILE *f = fopen(in, "w");
    for (int i = 0; i < LINES; i++) /* varied lengths, UTF-8, tabs */
        fprintf(f, "%d\tline %d %s\n", i, i, i % 7 == 0 ? "é ☃ 😀" : (i % 3 == 0 ? "" : "plain text"));
    fclose(f);
    char topic[128];
    snprintf(topic, sizeof topic, "it-file-e2e-%ld", (long)getpid());
    snprintf(path, sizeof path, "%s/source.properties", dir);
    f = fopen(path, "w");
    fprintf(f, "name=e2e-source\nconnector.class=FileStreamSource\ntasks.max=1\nfile=%s\ntopic=%s\n", in, topic);
    fclose(f);
    char sink[1024];
    snprintf(sink, sizeof sink, "%s/sink.json", dir);
    f = fopen(sink, "w");
    fprintf(f, "{\"name\":\"e2e-sink\",\"config\":{\"connector.class\":\"FileStreamSink\",\"tasks.max\":\"1\","
               "\"file\":\"%s\",\"topics\":\"%s\"}}\n", out, topic);
    fclose(f);
    char wp[600], log[600];
    snprintf(wp, sizeof wp, "%s/worker.properties", dir);
    snprintf(log, sizeof log, "%s/kconnect.log", dir);
    char *args[] = {"standalone", wp, path, sink, NULL};
    long t0 = kc_test_now_ms();
    int pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    CU_ASSERT_FATAL(kc_wait_rest(port, 60000) == 0);
    long deadline = kc_test_now_ms() + 120000;
    while (it_count_lines(out) < LINES && kc_test_now_ms() < deadline)
        usleep(200000);
    long elapsed = kc_test_now_ms() - t0;
    printf("\n    copied %ld of %d lines in %ld ms", it_count_lines(out), LINES, elapsed);
    usleep(1500000); /* nothing more may arrive */
    CU_ASSERT_EQUAL(kc_stop_process(pid, SIGTERM, 30000), 0);
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", in, out);
    CU_ASSERT_EQUAL(system(cmd), 0);
    CU_ASSERT_EQUAL(it_count_lines(out), LINES);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"100,000 lines file -> Kafka (SASL_SSL + SCRAM) -> file, byte-identical", test_copy},
        {NULL, NULL},
    };
    return kc_test_run("it_file_e2e", cases);
}
