/*
 * Unit tests of connect/config/properties: Java .properties parsing and the ordered key/value list.
 * Expected values of the parsing cases are what java.util.Properties.load(Reader) (JDK 17, over a
 * UTF-8 InputStreamReader) produces for the same input.
 */
#include "connect/config/properties.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kc_test.h"

/* ---- helpers -------------------------------------------------------------------------------- */

/* A new list loaded from text; asserts that the load succeeded. */
static kc_props *load_ok(const char *text)
{
    kc_props *p = kc_props_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    kc_error err;
    kc_error_clear(&err);
    int rc = kc_props_load_string(p, text, strlen(text), "<test>", &err);
    CU_ASSERT_EQUAL(rc, 0);
    if (rc != 0)
        fprintf(stderr, "\n  unexpected error: %s\n", err.msg);
    return p;
}

/* Loads text that must fail; returns the list (with what was loaded before the error). */
static kc_props *load_err(const char *text, size_t len, kc_error *err)
{
    kc_props *p = kc_props_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    kc_error_clear(err);
    CU_ASSERT_EQUAL(kc_props_load_string(p, text, len, "worker.properties", err), -1);
    return p;
}

/* Writes data to a new temporary file; path receives its name. Returns 0 or -1. */
static int write_temp(const char *data, size_t len, char path[64])
{
    snprintf(path, 64, "/tmp/kc_props_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(path);
        return -1;
    }
    int ok = fwrite(data, 1, len, f) == len;
    if (fclose(f) != 0 || !ok) {
        unlink(path);
        return -1;
    }
    return 0;
}

/* ---- separators and whitespace -------------------------------------------------------------- */

static void test_separator_equals(void)
{
    kc_props *p = load_ok("a=b\nc = d\n");
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "c"), "d");
    kc_props_free(p);
}

static void test_separator_colon(void)
{
    kc_props *p = load_ok("a:b\nc : d\n");
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "c"), "d");
    kc_props_free(p);
}

static void test_whitespace_separator(void)
{
    kc_props *p = load_ok("a b\nc\td\ne\ff\n");
    CU_ASSERT_EQUAL(kc_props_count(p), 3);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "c"), "d");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "e"), "f");
    kc_props_free(p);
}

static void test_equals_after_whitespace(void)
{
    /* whitespace, at most one '=' or ':', whitespace: a second '=' belongs to the value */
    kc_props *p = load_ok("a  =  = b\nc :=d\n");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "= b");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "c"), "=d");
    kc_props_free(p);
}

static void test_separators_in_value_kept(void)
{
    kc_props *p = load_ok("a=b=c:d");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b=c:d");
    kc_props_free(p);
}

static void test_value_keeps_trailing_spaces(void)
{
    kc_props *p = load_ok("a=b  \nc=d\t\n");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b  ");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "c"), "d\t");
    kc_props_free(p);
}

static void test_leading_whitespace_skipped(void)
{
    kc_props *p = load_ok("   a=b\n \t\fc=d\n");
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "c"), "d");
    kc_props_free(p);
}

static void test_empty_value(void)
{
    kc_props *p = load_ok("a=\nb =   \n");
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "b"), "");
    kc_props_free(p);
}

static void test_key_only(void)
{
    kc_props *p = load_ok("a\nb   \n");
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "b"), "");
    kc_props_free(p);
}

static void test_empty_key(void)
{
    kc_props *p = load_ok("=b\n:c\n");
    CU_ASSERT_EQUAL(kc_props_count(p), 1);
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(p, 0), "");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, ""), "c");
    kc_props_free(p);
}

/* ---- comments and blank lines --------------------------------------------------------------- */

static void test_comments_ignored(void)
{
    kc_props *p = load_ok("# one\n! two\n   # indented\n\t! indented\na=b\n#last");
    CU_ASSERT_EQUAL(kc_props_count(p), 1);
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(p, 0), "a");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b");
    kc_props_free(p);
}

static void test_comment_not_continued(void)
{
    kc_props *p = load_ok("# c \\\na=b");
    CU_ASSERT_EQUAL(kc_props_count(p), 1);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b");
    kc_props_free(p);
}

static void test_hash_inside_value(void)
{
    kc_props *p = load_ok("a=b#c\nd=#e\n");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b#c");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "d"), "#e");
    kc_props_free(p);
}

static void test_blank_lines_ignored(void)
{
    kc_props *p = load_ok("\n\n   \n\t\f\n\r\na=b\n\n");
    CU_ASSERT_EQUAL(kc_props_count(p), 1);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b");
    kc_props_free(p);
}

static void test_empty_input(void)
{
    kc_props *p = load_ok("");
    CU_ASSERT_EQUAL(kc_props_count(p), 0);
    kc_error err;
    CU_ASSERT_EQUAL(kc_props_load_string(p, NULL, 0, NULL, &err), 0);
    CU_ASSERT_EQUAL(kc_props_count(p), 0);
    kc_props_free(p);
}

/* ---- line ends and continuations ------------------------------------------------------------ */

static void test_crlf(void)
{
    kc_props *p = load_ok("a=1\r\nb=2\r\n\r\nc=3");
    CU_ASSERT_EQUAL(kc_props_count(p), 3);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "1");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "b"), "2");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "c"), "3");
    kc_props_free(p);
}

static void test_cr_only(void)
{
    kc_props *p = load_ok("a=1\rb=2\r");
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "1");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "b"), "2");
    kc_props_free(p);
}

static void test_continuation(void)
{
    kc_props *p = load_ok("a=1\\\n2\\\n3\nb=4");
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "123");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "b"), "4");
    kc_props_free(p);
}

static void test_continuation_skips_leading_whitespace(void)
{
    kc_props *p = load_ok("a=b \\\n    c\nd=1\\\n \t\f2");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b c");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "d"), "12");
    kc_props_free(p);
}

static void test_continuation_in_key(void)
{
    kc_props *p = load_ok("ke\\\n  y");
    CU_ASSERT_EQUAL(kc_props_count(p), 1);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "key"), "");
    kc_props_free(p);
}

static void test_continuation_crlf(void)
{
    kc_props *p = load_ok("a=b\\\r\n  c\r\nd=e");
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "bc");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "d"), "e");
    kc_props_free(p);
}

static void test_even_backslashes_do_not_continue(void)
{
    kc_props *p = load_ok("a=b\\\\\nc=d");
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b\\");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "c"), "d");
    kc_props_free(p);
}

static void test_continued_line_starting_with_hash(void)
{
    /* only a line that starts a logical line can be a comment */
    kc_props *p = load_ok("a=b\\\n#c");
    CU_ASSERT_EQUAL(kc_props_count(p), 1);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b#c");
    kc_props_free(p);
}

static void test_continuation_then_empty_line(void)
{
    kc_props *p = load_ok("a=b\\\n\nc=d");
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "c"), "d");
    kc_props_free(p);
}

static void test_trailing_backslash_at_eof(void)
{
    kc_props *p = load_ok("a=b\\");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b");
    kc_props_free(p);
    p = load_ok("a=b\\\\\\"); /* three: an escaped backslash, then a dropped one */
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b\\");
    kc_props_free(p);
    p = load_ok("a=b\\\n"); /* continued into the end of input */
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b");
    kc_props_free(p);
}

static void test_lone_backslash_is_empty_entry(void)
{
    /* Java: a line "\" at end of input is an empty logical line, stored as "" = "" */
    kc_props *p = load_ok("\\");
    CU_ASSERT_EQUAL(kc_props_count(p), 1);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, ""), "");
    kc_props_free(p);
    p = load_ok("\\\n   "); /* ... but not when whitespace follows the continuation */
    CU_ASSERT_EQUAL(kc_props_count(p), 0);
    kc_props_free(p);
}

/* ---- escapes -------------------------------------------------------------------------------- */

static void test_escaped_separator_in_key(void)
{
    kc_props *p = load_ok("a\\=b=c\nd\\:e:f\ng\\ h i\n");
    CU_ASSERT_EQUAL(kc_props_count(p), 3);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a=b"), "c");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "d:e"), "f");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "g h"), "i");
    kc_props_free(p);
}

static void test_control_escapes(void)
{
    kc_props *p = load_ok("a=\\t\\n\\r\\f|");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "\t\n\r\f|");
    kc_props_free(p);
}

static void test_other_escapes_give_the_char(void)
{
    kc_props *p = load_ok("a=\\q\\#\\!\\\\\\=\\U0041");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "q#!\\=U0041");
    kc_props_free(p);
}

static void test_escaped_leading_space_in_value(void)
{
    kc_props *p = load_ok("a=\\  b");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "  b");
    kc_props_free(p);
}

static void test_unicode_escape_to_utf8(void)
{
    kc_props *p = load_ok("a=\\u00e9\\u20AC\\u0041\n\\u006By=v");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "\xC3\xA9\xE2\x82\xAC" "A");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "ky"), "v");
    kc_props_free(p);
}

static void test_surrogate_pair(void)
{
    kc_props *p = load_ok("a=\\uD83D\\uDE00!");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "\xF0\x9F\x98\x80!");
    kc_props_free(p);
}

static void test_lone_surrogate_becomes_replacement(void)
{
    kc_props *p = load_ok("a=\\uD83Dx\nb=\\uDE00\nc=\\uDE00\\uD83D");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "\xEF\xBF\xBDx");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "b"), "\xEF\xBF\xBD");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "c"), "\xEF\xBF\xBD\xEF\xBF\xBD");
    kc_props_free(p);
}

static void test_malformed_unicode_escape_names_line(void)
{
    const char *text = "a=1\n\nb=\\u12G4\nc=3";
    kc_error err;
    kc_props *p = load_err(text, strlen(text), &err);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.msg, "worker.properties:3: Malformed \\uxxxx encoding.");
    /* the lines before the bad one stay loaded, the ones after are not read */
    CU_ASSERT_EQUAL(kc_props_count(p), 1);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "1");
    CU_ASSERT_PTR_NULL(kc_props_get(p, "c"));
    kc_props_free(p);
}

static void test_short_unicode_escape(void)
{
    kc_error err;
    kc_props *p = load_err("a=\\u12", 6, &err);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.msg, "worker.properties:1: Malformed \\uxxxx encoding.");
    kc_props_free(p);
    /* the key ends at '=': its escape is cut short */
    p = load_err("k\\u00=x", 7, &err);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_EQUAL(kc_props_count(p), 0);
    kc_props_free(p);
}

static void test_malformed_escape_on_continued_line(void)
{
    const char *text = "# c\na=x\\\n  \\uZZZZ";
    kc_error err;
    kc_props *p = load_err(text, strlen(text), &err);
    CU_ASSERT_STRING_EQUAL(err.msg, "worker.properties:3: Malformed \\uxxxx encoding.");
    kc_props_free(p);
}

static void test_unicode_nul_refused(void)
{
    const char *text = "a=1\nb=x\\u0000y";
    kc_error err;
    kc_props *p = load_err(text, strlen(text), &err);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "worker.properties:2: "));
    CU_ASSERT_EQUAL(kc_props_count(p), 1);
    kc_props_free(p);
}

/* ---- encoding ------------------------------------------------------------------------------- */

static void test_raw_utf8_passes_through(void)
{
    kc_props *p = load_ok("\xD0\xBA\xD0\xBB\xD1\x8E\xD1\x87=\xE2\x82\xAC \xF0\x9F\x98\x80");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "\xD0\xBA\xD0\xBB\xD1\x8E\xD1\x87"),
                           "\xE2\x82\xAC \xF0\x9F\x98\x80");
    kc_props_free(p);
}

static void test_utf8_bom_is_part_of_first_key(void)
{
    /* Java's Reader does not skip a BOM: U+FEFF is a key character like any other */
    kc_props *p = load_ok("\xEF\xBB\xBF" "a=b");
    CU_ASSERT_PTR_NULL(kc_props_get(p, "a"));
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "\xEF\xBB\xBF" "a"), "b");
    kc_props_free(p);
    p = load_ok("\xEF\xBB\xBF# c\nx=y"); /* so a first-line comment becomes an entry */
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "\xEF\xBB\xBF#"), "c");
    kc_props_free(p);
}

static void test_invalid_utf8_replaced(void)
{
    kc_props *p = load_ok("a=\x80\xC3\nb=\xED\xA0\x80.\nc=\xE2\x82");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "\xEF\xBF\xBD\xEF\xBF\xBD");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "b"), "\xEF\xBF\xBD.");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "c"), "\xEF\xBF\xBD");
    kc_props_free(p);
}

/* ---- errors and limits ---------------------------------------------------------------------- */

static void test_nul_byte_error(void)
{
    const char text[] = "a=1\nb=x\0y\nc=3";
    kc_error err;
    kc_props *p = load_err(text, sizeof text - 1, &err);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "worker.properties:2: "));
    CU_ASSERT_EQUAL(kc_props_count(p), 1);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "1");
    kc_props_free(p);
}

static void test_too_large_refused(void)
{
    size_t n = (size_t)KC_PROPS_MAX_BYTES + 1;
    char *big = malloc(n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    memset(big, ' ', n);
    memcpy(big, "a=b\n", 4);
    kc_error err;
    kc_props *p = load_err(big, n, &err);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "worker.properties"));
    CU_ASSERT_EQUAL(kc_props_count(p), 0);
    /* exactly at the limit is accepted */
    kc_error_clear(&err);
    CU_ASSERT_EQUAL(kc_props_load_string(p, big, n - 1, "big", &err), 0);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "b");
    kc_props_free(p);
    free(big);
}

static void test_not_nul_terminated(void)
{
    const char text[] = "a=1b=2";
    kc_props *p = kc_props_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    kc_error err;
    CU_ASSERT_EQUAL(kc_props_load_string(p, text, 3, "<string>", &err), 0);
    CU_ASSERT_EQUAL(kc_props_count(p), 1);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "a"), "1");
    kc_props_free(p);
}

static void test_default_origin(void)
{
    kc_props *p = kc_props_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    kc_error err;
    CU_ASSERT_EQUAL(kc_props_load_string(p, "\\uXYZW", 6, NULL, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "<string>:1: Malformed \\uxxxx encoding.");
    kc_props_free(p);
}

/* ---- files ---------------------------------------------------------------------------------- */

static void test_load_file(void)
{
    const char *dir = getenv("KC_TEST_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/worker.properties", dir ? dir : "tests/unit/data");
    kc_props *p = kc_props_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    kc_error err;
    kc_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(kc_props_load_file(p, path, &err), 0);
    CU_ASSERT_EQUAL(kc_props_count(p), 13);
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(p, 0), "bootstrap.servers");
    CU_ASSERT_STRING_EQUAL(kc_props_value_at(p, 0), "broker1:9092,broker2:9092");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "group.id"), "connect-cluster");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "key.converter"),
                           "org.apache.kafka.connect.json.JsonConverter");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "value.converter"),
                           "org.apache.kafka.connect.json.JsonConverter");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "sasl.jaas.config"),
                           "org.apache.kafka.common.security.plain.PlainLoginModule required "
                           "username=\"alice\" password=\"alice-secret\";");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "plugin.path"), "/usr/share/java,/opt/connectors");
    /* the duplicate keeps the first position with the last value */
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(p, 9), "offset.storage.topic");
    CU_ASSERT_STRING_EQUAL(kc_props_value_at(p, 9), "connect-offsets-v2");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "greeting"), "caf\xC3\xA9 \xE2\x82\xAC");
    kc_props_free(p);
}

static void test_load_file_missing_gives_io_error(void)
{
    char path[64];
    CU_ASSERT_EQUAL_FATAL(write_temp("", 0, path), 0);
    unlink(path);
    kc_props *p = kc_props_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    kc_error err;
    CU_ASSERT_EQUAL(kc_props_load_file(p, path, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, strerror(ENOENT)));
    kc_props_free(p);
}

static void test_load_file_directory_gives_io_error(void)
{
    kc_props *p = kc_props_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    kc_error err;
    CU_ASSERT_EQUAL(kc_props_load_file(p, "/", &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_IO);
    kc_props_free(p);
}

static void test_load_file_error_names_file_and_line(void)
{
    const char *text = "a=1\r\nb=2\r\nc=\\u00\r\n";
    char path[64], want[128];
    CU_ASSERT_EQUAL_FATAL(write_temp(text, strlen(text), path), 0);
    kc_props *p = kc_props_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    kc_error err;
    CU_ASSERT_EQUAL(kc_props_load_file(p, path, &err), -1);
    snprintf(want, sizeof want, "%s:3: Malformed \\uxxxx encoding.", path);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    unlink(path);
    kc_props_free(p);
}

static void test_load_file_too_large_refused(void)
{
    size_t n = (size_t)KC_PROPS_MAX_BYTES + 1;
    char *big = malloc(n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    memset(big, '\n', n);
    char path[64];
    int w = write_temp(big, n, path);
    free(big);
    CU_ASSERT_EQUAL_FATAL(w, 0);
    kc_props *p = kc_props_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    kc_error err;
    CU_ASSERT_EQUAL(kc_props_load_file(p, path, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, path));
    unlink(path);
    kc_props_free(p);
}

/* ---- the list ------------------------------------------------------------------------------- */

static void test_duplicate_key_last_wins_keeps_position(void)
{
    kc_props *p = load_ok("a=1\nb=2\na=3\n");
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(p, 0), "a");
    CU_ASSERT_STRING_EQUAL(kc_props_value_at(p, 0), "3");
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(p, 1), "b");
    kc_props_free(p);
}

static void test_load_adds_to_existing(void)
{
    kc_props *p = load_ok("a=1\nb=2");
    kc_error err;
    CU_ASSERT_EQUAL(kc_props_load_string(p, "b=3\nc=4", 7, NULL, &err), 0);
    CU_ASSERT_EQUAL(kc_props_count(p), 3);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "b"), "3");
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(p, 2), "c");
    kc_props_free(p);
}

static void test_set_get_count(void)
{
    kc_props *p = kc_props_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(kc_props_count(p), 0);
    CU_ASSERT_PTR_NULL(kc_props_get(p, "a"));
    CU_ASSERT_EQUAL(kc_props_set(p, "a", "1"), 0);
    CU_ASSERT_EQUAL(kc_props_set(p, "b", "2"), 0);
    CU_ASSERT_EQUAL(kc_props_set(p, "a", "3"), 0);
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(p, 0), "a");
    CU_ASSERT_STRING_EQUAL(kc_props_value_at(p, 0), "3");
    CU_ASSERT_PTR_NULL(kc_props_key_at(p, 2));
    CU_ASSERT_PTR_NULL(kc_props_value_at(p, 2));
    /* setting a key to its own (borrowed) value */
    CU_ASSERT_EQUAL(kc_props_set(p, "b", kc_props_get(p, "b")), 0);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "b"), "2");
    kc_props_free(p);
}

static void test_remove(void)
{
    kc_props *p = load_ok("a=1\nb=2\nc=3");
    CU_ASSERT_EQUAL(kc_props_remove(p, "b"), 1);
    CU_ASSERT_EQUAL(kc_props_remove(p, "b"), 0);
    CU_ASSERT_EQUAL(kc_props_remove(p, "zz"), 0);
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    CU_ASSERT_PTR_NULL(kc_props_get(p, "b"));
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(p, 1), "c");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "c"), "3");
    CU_ASSERT_EQUAL(kc_props_set(p, "b", "4"), 0); /* a re-added key goes to the end */
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(p, 2), "b");
    kc_props_free(p);
}

static void test_many_keys(void)
{
    kc_props *p = kc_props_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    char k[32], v[32];
    int ok = 1;
    for (int i = 0; i < 2000; i++) {
        snprintf(k, sizeof k, "key.%d", i);
        snprintf(v, sizeof v, "%d", i * 7);
        ok &= kc_props_set(p, k, v) == 0;
    }
    CU_ASSERT(ok);
    for (int i = 0; i < 2000; i += 2) {
        snprintf(k, sizeof k, "key.%d", i);
        ok &= kc_props_remove(p, k) == 1;
    }
    CU_ASSERT(ok);
    CU_ASSERT_EQUAL(kc_props_count(p), 1000);
    for (int i = 0; i < 2000; i++) {
        snprintf(k, sizeof k, "key.%d", i);
        snprintf(v, sizeof v, "%d", i * 7);
        const char *got = kc_props_get(p, k);
        ok &= i % 2 ? got && strcmp(got, v) == 0 : got == NULL;
    }
    CU_ASSERT(ok);
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(p, 0), "key.1");
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(p, 999), "key.1999");
    kc_props_free(p);
}

static void test_copy(void)
{
    kc_props *p = load_ok("a=1\nb=2");
    kc_props *c = kc_props_copy(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(kc_props_count(c), 2);
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(c, 1), "b");
    CU_ASSERT_EQUAL(kc_props_set(p, "a", "changed"), 0);
    CU_ASSERT_EQUAL(kc_props_remove(p, "b"), 1);
    CU_ASSERT_STRING_EQUAL(kc_props_get(c, "a"), "1"); /* deep: the copy does not change */
    CU_ASSERT_STRING_EQUAL(kc_props_get(c, "b"), "2");
    kc_props_free(p);
    kc_props_free(c);
}

static void test_subset_without_strip(void)
{
    kc_props *p = load_ok("producer.acks=all\nconsumer.x=1\nproducer.=e\nproducer=p\nproducer.linger.ms=5");
    kc_props *s = kc_props_subset(p, "producer.", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(kc_props_count(s), 3);
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(s, 0), "producer.acks");
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(s, 1), "producer.");
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(s, 2), "producer.linger.ms");
    kc_props_free(s);
    kc_props_free(p);
}

static void test_subset_with_strip(void)
{
    kc_props *p = load_ok("producer.acks=all\nconsumer.x=1\nproducer.=e\nproducer.linger.ms=5");
    kc_props *s = kc_props_subset(p, "producer.", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(kc_props_count(s), 2); /* "producer." itself is left out */
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(s, 0), "acks");
    CU_ASSERT_STRING_EQUAL(kc_props_get(s, "acks"), "all");
    CU_ASSERT_STRING_EQUAL(kc_props_get(s, "linger.ms"), "5");
    CU_ASSERT_PTR_NULL(kc_props_get(s, ""));
    kc_props_free(s);
    s = kc_props_subset(p, "nothing.", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(kc_props_count(s), 0);
    kc_props_free(s);
    kc_props_free(p);
}

static void test_merge(void)
{
    kc_props *dst = load_ok("a=1\nb=2");
    kc_props *src = load_ok("b=20\nc=30");
    CU_ASSERT_EQUAL(kc_props_merge(dst, src), 0);
    CU_ASSERT_EQUAL(kc_props_count(dst), 3);
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(dst, 1), "b");
    CU_ASSERT_STRING_EQUAL(kc_props_get(dst, "b"), "20");
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(dst, 2), "c");
    CU_ASSERT_EQUAL(kc_props_count(src), 2); /* src untouched */
    CU_ASSERT_EQUAL(kc_props_merge(dst, dst), 0); /* into itself: no change */
    CU_ASSERT_EQUAL(kc_props_count(dst), 3);
    CU_ASSERT_STRING_EQUAL(kc_props_get(dst, "a"), "1");
    kc_props_free(dst);
    kc_props_free(src);
}

static void test_free_null(void)
{
    kc_props_free(NULL);
    CU_ASSERT_EQUAL(kc_props_count(NULL), 0);
    CU_ASSERT_PTR_NULL(kc_props_get(NULL, "a"));
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"separator equals", test_separator_equals},
        {"separator colon", test_separator_colon},
        {"whitespace separator", test_whitespace_separator},
        {"= after whitespace", test_equals_after_whitespace},
        {"separators in value kept", test_separators_in_value_kept},
        {"value keeps trailing spaces", test_value_keeps_trailing_spaces},
        {"leading whitespace skipped", test_leading_whitespace_skipped},
        {"empty value", test_empty_value},
        {"key only", test_key_only},
        {"empty key", test_empty_key},
        {"comments ignored", test_comments_ignored},
        {"comment not continued", test_comment_not_continued},
        {"hash inside value", test_hash_inside_value},
        {"blank lines ignored", test_blank_lines_ignored},
        {"empty input", test_empty_input},
        {"crlf", test_crlf},
        {"cr only", test_cr_only},
        {"continuation", test_continuation},
        {"continuation skips leading whitespace", test_continuation_skips_leading_whitespace},
        {"continuation in key", test_continuation_in_key},
        {"continuation crlf", test_continuation_crlf},
        {"even backslashes do not continue", test_even_backslashes_do_not_continue},
        {"continued line starting with hash", test_continued_line_starting_with_hash},
        {"continuation then empty line", test_continuation_then_empty_line},
        {"trailing backslash at eof", test_trailing_backslash_at_eof},
        {"lone backslash is empty entry", test_lone_backslash_is_empty_entry},
        {"escaped separator in key", test_escaped_separator_in_key},
        {"control escapes", test_control_escapes},
        {"other escapes give the char", test_other_escapes_give_the_char},
        {"escaped leading space in value", test_escaped_leading_space_in_value},
        {"unicode escape to utf8", test_unicode_escape_to_utf8},
        {"surrogate pair", test_surrogate_pair},
        {"lone surrogate becomes replacement", test_lone_surrogate_becomes_replacement},
        {"malformed unicode escape names line", test_malformed_unicode_escape_names_line},
        {"short unicode escape", test_short_unicode_escape},
        {"malformed escape on continued line", test_malformed_escape_on_continued_line},
        {"unicode nul refused", test_unicode_nul_refused},
        {"raw utf8 passes through", test_raw_utf8_passes_through},
        {"utf8 bom is part of first key", test_utf8_bom_is_part_of_first_key},
        {"invalid utf8 replaced", test_invalid_utf8_replaced},
        {"nul byte error", test_nul_byte_error},
        {"too large refused", test_too_large_refused},
        {"not nul terminated", test_not_nul_terminated},
        {"default origin", test_default_origin},
        {"load file", test_load_file},
        {"load file missing gives io error", test_load_file_missing_gives_io_error},
        {"load file directory gives io error", test_load_file_directory_gives_io_error},
        {"load file error names file and line", test_load_file_error_names_file_and_line},
        {"load file too large refused", test_load_file_too_large_refused},
        {"duplicate key last wins keeps position", test_duplicate_key_last_wins_keeps_position},
        {"load adds to existing", test_load_adds_to_existing},
        {"set get count", test_set_get_count},
        {"remove", test_remove},
        {"many keys", test_many_keys},
        {"copy", test_copy},
        {"subset without strip", test_subset_without_strip},
        {"subset with strip", test_subset_with_strip},
        {"merge", test_merge},
        {"free null", test_free_null},
        {NULL, NULL},
    };
    return kc_test_run("properties", cases);
}
