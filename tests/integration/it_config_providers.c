/*
 * it_config_providers: config providers (KIP-297 / KIP-887 / KIP-993) in a standalone worker.
 *
 *  - A MirrorSourceConnector reads cluster A over SASL_PLAINTEXT + SCRAM-SHA-512; its
 *    source.cluster.sasl.jaas.config holds ${env:...} (user) and ${file:...} (password) and its
 *    sasl.mechanism ${dir:...}. The records reach B (so the references were resolved); GET
 *    /connectors/{c}/config and /tasks show the ${...} text (task configs are reverse-transformed),
 *    never the password; the worker log never holds it either. The worker config's own listeners
 *    port comes from ${file:...} (the worker config is resolved at start-up).
 *  - A connector whose config points at a file that does not exist does not run: Java's
 *    "Could not read properties from file <path>".
 *  - An unknown config provider class stops the worker at start-up, naming the key and the value.
 */
#include "mirror_env.h"

#define RECORDS 200

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return strdup("");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static void test_secrets_stay_out(void)
{
    char dir[512], path[2048], wp[600], log[600], text[4096];
    it_make_dir(dir, sizeof dir, "it-config-providers");
    int port = kc_free_port();
    const char *a_sasl = kc_testbed_require("KC_A_SASL_PLAINTEXT"), *a = kc_testbed_require("KC_A_PLAINTEXT");
    const char *b = kc_testbed_require("KC_B_PLAINTEXT");
    const char *password = kc_testbed_require("KC_ADMIN_PASSWORD");
    setenv("KC_IT_CP_USER", kc_testbed_require("KC_ADMIN_USER"), 1);

    /* the secrets: a properties file, a directory of files */
    char secrets[600], sdir[600];
    snprintf(secrets, sizeof secrets, "%s/secrets.properties", dir);
    snprintf(text, sizeof text, "pw=%s\nport=%d\n", password, port);
    write_text(secrets, text);
    snprintf(sdir, sizeof sdir, "%s/sasl", dir);
    mkdir(sdir, 0755);
    snprintf(path, sizeof path, "%s/mechanism", sdir);
    write_text(path, "SCRAM-SHA-512");

    char topic[128], remote[160];
    snprintf(topic, sizeof topic, "it-config-providers-%ld", (long)getpid());
    snprintf(remote, sizeof remote, "A.%s", topic);
    produce(a, topic, RECORDS);

    snprintf(wp, sizeof wp, "%s/worker.properties", dir);
    snprintf(text, sizeof text,
             "bootstrap.servers=%s\n"
             "key.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
             "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
             "header.converter=org.apache.kafka.connect.converters.ByteArrayConverter\n"
             "offset.storage.file.filename=%s/offsets.dat\noffset.flush.interval.ms=1000\n"
             "listeners=http://127.0.0.1:${file:%s:port}\n"
             "config.providers=file,env,dir\n"
             "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n"
             "config.providers.file.param.allowed.paths=%s\n"
             "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider\n"
             "config.providers.env.param.allowlist.pattern=KC_IT_.*\n"
             "config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider\n",
             b, dir, secrets, dir);
    write_text(wp, text);
    snprintf(path, sizeof path, "%s/mirror.properties", dir);
    snprintf(text, sizeof text,
             "name=cp-mirror\nconnector.class=org.apache.kafka.connect.mirror.MirrorSourceConnector\n"
             "tasks.max=1\nsource.cluster.alias=A\ntarget.cluster.alias=B\n"
             "source.cluster.bootstrap.servers=%s\ntarget.cluster.bootstrap.servers=%s\n"
             "source.cluster.security.protocol=SASL_PLAINTEXT\n"
             "source.cluster.sasl.mechanism=${dir:%s:mechanism}\n"
             "source.cluster.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
             "username=\"${env:KC_IT_CP_USER}\" password=\"${file:%s:pw}\";\n"
             "topics=%s\nreplication.factor=1\noffset-syncs.topic.replication.factor=1\n"
             "sync.topic.acls.enabled=false\nemit.heartbeats.enabled=false\n",
             a_sasl, b, sdir, secrets, topic);
    write_text(path, text);

    snprintf(log, sizeof log, "%s/kconnect.log", dir);
    char *args[] = {"standalone", wp, path, NULL};
    int pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    /* the port comes from ${file:...:port}: answering proves the worker config was resolved */
    int up = kc_wait_rest(port, 60000);
    CU_ASSERT_EQUAL(up, 0);
    if (up != 0) {
        kc_stop_process(pid, SIGTERM, 30000);
        return;
    }

    long got = wait_count(b, remote, RECORDS, 120000);
    printf("\n    %ld of %d records replicated from A (SASL_PLAINTEXT, password from ${file:...})", got, RECORDS);
    CU_ASSERT_EQUAL(got, RECORDS);

    kc_http_reply r = {0};
    CU_ASSERT_EQUAL(kc_http(port, "GET", "/connectors/cp-mirror/config", NULL, NULL, 0, &r), 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT(r.body && strstr(r.body, "password=\\\"${file:") != NULL);
    CU_ASSERT(r.body && strstr(r.body, "username=\\\"${env:KC_IT_CP_USER}\\\"") != NULL);
    CU_ASSERT(r.body && strstr(r.body, "\"source.cluster.sasl.mechanism\":\"${dir:") != NULL);
    CU_ASSERT(r.body && strstr(r.body, password) == NULL);

    CU_ASSERT_EQUAL(kc_http(port, "GET", "/connectors/cp-mirror/tasks", NULL, NULL, 0, &r), 0);
    CU_ASSERT_EQUAL(r.status, 200);
    printf("\n    GET /connectors/cp-mirror/tasks: %.160s...", r.body ? r.body : "");
    CU_ASSERT(r.body && strstr(r.body, "password=\\\"${file:") != NULL);
    CU_ASSERT(r.body && strstr(r.body, "\"source.cluster.sasl.mechanism\":\"${dir:") != NULL);
    CU_ASSERT(r.body && strstr(r.body, password) == NULL);
    CU_ASSERT(r.body && strstr(r.body, "SCRAM-SHA-512") == NULL);

    CU_ASSERT_EQUAL(kc_http(port, "GET", "/connectors/cp-mirror/status", NULL, NULL, 0, &r), 0);
    CU_ASSERT(r.body && strstr(r.body, "\"tasks\":[{\"id\":0,\"state\":\"RUNNING\""));

    /* a reference to a file that does not exist: the connector does not run, Java's message */
    char json[2048];
    snprintf(json, sizeof json,
             "{\"name\":\"cp-missing\",\"config\":{\"connector.class\":\"FileStreamSource\",\"tasks.max\":\"1\","
             "\"topic\":\"%s-missing\",\"file\":\"${file:%s/absent.properties:path}\"}}", topic, dir);
    CU_ASSERT_EQUAL(kc_http_json(port, "POST", "/connectors", json, &r), 0);
    char expected[1200];
    snprintf(expected, sizeof expected, "Could not read properties from file %s/absent.properties", dir);
    int post_status = r.status;
    bool in_post = r.body && strstr(r.body, expected);
    bool in_status = false;
    for (int i = 0; i < 50 && !in_post && !in_status; i++) {
        kc_http(port, "GET", "/connectors/cp-missing/status", NULL, NULL, 0, &r);
        in_status = r.body && strstr(r.body, "\"state\":\"FAILED\"") && strstr(r.body, expected);
        if (!in_status)
            usleep(100000);
    }
    printf("\n    missing file: POST %d, %s", post_status, in_post ? "refused" : "connector FAILED");
    CU_ASSERT(in_post || in_status);
    kc_http_reply_free(&r);

    CU_ASSERT_EQUAL(kc_stop_process(pid, SIGTERM, 30000), 0);
    char *logged = read_text(log);
    CU_ASSERT(strstr(logged, password) == NULL);
    if (strstr(logged, password))
        printf("\n    the worker log holds the password!");
    free(logged);
    /* the stored offsets never hold configs; the directory holds the secrets file itself */
}

static void test_unknown_provider_class(void)
{
    char dir[512], wp[1024], log[1024];
    it_make_dir(dir, sizeof dir, "it-config-providers-class");
    int port = kc_free_port();
    it_write_worker(dir, port, "PLAINTEXT", 1000,
                    "config.providers=vault\nconfig.providers.vault.class=com.example.VaultConfigProvider\n");
    snprintf(wp, sizeof wp, "%s/worker.properties", dir);
    snprintf(log, sizeof log, "%s/kconnect.log", dir);
    char *args[] = {"standalone", wp, NULL};
    int pid = kc_spawn(log, args);
    CU_ASSERT_FATAL(pid > 0);
    int status = kc_stop_process(pid, 0, 30000); /* signal 0: just wait for it to exit */
    printf("\n    exit status %d", status);
    CU_ASSERT(status > 0 && status < 128);
    char *logged = read_text(log);
    CU_ASSERT(strstr(logged, "Invalid value com.example.VaultConfigProvider for configuration "
                             "config.providers.vault.class: Could not load config provider class or one of its "
                             "dependencies") != NULL);
    free(logged);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"MirrorSource over SCRAM with ${file:}/${env:}/${dir:} references; no secret in REST or log",
         test_secrets_stay_out},
        {"unknown config provider class stops the worker", test_unknown_provider_class},
        {NULL, NULL},
    };
    return kc_test_run("it_config_providers", cases);
}
