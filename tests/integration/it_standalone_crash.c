/*
 * it_standalone_crash: a file copy (FileStreamSource -> Kafka -> FileStreamSink) through a standalone
 * worker that is killed with SIGKILL in the middle and restarted with the same files. Every line
 * arrives, first occurrences in order, and the duplicates are at most one offset flush interval's
 * worth on each side (the source re-reads from its last committed position, the sink re-consumes
 * from its group's last commit).
 *
 * The input grows at a fixed rate while the worker runs, so "one flush interval's worth" is a known
 * number of lines: RATE lines/s x FLUSH_MS. The steady input starts only once the first lines came
 * through (the sink's first group join would otherwise build a backlog that is then copied in a
 * burst faster than RATE).
 */
#include <pthread.h>
#include <signal.h>

#include "standalone_env.h"

#define LINES 60000
#define RATE 10000        /* lines per second written to the input */
#define FLUSH_MS 1000

#define WARMUP 100

typedef struct writer_arg {
    char path[1024];
} writer_arg;

static void *write_input(void *arg)
{
    writer_arg *w = arg;
    FILE *f = fopen(w->path, "a");
    for (int i = WARMUP; i < LINES; i++) {
        fprintf(f, "line-%06d\n", i);
        if (i % (RATE / 100) == RATE / 100 - 1) { /* every 10 ms */
            fflush(f);
            usleep(10000);
        }
    }
    fclose(f);
    return NULL;
}

static void test_kill_and_restart(void)
{
    char dir[512], src[1024], sink[1024], in[1024], out[1024], wp[1100], log[1100];
    it_make_dir(dir, sizeof dir, "it-crash");
    int port = kc_free_port();
    it_write_worker(dir, port, "PLAINTEXT", FLUSH_MS, NULL);
    snprintf(in, sizeof in, "%s/in.txt", dir);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    snprintf(wp, sizeof wp, "%s/worker.properties", dir);
    snprintf(log, sizeof log, "%s/kconnect.log", dir);
    char topic[128];
    snprintf(topic, sizeof topic, "it-crash-%ld", (long)getpid());
    snprintf(src, sizeof src, "%s/source.properties", dir);
    FILE *f = fopen(src, "w");
    fprintf(f, "name=crash-source\nconnector.class=FileStreamSource\nfile=%s\ntopic=%s\nbatch.size=500\n", in, topic);
    fclose(f);
    snprintf(sink, sizeof sink, "%s/sink.properties", dir);
    f = fopen(sink, "w");
    fprintf(f, "name=crash-sink\nconnector.class=FileStreamSink\nfile=%s\ntopics=%s\n", out, topic);
    fclose(f);
    fclose(fopen(in, "w"));

    char *args[] = {"standalone", wp, src, sink, NULL};
    int pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    CU_ASSERT_FATAL(kc_wait_rest(port, 60000) == 0);
    FILE *warm = fopen(in, "a");
    for (int i = 0; i < WARMUP; i++)
        fprintf(warm, "line-%06d\n", i);
    fclose(warm);
    long warm_deadline = kc_test_now_ms() + 60000;
    while (it_count_lines(out) < WARMUP && kc_test_now_ms() < warm_deadline)
        usleep(50000);
    CU_ASSERT_FATAL(it_count_lines(out) >= WARMUP);
    writer_arg w;
    snprintf(w.path, sizeof w.path, "%s", in);
    pthread_t writer;
    pthread_create(&writer, NULL, write_input, &w);
    /* let about half of the input through, then kill the worker without warning */
    long deadline = kc_test_now_ms() + 60000;
    while (it_count_lines(out) < LINES / 2 && kc_test_now_ms() < deadline)
        usleep(20000);
    long before = it_count_lines(out);
    CU_ASSERT(kc_stop_process(pid, SIGKILL, 10000) == 128 + SIGKILL);
    printf("\n    killed after %ld lines arrived", before);
    pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    CU_ASSERT_FATAL(kc_wait_rest(port, 60000) == 0);
    pthread_join(writer, NULL);

    /* every line arrives */
    deadline = kc_test_now_ms() + 120000;
    char *seen = calloc(LINES, 1);
    long total = 0, distinct = 0, out_of_order = 0, last = -1;
    while (kc_test_now_ms() < deadline) {
        memset(seen, 0, LINES);
        total = distinct = out_of_order = 0;
        last = -1;
        FILE *o = fopen(out, "r");
        char line[64];
        while (o && fgets(line, sizeof line, o)) {
            int n;
            if (sscanf(line, "line-%d", &n) != 1 || n < 0 || n >= LINES)
                continue;
            total++;
            if (!seen[n]) {
                seen[n] = 1;
                distinct++;
                if (n < last)
                    out_of_order++; /* a first occurrence before an earlier line's */
                last = n;
            }
        }
        if (o)
            fclose(o);
        if (distinct == LINES)
            break;
        usleep(500000);
    }
    long duplicates = total - distinct;
    /* one commit interval per side, plus one source batch; under the sanitizers the worker runs several
     * times slower and a commit cycle can slip by an interval, so two per side there */
#if defined(__SANITIZE_ADDRESS__)
    long intervals = 4;
#else
    long intervals = 2;
#endif
    long bound = intervals * RATE * FLUSH_MS / 1000 + 2 * 500;
    printf("\n    %ld lines written, %ld distinct, %ld duplicates (bound %ld), %ld out of order", total, distinct,
           duplicates, bound, out_of_order);
    CU_ASSERT_EQUAL(distinct, LINES);
    CU_ASSERT_EQUAL(out_of_order, 0);
    CU_ASSERT(duplicates <= bound);
    free(seen);
    CU_ASSERT_EQUAL(kc_stop_process(pid, SIGTERM, 30000), 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"kill -9 mid-copy, restart: every line, in order, duplicates within one flush interval", test_kill_and_restart},
        {NULL, NULL},
    };
    return kc_test_run("it_standalone_crash", cases);
}
