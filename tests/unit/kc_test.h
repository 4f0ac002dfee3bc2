/*
 * Small harness over CUnit shared by the unit and integration tests.
 *
 * kc_test_run registers one suite from a NULL-terminated array of cases, runs it in CUnit's
 * verbose basic mode and returns the process exit status (0 when every assertion passed).
 * kc_testbed reads the test bed's env file (KC_TESTBED_ENV, written by `tests/env/testbed up`) and
 * returns a borrowed value, or NULL when the variable is absent.
 * Threads: the test's main thread only.
 */
#ifndef KC_TEST_H
#define KC_TEST_H

#include <CUnit/Basic.h>

typedef struct kc_test_case {
    const char *name;
    void (*fn)(void);
} kc_test_case;

int kc_test_run(const char *suite, const kc_test_case *cases);

/* Value of NAME in the test bed's env file; NULL when the file or the name is missing. */
const char *kc_testbed(const char *name);

/* Like kc_testbed, but a missing name aborts the test program with a message (exit 1). */
const char *kc_testbed_require(const char *name);

/* ---- HTTP over loopback (tests of the REST API) ------------------------------------------------ */

typedef struct kc_http_reply {
    int status;
    char headers[8192];
    char *body;            /* malloc'd, NUL-terminated; freed by the next kc_http on the same reply */
    size_t body_len;
} kc_http_reply;

/* Sends one request (Connection: close) to 127.0.0.1:port and reads the whole answer. extra_headers
 * are "Name: value\r\n" lines. 0, or -1 when the connection failed. */
int kc_http(int port, const char *method, const char *path, const char *extra_headers, const char *body,
            size_t body_len, kc_http_reply *r);
/* A JSON request: Content-Type application/json, body may be NULL. */
int kc_http_json(int port, const char *method, const char *path, const char *json, kc_http_reply *r);
/* The value of a response header (case-insensitive name) or NULL. Static buffer. */
const char *kc_http_header(const kc_http_reply *r, const char *name);
void kc_http_reply_free(kc_http_reply *r);

/* ---- a kconnect process under test -------------------------------------------------------------- */

/* Starts `$KCONNECT_BIN args...` with stdout/stderr to log_path; returns its pid or -1. */
int kc_spawn(const char *log_path, char *const args[]);
/* Waits up to timeout_ms for GET / on port to answer (200, or 401 behind basic auth). 0 or -1. */
int kc_wait_rest(int port, int timeout_ms);
/* Sends sig and waits up to timeout_ms for the process to exit; returns its exit status (or -1,
 * after a SIGKILL, when it did not exit in time). */
int kc_stop_process(int pid, int sig, int timeout_ms);
/* A free TCP port on 127.0.0.1. */
int kc_free_port(void);
/* Monotonic milliseconds. */
long kc_test_now_ms(void);

#endif
