#include "kc_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kc_test_run(const char *suite_name, const kc_test_case *cases)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite suite = CU_add_suite(suite_name, NULL, NULL);
    if (!suite)
        return 2;
    for (const kc_test_case *c = cases; c->name; c++)
        if (!CU_add_test(suite, c->name, c->fn))
            return 2;
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned asserts = CU_get_number_of_asserts();
    CU_cleanup_registry();
    if (asserts == 0) {
        fprintf(stderr, "%s: no assertion ran\n", suite_name);
        return 1;
    }
    return failed ? 1 : 0;
}

#define KC_TESTBED_MAX_VARS 256

static struct {
    int loaded;
    int count;
    char *names[KC_TESTBED_MAX_VARS];
    char *values[KC_TESTBED_MAX_VARS];
} env_file;

static void testbed_load(void)
{
    if (env_file.loaded)
        return;
    env_file.loaded = 1;
    const char *path = getenv("KC_TESTBED_ENV");
    if (!path)
        return;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[4096];
    while (fgets(line, sizeof line, f) && env_file.count < KC_TESTBED_MAX_VARS) {
        line[strcspn(line, "\r\n")] = '\0';
        char *s = line;
        if (strncmp(s, "export ", 7) == 0)
            s += 7;
        char *eq = strchr(s, '=');
        if (!eq || *s == '#')
            continue;
        *eq = '\0';
        char *v = eq + 1;
        size_t n = strlen(v);
        if (n >= 2 && (v[0] == '\'' || v[0] == '"') && v[n - 1] == v[0]) {
            v[n - 1] = '\0';
            v++;
        }
        env_file.names[env_file.count] = strdup(s);
        env_file.values[env_file.count] = strdup(v);
        env_file.count++;
    }
    fclose(f);
}

const char *kc_testbed(const char *name)
{
    testbed_load();
    for (int i = 0; i < env_file.count; i++)
        if (strcmp(env_file.names[i], name) == 0)
            return env_file.values[i];
    return NULL;
}

const char *kc_testbed_require(const char *name)
{
    const char *v = kc_testbed(name);
    if (!v) {
        fprintf(stderr, "test bed variable %s is missing (KC_TESTBED_ENV=%s); run tests/env/testbed up\n",
                name, getenv("KC_TESTBED_ENV") ? getenv("KC_TESTBED_ENV") : "(unset)");
        exit(1);
    }
    return v;
}

/* ---- HTTP ---------------------------------------------------------------------------------------- */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

long kc_test_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void kc_http_reply_free(kc_http_reply *r)
{
    free(r->body);
    r->body = NULL;
}

/* Every REST answer an integration test receives is appended to $KC_TESTBED_DIR/rest-responses.log,
 * which it_secrets (the last test of a run) searches for the test passwords. */
static void record_response(const char *method, const char *path, const kc_http_reply *r)
{
    const char *bed = getenv("KC_TESTBED_ENV") ? kc_testbed("KC_TESTBED_DIR") : NULL;
    if (!bed)
        return;
    char file[1024];
    snprintf(file, sizeof file, "%s/rest-responses.log", bed);
    FILE *f = fopen(file, "a");
    if (!f)
        return;
    fprintf(f, "%s %s -> %d\n%s\n\n%s\n\n", method, path, r->status, r->headers, r->body ? r->body : "");
    fclose(f);
}

int kc_http(int port, const char *method, const char *path, const char *extra_headers, const char *body,
            size_t body_len, kc_http_reply *r)
{
    free(r->body);
    memset(r, 0, sizeof *r);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    char head[4096];
    int n = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n%s"
                                        "Content-Length: %zu\r\n\r\n",
                     method, path, extra_headers ? extra_headers : "", body ? body_len : 0);
    if (write(fd, head, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    for (size_t off = 0; body && off < body_len;) {
        ssize_t w = write(fd, body + off, body_len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    ssize_t got;
    while (buf && (got = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)got;
        if (cap - len < 4096) {
            char *g = realloc(buf, cap * 2);
            if (!g)
                break;
            buf = g;
            cap *= 2;
        }
    }
    close(fd);
    if (!buf)
        return -1;
    buf[len] = '\0';
    char *sep = strstr(buf, "\r\n\r\n");
    if (sscanf(buf, "HTTP/1.1 %d", &r->status) != 1 || !sep) {
        free(buf);
        return -1;
    }
    size_t hl = (size_t)(sep - buf);
    memcpy(r->headers, buf, hl < sizeof r->headers - 1 ? hl : sizeof r->headers - 1);
    r->body_len = len - hl - 4;
    r->body = malloc(r->body_len + 1);
    memcpy(r->body, sep + 4, r->body_len);
    r->body[r->body_len] = '\0';
    free(buf);
    record_response(method, path, r);
    return 0;
}

int kc_http_json(int port, const char *method, const char *path, const char *json, kc_http_reply *r)
{
    return kc_http(port, method, path, json ? "Content-Type: application/json\r\n" : NULL, json,
                   json ? strlen(json) : 0, r);
}

const char *kc_http_header(const kc_http_reply *r, const char *name)
{
    static char value[1024];
    char needle[256];
    snprintf(needle, sizeof needle, "\r\n%s: ", name);
    const char *p = strcasestr(r->headers, needle);
    if (!p)
        return NULL;
    p += strlen(needle);
    size_t n = strcspn(p, "\r\n");
    snprintf(value, sizeof value, "%.*s", (int)n, p);
    return value;
}

int kc_spawn(const char *log_path, char *const args[])
{
    const char *bin = getenv("KCONNECT_BIN");
    if (!bin)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        char *argv[32];
        int i = 0;
        argv[i++] = (char *)bin;
        for (int k = 0; args[k] && i < 31; k++)
            argv[i++] = args[k];
        argv[i] = NULL;
        execv(bin, argv);
        _exit(127);
    }
    return pid;
}

int kc_wait_rest(int port, int timeout_ms)
{
    long deadline = kc_test_now_ms() + timeout_ms;
    kc_http_reply r = {0};
    while (kc_test_now_ms() < deadline) {
        /* any answer means it serves (401 when basic authentication is on) */
        if (kc_http(port, "GET", "/", NULL, NULL, 0, &r) == 0 && (r.status == 200 || r.status == 401)) {
            kc_http_reply_free(&r);
            return 0;
        }
        usleep(100000);
    }
    kc_http_reply_free(&r);
    return -1;
}

int kc_stop_process(int pid, int sig, int timeout_ms)
{
    kill(pid, sig);
    long deadline = kc_test_now_ms() + timeout_ms;
    int status;
    while (kc_test_now_ms() < deadline) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        usleep(50000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

int kc_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t l = sizeof a;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &l) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}
