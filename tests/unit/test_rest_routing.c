/* REST routing, listener URLs, advertised URL and response-header rules (pure code). */
#include <string.h>

#include "kc_test.h"
#include "rest/listeners.h"
#include "rest/router.h"

static const kc_route routes[] = {
    {KC_HTTP_GET, "/"},
    {KC_HTTP_GET, "/connectors"},
    {KC_HTTP_POST, "/connectors"},
    {KC_HTTP_GET, "/connectors/{connector}"},
    {KC_HTTP_DELETE, "/connectors/{connector}"},
    {KC_HTTP_GET, "/connectors/{connector}/tasks/{task}/status"},
    {KC_HTTP_PUT, "/connectors/{connector}/config"},
};
#define NROUTES (sizeof routes / sizeof routes[0])

static void test_match_and_params(void)
{
    kc_route_match m;
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_GET, "/", &m), 200);
    CU_ASSERT_EQUAL(m.index, 0);
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_GET, "/connectors?expand=status", &m), 200);
    CU_ASSERT_EQUAL(m.index, 1);
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_POST, "/connectors/", &m), 200);
    CU_ASSERT_EQUAL(m.index, 2);
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_GET, "/connectors/my%20conn", &m), 200);
    CU_ASSERT_EQUAL(m.index, 3);
    CU_ASSERT_EQUAL(m.param_count, 1);
    CU_ASSERT_STRING_EQUAL(m.params[0], "my conn");
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_GET, "/connectors/src/tasks/7/status", &m), 200);
    CU_ASSERT_EQUAL(m.param_count, 2);
    CU_ASSERT_STRING_EQUAL(m.params[0], "src");
    CU_ASSERT_STRING_EQUAL(m.params[1], "7");
    /* HEAD is served by GET routes */
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_HEAD, "/connectors", &m), 200);
    CU_ASSERT_EQUAL(m.index, 1);
}

static void test_not_found(void)
{
    kc_route_match m;
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_GET, "/no/such/path", &m), 404);
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_GET, "/connectors/a%2Fb", &m), 404);
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_GET, "/connectors/a%00b", &m), 404);
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_GET, "/connectors/%zz", &m), 404);
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_GET, "/connectors//x", &m), 404);
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_GET, "connectors", &m), 404);
    CU_ASSERT_EQUAL(m.allowed, 0u);
}

static void test_method_not_allowed(void)
{
    kc_route_match m;
    char allow[128];
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_DELETE, "/connectors", &m), 405);
    kc_http_allow_list(m.allowed, allow, sizeof allow);
    CU_ASSERT_STRING_EQUAL(allow, "GET, HEAD, OPTIONS, POST");
    CU_ASSERT_EQUAL(kc_router_match(routes, NROUTES, KC_HTTP_OPTIONS, "/connectors/x", &m), 405);
    kc_http_allow_list(m.allowed, allow, sizeof allow);
    CU_ASSERT_STRING_EQUAL(allow, "DELETE, GET, HEAD, OPTIONS");
}

static void test_url_decode(void)
{
    char out[16];
    CU_ASSERT_EQUAL(kc_url_decode("a%41+b", 6, out, sizeof out), 4);
    CU_ASSERT_STRING_EQUAL(out, "aA+b");
    CU_ASSERT_EQUAL(kc_url_decode("%4", 2, out, sizeof out), -1);
    CU_ASSERT_EQUAL(kc_url_decode("%g1", 3, out, sizeof out), -1);
    CU_ASSERT_EQUAL(kc_url_decode("0123456789abcdefg", 17, out, sizeof out), -1);
}

static void test_listeners(void)
{
    kc_rest_listener l[8];
    kc_error err;
    CU_ASSERT_EQUAL(kc_rest_listeners_parse("listeners", "http://:8083", l, 8, &err), 1);
    CU_ASSERT_EQUAL(l[0].https, 0);
    CU_ASSERT_STRING_EQUAL(l[0].host, "");
    CU_ASSERT_EQUAL(l[0].port, 8083);
    CU_ASSERT_EQUAL(kc_rest_listeners_parse("listeners", " HTTPS://[::1]:0 , http://localhost:8080", l, 8, &err), 2);
    CU_ASSERT_EQUAL(l[0].https, 1);
    CU_ASSERT_STRING_EQUAL(l[0].host, "::1");
    CU_ASSERT_EQUAL(l[0].port, 0);
    CU_ASSERT_STRING_EQUAL(l[1].host, "localhost");
    CU_ASSERT_EQUAL(kc_rest_listeners_parse("listeners", "", l, 8, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value for listeners, at least one URL is expected, ex: "
                                    "http://localhost:8080,https://localhost:8443.");
    CU_ASSERT_EQUAL(kc_rest_listeners_parse("admin.listeners", "", l, 8, &err), 0);
    CU_ASSERT_EQUAL(kc_rest_listeners_parse("listeners", "http://a:1,,http://b:2", l, 8, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Empty URL found when parsing listeners list.");
    CU_ASSERT_EQUAL(kc_rest_listeners_parse("admin.listeners", "http://a:1, ", l, 8, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Empty URL found when parsing admin.listeners list.");
    CU_ASSERT_EQUAL(kc_rest_listeners_parse("listeners", "localhost:8083", l, 8, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Listener doesn't have the right format (protocol://hostname:port).");
    CU_ASSERT_EQUAL(kc_rest_listeners_parse("listeners", "ftp://localhost:21", l, 8, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Listener protocol must be either \"http\" or \"https\".");
    CU_ASSERT_EQUAL(kc_rest_listeners_parse("listeners", "http://host name:1", l, 8, &err), -1);
}

static void advertised(const char *raw, const char *listener, const char *host, int port, const char *want)
{
    kc_rest_listener l[8];
    kc_error err;
    int n = kc_rest_listeners_parse("listeners", raw, l, 8, &err);
    CU_ASSERT_FATAL(n > 0);
    int bound[8] = {1111, 2222, 3333};
    char url[256];
    CU_ASSERT_EQUAL(kc_rest_advertised_url(raw, l, bound, (size_t)n, listener, host, port, "myhost", url,
                                           sizeof url, &err), 0);
    CU_ASSERT_STRING_EQUAL(url, want);
}

/* The vectors of RestServer's tests, as the REST spec §1.1 lists them. */
static void test_advertised_url(void)
{
    advertised("http://localhost:8080,https://localhost:8443", NULL, NULL, -1, "http://localhost:8080/");
    advertised("http://localhost:8080,https://localhost:8443", "https", NULL, -1, "https://localhost:8443/");
    advertised("https://localhost:8443", NULL, NULL, -1, "https://localhost:8443/");
    advertised("https://localhost:8443", "http", "somehost", 10000, "http://somehost:10000/");
    advertised("https://encrypted-localhost:42069,http://plaintext-localhost:4761", "http", NULL, -1,
               "http://plaintext-localhost:4761/");
    advertised("http://:0", NULL, NULL, -1, "http://myhost:1111/");
}

static void test_header_rules(void)
{
    kc_header_rule r[8];
    kc_error err;
    int n = kc_rest_header_rules_parse("add X-XSS-Protection: 1; mode=block, "
                                       "\"add Cache-Control: no-cache, no-store, must-revalidate\"", r, 8, &err);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_EQUAL(r[0].action, KC_HEADER_ADD);
    CU_ASSERT_STRING_EQUAL(r[0].name, "X-XSS-Protection");
    CU_ASSERT_STRING_EQUAL(r[0].value, "1; mode=block");
    CU_ASSERT_STRING_EQUAL(r[1].name, "Cache-Control");
    CU_ASSERT_STRING_EQUAL(r[1].value, "no-cache, no-store, must-revalidate");
    CU_ASSERT_EQUAL(kc_rest_header_rules_parse("", r, 8, &err), 0);
    CU_ASSERT_EQUAL(kc_rest_header_rules_parse("set", r, 8, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid format of header config 'set'. Expected: '[action] [header name]:[header value]'");
    CU_ASSERT_EQUAL(kc_rest_header_rules_parse("put X-A: b", r, 8, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid header config action: 'put'. Expected one of [set, add, setDate, addDate]");
    CU_ASSERT_EQUAL(kc_rest_header_rules_parse("set X-A b", r, 8, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid format of header name and header value pair 'X-A b'. Expected: "
                                    "'[header name]:[header value]'");
    CU_ASSERT_EQUAL(kc_rest_header_rules_parse("set X A: b", r, 8, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid header name 'X A'. The '[header name]' cannot contain whitespace");
    CU_ASSERT_EQUAL(kc_rest_header_rules_parse("setDate Expires: 31540000000", r, 8, &err), 1);
    CU_ASSERT_EQUAL(r[0].action, KC_HEADER_SET_DATE);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"routes match and capture decoded parameters", test_match_and_params},
        {"unknown paths, encoded slashes and bad escapes are 404", test_not_found},
        {"wrong method is 405 with a sorted Allow list", test_method_not_allowed},
        {"percent decoding", test_url_decode},
        {"listeners parse with Java's messages", test_listeners},
        {"advertised URL vectors of RestServer", test_advertised_url},
        {"response.http.headers.config rules", test_header_rules},
        {NULL, NULL},
    };
    return kc_test_run("rest_routing", cases);
}
