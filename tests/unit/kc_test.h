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

#endif
