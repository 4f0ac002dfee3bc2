/* Connector configuration files of `kconnect standalone`: JSON (request shape and flat) and .properties. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connect/config/connector_file.h"
#include "kc_test.h"

static kc_props *parse(const char *json, kc_error *err)
{
    return kc_connector_json_parse(json, strlen(json), "<test>", err);
}

static void test_request_shape(void)
{
    kc_error err;
    kc_props *p = parse("{\"name\":\"sink\",\"config\":{\"connector.class\":\"FileStreamSink\",\"tasks.max\":2,"
                        "\"errors.log.enable\":true,\"file\":null}}", &err);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "name"), "sink");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "connector.class"), "FileStreamSink");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "tasks.max"), "2");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "errors.log.enable"), "true");
    CU_ASSERT(kc_props_get(p, "file") == NULL);
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(p, 0), "connector.class"); /* config order kept, name last */
    kc_props_free(p);
}

static void test_flat_and_name_in_config(void)
{
    kc_error err;
    kc_props *p = parse("{\"name\":\"flat\",\"connector.class\":\"X\"}", &err);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "name"), "flat");
    CU_ASSERT_EQUAL(kc_props_count(p), 2);
    kc_props_free(p);
    p = parse("{\"name\":\"outer\",\"config\":{\"name\":\"inner\"}}", &err);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "name"), "inner");
    kc_props_free(p);
}

static void test_errors(void)
{
    kc_error err;
    CU_ASSERT(parse("[1,2]", &err) == NULL);
    CU_ASSERT(strstr(err.msg, "must be a JSON object") != NULL);
    CU_ASSERT(parse("{\"name\":", &err) == NULL);
    CU_ASSERT(strstr(err.msg, "<test>") != NULL);
    CU_ASSERT(parse("{\"config\":{\"a\":{\"b\":1}}}", &err) == NULL);
    CU_ASSERT(strstr(err.msg, "the value of a must be a string") != NULL);
    CU_ASSERT(kc_connector_file_load("/nonexistent/c.json", &err) == NULL);
    CU_ASSERT_EQUAL(err.code, KC_ERR_IO);
}

static void test_files(void)
{
    char dir[] = "/tmp/kc-connfile-XXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    char json[128], props[128];
    snprintf(json, sizeof json, "%s/c.json", dir);
    snprintf(props, sizeof props, "%s/c.properties", dir);
    FILE *f = fopen(json, "w");
    fputs("{\"name\":\"j\",\"config\":{\"topic\":\"t\"}}\n", f);
    fclose(f);
    f = fopen(props, "w");
    fputs("name=p\ntopic : t2\n", f);
    fclose(f);
    kc_error err;
    kc_props *p = kc_connector_file_load(json, &err);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "topic"), "t");
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "name"), "j");
    kc_props_free(p);
    p = kc_connector_file_load(props, &err);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_STRING_EQUAL(kc_props_get(p, "topic"), "t2");
    kc_props_free(p);
    unlink(json);
    unlink(props);
    rmdir(dir);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"JSON in CreateConnectorRequest shape, scalars coerced, nulls dropped", test_request_shape},
        {"flat JSON and a name inside config", test_flat_and_name_in_config},
        {"bad JSON names the file and the problem", test_errors},
        {".json and .properties files", test_files},
        {NULL, NULL},
    };
    return kc_test_run("connector_file", cases);
}
