#!/usr/bin/env python3
"""unit_docker_compose: checks docker/ without a Docker engine.

  check_compose.py --source-dir DIR [--kconnect PATH]

- docker/docker-compose.yml parses (yaml.safe_load) and has the expected services: two single-node
  KRaft clusters on apache/kafka:<tests/env/kafka.version>, three kconnect workers of one Connect
  group on cluster a (REST 8083 published as 8083/8084/8085), the one-shot create-replication;
  compose's own rules an engine-less run can check ($ interpolation, environment value types).
- docker/entrypoint.sh: `bash -n` (and shellcheck when installed); its translation of CONNECT_* variables is exercised for real
  (the `print-config` dry run) on edge cases, and on every worker's environment, whose keys must be
  kconnect worker keys: doc/config-worker.md (generated from the worker table; distributed mode
  may use the "Both modes" and "Distributed mode" sections), Kafka client keys of
  connect/config/client_config.c's table, unprefixed or behind producer./consumer./admin. (for a
  client of that kind; REFUSE rows are errors). Mode dispatch and the health check run against a
  stub kconnect.
- docker/replication-both.json against the REST body of connect/replication/replication_task.h
  (its header comment: fields, JSON types, enum values, required fields, bounds) and the parser's
  known_fields table; plus what the demo needs (both ways, identity names, the provenance header,
  offset sync, the peer is the compose service kafka-b).
- The create-replication script (bash -n, shellcheck when installed, and run against a stub kconnect: waits, retries a 409,
  treats "already exists" as done, stops on a 400).
- docker/Dockerfile: Debian 12 stages, no tests built, non-root user, entrypoint, HEALTHCHECK; with
  --kconnect, every library the binary links directly (readelf NEEDED) comes from a package the
  runtime stage installs (dpkg -S).
- `docker compose config -q` when the docker CLI has compose (skipped otherwise).
Exit status 0 when every check passed, 1 otherwise.
"""
import argparse
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

import yaml

FAILURES = []


def ok(msg):
    print(f"ok: {msg}")


def fail(msg):
    FAILURES.append(msg)
    print(f"FAIL: {msg}")


def skip(msg):
    print(f"skip: {msg}")


def check(cond, msg):
    if cond:
        ok(msg)
    else:
        fail(msg)
    return cond


# ---- java.util.Properties (the subset the entrypoint writes, plus continuations) ------------------

def load_properties(text):
    """[(key, value)] in file order, by Properties.load's rules."""
    out = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].lstrip(" \t\f")
        i += 1
        if not line or line[0] in "#!":
            continue
        # continuation: an odd number of trailing backslashes
        while True:
            n = len(line) - len(line.rstrip("\\"))
            if n % 2 == 1 and i < len(lines):
                line = line[:-1] + lines[i].lstrip(" \t\f")
                i += 1
            else:
                break
        # key ends at the first unescaped '=', ':' or whitespace
        k = 0
        while k < len(line):
            c = line[k]
            if c == "\\":
                k += 2
                continue
            if c in "=: \t\f":
                break
            k += 1
        key, rest = line[:k], line[k:]
        rest = rest.lstrip(" \t\f")
        if rest[:1] in ("=", ":"):
            rest = rest[1:].lstrip(" \t\f")
        out.append((unescape(key), unescape(rest)))
    return out


def unescape(s):
    res = []
    i = 0
    while i < len(s):
        c = s[i]
        if c != "\\" or i + 1 >= len(s):
            if c != "\\":
                res.append(c)
            i += 1
            continue
        n = s[i + 1]
        if n == "u":
            res.append(chr(int(s[i + 2:i + 6], 16)))
            i += 6
            continue
        res.append({"t": "\t", "n": "\n", "r": "\r", "f": "\f"}.get(n, n))
        i += 2
    return "".join(res)


# ---- the tables kconnect accepts -------------------------------------------------------------------

def worker_keys(src):
    """{section: set(keys)} of doc/config-worker.md."""
    sections = {}
    current = None
    with open(os.path.join(src, "doc/config-worker.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^## (.+?)\s*$", line)
            if m:
                current = m.group(1)
                sections[current] = set()
                continue
            m = re.match(r"^\| `([^`]+)` \|", line)
            if m and current:
                sections[current].add(m.group(1))
    return sections


def client_keys(src):
    """{key: (classes, kind)} of connect/config/client_config.c's table; classes a set of P/C/A."""
    with open(os.path.join(src, "connect/config/client_config.c"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"static const kc_client_key table\[\] = \{(.*?)\n\};", text, re.S)
    if not m:
        return {}
    body = m.group(1)
    keys = {}
    for mm in re.finditer(r'(?:\b(SAME|RENAME|FUNC|KCONN|IGNORE|REFUSE)\(|\{)\s*"([^"]+)",\s*([A-Z| ]+?)\s*,',
                          body):
        kind = mm.group(1) or "ROW"
        classes = set()
        for tok in mm.group(3).split("|"):
            tok = tok.strip()
            classes |= {"P", "C", "A"} if tok == "ALL" else {tok}
        keys[mm.group(2)] = (classes, kind)
    return keys


CLIENT_PREFIXES = {"producer.": "P", "consumer.": "C", "admin.": "A"}
CONVERTER_PREFIXES = ("key.converter.", "value.converter.", "header.converter.")


def key_problem(key, allowed, clients):
    """None when kconnect's worker takes key, else why not."""
    if key in allowed:
        return None
    if key in clients:
        if clients[key][1] == "REFUSE":
            return "a client key kconnect refuses (connect/config/client_config.c)"
        return None
    if key.startswith("librdkafka."):
        return None
    for prefix, cls in CLIENT_PREFIXES.items():
        if key.startswith(prefix):
            sub = key[len(prefix):]
            if sub.startswith("librdkafka."):
                return None
            if sub not in clients:
                return f"{sub} is not a Kafka client key of connect/config/client_config.c"
            classes, kind = clients[sub]
            if kind == "REFUSE":
                return "a client key kconnect refuses"
            if cls not in classes:
                return f"{sub} is not a key of a {prefix[:-1]} client"
            return None
    if key.startswith(CONVERTER_PREFIXES):
        return None  # the converter's own settings (e.g. schemas.enable)
    if re.fullmatch(r"config\.providers\.[^.]+\.(class|param\..+)", key):
        return None
    return "not in doc/config-worker.md's distributed-mode keys nor a client key"


def check_key_rules(allowed, clients):
    """The checker itself must tell right keys from wrong ones."""
    good = ["group.id", "security.protocol", "producer.linger.ms", "consumer.auto.offset.reset",
            "admin.request.timeout.ms", "value.converter.schemas.enable", "librdkafka.debug"]
    bad = ["offset.storage.file.filename", "producre.linger.ms", "producer.auto.offset.reset",
           "group.idd", "consumer.interceptor.classes"]
    wrong = [k for k in good if key_problem(k, allowed, clients)] + \
            [k for k in bad if not key_problem(k, allowed, clients)]
    check(not wrong, "the key check accepts worker/client keys and refuses typos, standalone-only keys, "
          "keys of another client kind and refused keys" + (f" (wrong on {wrong})" if wrong else ""))


# ---- compose helpers --------------------------------------------------------------------------------

VAR_DEFAULTS = {}


def interpolate(value, where):
    """compose's $ interpolation with only ${VAR:-default} and $$ allowed; None after an error."""
    out = []
    i = 0
    while i < len(value):
        c = value[i]
        if c != "$":
            out.append(c)
            i += 1
            continue
        if value.startswith("$$", i):
            out.append("$")
            i += 2
            continue
        m = re.match(r"\$\{([A-Z_][A-Z0-9_]*):-([^}]*)\}", value[i:])
        if not m:
            fail(f"{where}: unescaped '$' (compose would interpolate it; write $$): {value[i:i + 30]!r}")
            return None
        VAR_DEFAULTS.setdefault(m.group(1), set()).add(m.group(2))
        out.append(m.group(2))
        i += m.end()
    return "".join(out)


def walk_strings(node, where, fn):
    if isinstance(node, dict):
        for k, v in node.items():
            walk_strings(v, f"{where}.{k}", fn)
    elif isinstance(node, list):
        for n, v in enumerate(node):
            walk_strings(v, f"{where}[{n}]", fn)
    elif isinstance(node, str):
        fn(node, where)


def env_map(service, name):
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(e.split("=", 1) if "=" in e else (e, None) for e in env)
    out = {}
    for k, v in env.items():
        if isinstance(v, bool) or not isinstance(v, (str, int, float, type(None))):
            fail(f"{name}: environment {k} is a {type(v).__name__}: compose wants a string or a number")
            continue
        out[k] = "" if v is None else interpolate(str(v), f"{name}.environment.{k}")
    return out


def run(cmd, env=None, inp=None, timeout=60):
    return subprocess.run(cmd, env=env, input=inp, capture_output=True, text=True, timeout=timeout)


def base_env(tmp, stubs=None):
    path = "/usr/local/bin:/usr/bin:/bin"
    return {"PATH": f"{stubs}:{path}" if stubs else path, "HOME": tmp, "LC_ALL": "C"}


# ---- the entrypoint -----------------------------------------------------------------------------------

def print_config(entry, env, tmp):
    e = base_env(tmp)
    e.update(env)
    return run(["bash", entry, "print-config"], env=e)


def check_entrypoint(src, tmp):
    entry = os.path.join(src, "docker/entrypoint.sh")
    r = run(["bash", "-n", entry])
    check(r.returncode == 0, f"bash -n docker/entrypoint.sh {r.stderr.strip()}")
    check(os.stat(entry).st_mode & stat.S_IXUSR, "docker/entrypoint.sh is executable")
    if shutil.which("shellcheck"):
        r = run(["shellcheck", "-S", "warning", entry])
        check(r.returncode == 0, f"shellcheck docker/entrypoint.sh {r.stdout.strip()}")
    else:
        skip("shellcheck docker/entrypoint.sh: no shellcheck")

    tricky = "C:\\dir\\x=1: #not a comment\nsecond line\ttab"
    cases = {
        "CONNECT_BOOTSTRAP_SERVERS": ("bootstrap.servers", "kafka:9092"),
        "CONNECT_CONSUMER_MAX_POLL_RECORDS": ("consumer.max.poll.records", "100"),
        "CONNECT_SOME__KEY": ("some_key", "u"),
        "CONNECT_SOME___KEY": ("some-key", "d"),
        "CONNECT_MIXED_A__B___C_D": ("mixed.a_b-c.d", "m"),
        "CONNECT_LeAdInG": ("leading", " two spaces first"),
        "CONNECT_TRICKY": ("tricky", tricky),
        "CONNECT_EMPTY": ("empty", ""),
    }
    env = {k: v[1] for k, v in cases.items()}
    env["CONNECT_PORT"] = "tcp://10.0.0.1:8083"  # Kubernetes service links: ignored
    env["CONNECT_PORT_8083_TCP"] = "tcp://10.0.0.1:8083"
    env["CONNECT_SERVICE_HOST"] = "10.0.0.1"
    env["NOT_CONNECT_X"] = "ignored"
    env["KCONNECT_PROPERTIES"] = "A->B.enabled = true\nbootstrap.servers=override:9092"
    r = print_config(entry, env, tmp)
    if not check(r.returncode == 0, f"print-config runs {r.stderr.strip()}"):
        return
    props = load_properties(r.stdout)
    d = dict(props)
    want = {key: value for key, value in cases.values()}
    want["bootstrap.servers"] = "override:9092"  # KCONNECT_PROPERTIES comes last and wins
    want["A->B.enabled"] = "true"
    check(d == want, "CONNECT_* translation: '_' '.', '__' '_', '___' '-', lower case; values read back "
          "exactly; Kubernetes CONNECT_PORT*/CONNECT_SERVICE_* ignored; KCONNECT_PROPERTIES appended last"
          + ("" if d == want else f": got {d}, want {want}"))
    r = print_config(entry, {"CONNECT_A____B": "x"}, tmp)
    check(r.returncode != 0 and "ambiguous" in r.stderr, "a run of 4 underscores is refused")

    # mode dispatch against a stub kconnect that prints its arguments
    stub = os.path.join(tmp, "stub-kconnect")
    with open(stub, "w") as f:
        f.write('#!/bin/sh\nprintf "%s\\n" "$@" > "$STUB_ARGS"\nexit "${STUB_RC:-0}"\n')
    os.chmod(stub, 0o755)
    conf = os.path.join(tmp, "worker.properties")
    e = base_env(tmp)
    e.update({"KCONNECT_BIN": stub, "STUB_ARGS": os.path.join(tmp, "args"), "KCONNECT_CONFIG_FILE": conf,
              "KCONNECT_MODE_FILE": os.path.join(tmp, "mode"), "CONNECT_GROUP_ID": "g"})
    r = run(["bash", entry, "distributed", "--extra"], env=e)
    args = open(e["STUB_ARGS"]).read().split("\n") if os.path.exists(e["STUB_ARGS"]) else []
    check(r.returncode == 0 and args[:3] == ["distributed", conf, "--extra"]
          and dict(load_properties(open(conf).read())) == {"group.id": "g"},
          f"`entrypoint.sh distributed --extra` writes the file and execs kconnect distributed FILE --extra "
          f"({r.stderr.strip()} {args})")
    check(stat.S_IMODE(os.stat(conf).st_mode) & 0o077 == 0, "the written file is private (it may hold secrets)")
    del e["CONNECT_GROUP_ID"]
    os.unlink(conf)
    r = run(["bash", entry, "standalone"], env=e)
    check(r.returncode == 2 and "nothing to run" in r.stderr, "no variables and no file: exit 2 with a message")
    # health check: 0 when the worker answered (kconnect replication exit 0 or 1), 1 when not (3)
    results = {}
    for rc in (0, 1, 2, 3):
        e2 = dict(e, STUB_RC=str(rc))
        results[rc] = run(["bash", entry, "healthcheck"], env=e2).returncode
    check(results == {0: 0, 1: 0, 2: 1, 3: 1}, f"healthcheck maps kconnect replication list 0/1/2/3 to 0/0/1/1 "
          f"(got {results})")
    with open(e["KCONNECT_MODE_FILE"], "w") as f:
        f.write("mirror\n")
    r = run(["bash", entry, "healthcheck"], env=dict(e, STUB_RC="3"))
    check(r.returncode == 0, "healthcheck in mirror mode without KCONNECT_HEALTHCHECK_URL passes (no REST)")


# ---- the replication body --------------------------------------------------------------------------------

def replication_fields(src):
    """{field: spec} from replication_task.h's REST body comment, and the parser's known_fields."""
    with open(os.path.join(src, "connect/replication/replication_task.h"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"---- The REST body.*?\n(.*?)\n \* JSON null counts as absent", text, re.S)
    fields = {}
    if m:
        last = None
        for line in m.group(1).split("\n"):
            fm = re.match(r"^ \*   ([a-z_]+)\s{2,}(.*)$", line)
            if fm:
                last = fm.group(1)
                fields[last] = fm.group(2).strip()
            elif last and re.match(r"^ \*\s{5,}", line):
                fields[last] += " " + line[2:].strip()
    specs = {}
    for name, desc in fields.items():
        spec = {"desc": desc}
        if desc.startswith("string"):
            spec["type"] = str
        elif desc.startswith("bool"):
            spec["type"] = bool
        elif desc.startswith("int"):
            spec["type"] = int
            b = re.match(r"int (\d+)\.\.(\d+)", desc)
            ge = re.match(r"int >= (\d+)", desc)
            if b:
                spec["min"], spec["max"] = int(b.group(1)), int(b.group(2))
            elif ge:
                spec["min"] = int(ge.group(1))
        elif desc.startswith("array"):
            spec["type"] = list
        elif desc.startswith("a Java regex"):
            spec["type"] = str
        elif "|" in desc.split(",")[0].split("(SASL")[0]:
            head = desc.split(", required")[0]
            spec["type"] = str
            spec["enum"] = [re.sub(r"\s*\(.*$", "", tok.strip()).split()[0] for tok in head.split("|")]
        else:
            spec["type"] = str  # e.g. peer_ca_certificate: text or a path
        spec["required"] = bool(re.search(r"(^|, )required\b", desc))
        specs[name] = spec
    known = None
    with open(os.path.join(src, "connect/replication/replication_task.c"), encoding="utf-8") as f:
        km = re.search(r"known_fields\[\] = \{(.*?)\};", f.read(), re.S)
        if km:
            known = set(re.findall(r'"([a-z_]+)"', km.group(1)))
    return specs, known


def check_replication(src, compose):
    specs, known = replication_fields(src)
    if not check(len(specs) >= 15 and {"name", "direction", "topics_regex"} <= set(specs),
                 f"replication_task.h's REST body comment parsed ({len(specs)} fields)"):
        return
    enum_want = {"direction": {"pull", "push", "both"}, "peer_security_protocol": {"PLAINTEXT", "SASL_PLAINTEXT",
                 "SASL_SSL"}, "start_offset": {"earliest", "latest"}}
    got = {k: set(specs[k].get("enum", [])) for k in enum_want if k in specs}
    check(got == enum_want, f"enum values parsed from the comment ({got})")
    if known is not None:
        check(known == set(specs), "the comment's fields are the parser's known_fields "
              f"(only in comment: {sorted(set(specs) - known)}, only in parser: {sorted(known - set(specs))})")
    path = os.path.join(src, "docker/replication-both.json")
    try:
        with open(path, encoding="utf-8") as f:
            body = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"docker/replication-both.json: {e}")
        return
    if not check(isinstance(body, dict), "replication-both.json is a JSON object"):
        return
    for k, v in body.items():
        if k not in specs:
            fail(f"replication-both.json: unknown field {k} (the worker refuses unknown fields)")
            continue
        s = specs[k]
        if v is None:
            continue
        t = s["type"]
        if (t is int and (isinstance(v, bool) or not isinstance(v, int))) or (t is not int and not isinstance(v, t)):
            fail(f"replication-both.json: {k} must be a {t.__name__} ({s['desc'][:60]})")
            continue
        if "enum" in s and v not in s["enum"]:
            fail(f"replication-both.json: {k} {v!r} not one of {s['enum']}")
        if t is int and (v < s.get("min", v) or v > s.get("max", v)):
            fail(f"replication-both.json: {k} {v} out of bounds")
    missing = [k for k, s in specs.items() if s["required"] and body.get(k) is None]
    check(not missing, f"replication-both.json has every required field (missing: {missing})")
    check(isinstance(body.get("name"), str) and re.fullmatch(r"[A-Za-z0-9_-]{4,64}", body["name"]) is not None,
          "name: 4-64 of [A-Za-z0-9_-]")
    for a in ("current_alias", "peer_alias"):
        check(isinstance(body.get(a), str) and re.fullmatch(r"[A-Za-z0-9_-]{1,20}", body[a]) is not None,
              f"{a}: 1-20 of [A-Za-z0-9_-]")
    check((body.get("topics") is None) != (body.get("topics_regex") is None),
          "exactly one of topics and topics_regex")
    rx = body.get("topics_regex")
    if rx is not None:
        try:
            re.compile(rx)
            good = "," not in rx and rx != ""
        except re.error:
            good = False
        check(good, f"topics_regex {rx!r} compiles (as a Python regex, close to Java's) and has no ','")
    want = {"current_alias": "a", "peer_alias": "b", "direction": "both", "rename_topics": False,
            "add_source_header": True, "sync_consumer_offsets": True}
    diff = {k: body.get(k) for k in want if body.get(k) != want[k]}
    check(not diff, f"the demo's replication: a <-> b both ways, identity names, source header, offset sync {diff}")
    sec = body.get("peer_security_protocol", "PLAINTEXT")
    check(sec == "PLAINTEXT" and not any(body.get(k) for k in ("peer_sasl_mechanism", "peer_username",
                                                                 "peer_password")),
          "peer over PLAINTEXT without SASL fields")
    # the peer is the compose service kafka-b on its PLAINTEXT listener; single node: replicas 1
    peer = body.get("peer_bootstrap_servers", "")
    services = compose.get("services", {})
    kb = services.get("kafka-b", {})
    adv = env_map(kb, "kafka-b").get("KAFKA_ADVERTISED_LISTENERS", "") if kb else ""
    check(f"PLAINTEXT://{peer}" in adv.split(","), f"peer_bootstrap_servers {peer} is kafka-b's advertised "
          "PLAINTEXT listener")
    check(body.get("replicas", 1) == 1, "replicas 1 (single-node clusters; absent = automatic)")


# ---- compose ---------------------------------------------------------------------------------------------

def kafka_version(src):
    with open(os.path.join(src, "tests/env/kafka.version"), encoding="utf-8") as f:
        for line in f:
            if re.match(r"^[0-9]", line):
                return line.strip()
    return None


def check_compose(src, tmp, allowed, clients):
    path = os.path.join(src, "docker/docker-compose.yml")
    try:
        with open(path, encoding="utf-8") as f:
            compose = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        fail(f"docker/docker-compose.yml does not parse: {e}")
        return {}
    ok("docker/docker-compose.yml parses")
    services = compose.get("services") or {}
    expected = {"kafka-a", "kafka-b", "worker-1", "worker-2", "worker-3", "create-replication"}
    check(set(services) == expected, f"services {sorted(services)} are {sorted(expected)}")
    walk_strings(services, "services", interpolate)

    version = kafka_version(src)
    kafka_hosts = {}
    for name in ("kafka-a", "kafka-b"):
        s = services.get(name)
        if not s:
            continue
        img = s.get("image", "")
        check(re.fullmatch(r"apache/kafka:\$\{KAFKA_VERSION:-" + re.escape(version or "?") + r"\}", img) is not None,
              f"{name}: image apache/kafka:${{KAFKA_VERSION:-{version}}} (tests/env/kafka.version)")
        env = env_map(s, name)
        roles = set(env.get("KAFKA_PROCESS_ROLES", "").split(","))
        check(roles == {"broker", "controller"}, f"{name}: KRaft combined broker,controller")
        nid = env.get("KAFKA_NODE_ID")
        voters = env.get("KAFKA_CONTROLLER_QUORUM_VOTERS", "")
        host = s.get("hostname", name)
        check(voters == f"{nid}@{host}:9093" and "CONTROLLER://:9093" in env.get("KAFKA_LISTENERS", ""),
              f"{name}: single voter {voters} is itself on its CONTROLLER listener")
        check(f"PLAINTEXT://{host}:9092" in env.get("KAFKA_ADVERTISED_LISTENERS", "").split(",")
              and "PLAINTEXT://:9092" in env.get("KAFKA_LISTENERS", "").split(","),
              f"{name}: PLAINTEXT listener {host}:9092 for the other containers")
        rf = {k: v for k, v in env.items() if k.endswith("REPLICATION_FACTOR") or k.endswith("MIN_ISR")}
        check(len(rf) >= 3 and set(rf.values()) == {"1"}, f"{name}: internal topics with 1 replica ({rf})")
        check("healthcheck" in s, f"{name}: has a healthcheck (the workers wait for it)")
        kafka_hosts[name] = (host, env.get("CLUSTER_ID"))
    ids = [v[1] for v in kafka_hosts.values()]
    check(len(ids) == 2 and None not in ids and len(set(ids)) == 2, "the two clusters have distinct CLUSTER_IDs")

    workers = [f"worker-{i}" for i in (1, 2, 3)]
    dockerfile = os.path.join(src, "docker/Dockerfile")
    shared = None
    for n, name in enumerate(workers):
        s = services.get(name)
        if not s:
            continue
        b = s.get("build") or {}
        ctx = os.path.normpath(os.path.join(src, "docker", b.get("context", ".")))
        check(ctx == os.path.normpath(src) and os.path.join(ctx, b.get("dockerfile", "")) == dockerfile,
              f"{name}: builds docker/Dockerfile with the repository root as context")
        ports = s.get("ports", [])
        check(ports == [f"{8083 + n}:8083"], f"{name}: REST 8083 published as {8083 + n}")
        env = env_map(s, name)
        check(env.get("CONNECT_REST_ADVERTISED_HOST_NAME") == s.get("hostname", name) == name,
              f"{name}: advertises its own host name (forwarding to the leader)")
        check(env.get("CONNECT_BOOTSTRAP_SERVERS") == "kafka-a:9092", f"{name}: on cluster a (kafka-a:9092)")
        common = {k: v for k, v in env.items() if k != "CONNECT_REST_ADVERTISED_HOST_NAME"}
        if shared is None:
            shared = common
        check(common == shared, f"{name}: same group, topics and settings as worker-1")
        # the real translation, then every key against kconnect's tables
        r = print_config(os.path.join(src, "docker/entrypoint.sh"), env, tmp)
        if not check(r.returncode == 0, f"{name}: entrypoint print-config {r.stderr.strip()}"):
            continue
        props = dict(load_properties(r.stdout))
        bad = {k: key_problem(k, allowed, clients) for k in props}
        bad = {k: v for k, v in bad.items() if v}
        check(not bad, f"{name}: all {len(props)} worker keys are kconnect distributed-mode keys"
              + (f": {bad}" if bad else ""))
        need = {"group.id", "config.storage.topic", "offset.storage.topic", "status.storage.topic",
                "key.converter", "value.converter", "bootstrap.servers"}
        check(need <= set(props), f"{name}: sets {sorted(need - set(props)) or 'every required key'}")
        rfs = {k: v for k, v in props.items() if k.endswith(".replication.factor")}
        check(len(rfs) == 3 and set(rfs.values()) == {"1"}, f"{name}: internal topics' replication factor 1 {rfs}")
        check(props.get("listeners", "").endswith(":8083"), f"{name}: REST listener on 8083")
        deps = s.get("depends_on") or {}
        check(all(deps.get(k, {}).get("condition") == "service_healthy" for k in ("kafka-a", "kafka-b")),
              f"{name}: starts when both clusters are healthy")
    for name in workers[1:]:
        if name in services and "worker-1" in services:
            check(services[name].get("image") == services["worker-1"].get("image"), f"{name}: same image")
    return compose


def check_create_service(src, tmp, compose):
    s = (compose.get("services") or {}).get("create-replication")
    if not s:
        return
    vols = s.get("volumes", [])
    check("./replication-both.json:/replication.json:ro" in vols, "create-replication mounts replication-both.json")
    check(s.get("image") == compose["services"].get("worker-1", {}).get("image"),
          "create-replication runs the kconnect image")
    check((s.get("depends_on") or {}).get("worker-1", {}).get("condition") == "service_healthy",
          "create-replication waits for worker-1's health check")
    check(str(s.get("restart", "no")) == "no", "create-replication is one-shot (restart: no)")
    cmd = s.get("command")
    if not check(isinstance(cmd, list) and cmd[:2] == ["bash", "-c"] and len(cmd) == 3, "command is bash -c SCRIPT"):
        return
    script = interpolate(cmd[2], "create-replication.command")
    if script is None:
        return
    check("kconnect replication --url http://worker-1:8083 create /replication.json" in script,
          "it runs kconnect replication --url http://worker-1:8083 create /replication.json")
    r = run(["bash", "-n", "-c", script])
    check(r.returncode == 0, f"bash -n of the script {r.stderr.strip()}")
    if shutil.which("shellcheck"):
        r = run(["shellcheck", "-S", "warning", "-s", "bash", "-"], inp=script)
        check(r.returncode == 0, f"shellcheck of the script {r.stdout.strip()}")
    # run it against a stub: `list` unreachable twice, then up; `create` 409 once, then the given outcome
    bindir = os.path.join(tmp, "stubs")
    os.makedirs(bindir, exist_ok=True)
    with open(os.path.join(bindir, "sleep"), "w") as f:
        f.write("#!/bin/sh\nexit 0\n")
    with open(os.path.join(bindir, "kconnect"), "w") as f:
        f.write(r'''#!/bin/bash
state="$STUB_DIR/$4"; n=$(( $(cat "$state" 2>/dev/null || echo 0) + 1 )); echo $n > "$state"
echo "$*" >> "$STUB_DIR/calls"
case "$4" in
  list) [ $n -le 2 ] && { echo "connection refused" >&2; exit 3; }; echo '[]'; exit 0 ;;
  create)
    [ "$5" = /replication.json ] || exit 2
    [ $n -le 1 ] && { echo "kconnect: replication: HTTP 409: rebalance in progress" >&2; exit 1; }
    case "$STUB_CREATE" in
      ok) echo '{"name":"demo-ab"}'; exit 0 ;;
      exists) echo "kconnect: replication: HTTP 409: a replication named 'demo-ab' already exists" >&2; exit 1 ;;
      bad) echo "kconnect: replication: HTTP 400: direction 'x' is invalid" >&2; exit 1 ;;
    esac ;;
esac
exit 2
''')
    for p in ("sleep", "kconnect"):
        os.chmod(os.path.join(bindir, p), 0o755)
    outcomes = {}
    for mode in ("ok", "exists", "bad"):
        sd = tempfile.mkdtemp(dir=tmp)
        env = base_env(tmp, stubs=bindir)
        env.update({"STUB_DIR": sd, "STUB_CREATE": mode})
        r = run(["bash", "-c", script], env=env)
        calls = open(os.path.join(sd, "calls")).read().split("\n") if os.path.exists(os.path.join(sd, "calls")) else []
        outcomes[mode] = (r.returncode, sum(1 for c in calls if " create " in c))
    check(outcomes == {"ok": (0, 2), "exists": (0, 2), "bad": (1, 2)},
          f"the script waits for the worker, retries a 409, counts 'already exists' as done and stops on a 400 "
          f"(exit status, creates: {outcomes})")


# ---- Dockerfile -----------------------------------------------------------------------------------------

def check_dockerfile(src, kconnect):
    path = os.path.join(src, "docker/Dockerfile")
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as e:
        fail(f"docker/Dockerfile: {e}")
        return
    logical = re.sub(r"\\\n", " ", text)
    lines = [ln.strip() for ln in logical.split("\n") if ln.strip() and not ln.strip().startswith("#")]
    args = dict(re.findall(r"^ARG (\w+)=(\S+)", logical, re.M))
    froms = [re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), ln.split()[1])
             for ln in lines if ln.startswith("FROM ")]
    check(len(froms) >= 2 and all(f == "debian:12-slim" for f in froms), f"stages FROM debian:12-slim ({froms})")
    check("-DBUILD_TESTING=OFF" in logical and "--target kconnect" in logical,
          "builds only the kconnect target, tests off")
    cm = open(os.path.join(src, "CMakeLists.txt"), encoding="utf-8").read()
    check("include(CTest)" in cm and re.search(r"if\(BUILD_TESTING\)\s*\n\s*add_subdirectory\(tests\)", cm),
          "CMakeLists.txt gates tests/ on BUILD_TESTING (CUnit not needed in the image)")
    check("-DCMAKE_BUILD_TYPE=Release" in logical, "Release build")
    users = [ln.split()[1] for ln in lines if ln.startswith("USER ")]
    check(users and users[-1] not in ("root", "0"), f"runs as a non-root user ({users})")
    ent = [ln for ln in lines if ln.startswith("ENTRYPOINT ")]
    copy = re.search(r"^COPY docker/entrypoint\.sh (\S+)", logical, re.M)
    check(ent and copy and copy.group(1) in ent[-1], "ENTRYPOINT is the copied docker/entrypoint.sh")
    hc = [ln for ln in lines if ln.startswith("HEALTHCHECK ")]
    check(hc and copy and copy.group(1) in hc[-1] and "healthcheck" in hc[-1],
          "HEALTHCHECK runs the entrypoint's healthcheck")
    check("COPY --from=build /build/kconnect /usr/local/bin/kconnect" in logical, "binary in /usr/local/bin")
    ignore = os.path.join(src, "docker/Dockerfile.dockerignore")
    pats = open(ignore).read().split("\n") if os.path.exists(ignore) else []
    check({"build*", "tests/env/cache", "bench/work"} <= set(pats),
          "Dockerfile.dockerignore keeps build trees, the test bed cache and bench data out of the context")
    # runtime packages vs the libraries the binary links
    stages = re.split(r"^FROM ", logical, flags=re.M)
    runtime = stages[-1] if len(stages) > 2 else ""
    m = re.search(r"apt-get install (.*?)(&&|$)", runtime, re.M)
    pkgs = set(t for t in (m.group(1).split() if m else []) if not t.startswith("-"))
    if not kconnect or not os.path.exists(kconnect):
        skip("runtime packages vs NEEDED libraries: no kconnect binary given")
        return
    if not (shutil.which("readelf") and shutil.which("dpkg") and shutil.which("ldd")):
        skip("runtime packages vs NEEDED libraries: readelf, ldd or dpkg missing")
        return
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", run(["readelf", "-d", kconnect]).stdout)
    # a sanitizer build (scripts/test's second build) links the sanitizer runtimes, which the image's
    # Release build does not: they are not the image's business
    needed = [lib for lib in needed if not re.match(r"lib(asan|ubsan|lsan|tsan)\.so", lib)]
    paths = dict(re.findall(r"^\s*(\S+) => (\S+)", run(["ldd", kconnect]).stdout, re.M))
    queries = sorted({q for lib in needed if paths.get(lib) for q in (paths[lib], os.path.realpath(paths[lib]))})
    owner = {}
    for line in run(["dpkg", "-S"] + queries).stdout.split("\n") if queries else []:
        m = re.match(r"^([^:,\s]+)(?::[^:\s]+)?: (\S+)$", line)
        if m:
            owner[m.group(2)] = m.group(1)
    missing = {}
    for lib in needed:
        p = paths.get(lib)
        pkg = owner.get(p) or owner.get(os.path.realpath(p)) if p else None
        if not p:
            missing[lib] = "not resolved by ldd"
        elif pkg is None:
            missing[lib] = "no package owns it"
        elif pkg not in pkgs and pkg != "libc6":
            missing[lib] = pkg
    check(needed and not missing, f"runtime stage installs the package of every NEEDED library of kconnect "
          f"({len(needed)} libraries; missing: {missing})")


def check_compose_cli(src):
    docker = shutil.which("docker")
    if not docker:
        skip("docker compose config: no docker CLI")
        return
    try:
        v = run([docker, "compose", "version"], timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        v = None
    if v is None or v.returncode != 0:
        skip("docker compose config: the docker CLI has no compose plugin")
        return
    r = run([docker, "compose", "-f", os.path.join(src, "docker/docker-compose.yml"), "config", "-q"], timeout=60)
    check(r.returncode == 0, f"docker compose config -q {r.stderr.strip()}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--kconnect")
    a = ap.parse_args()
    src = os.path.abspath(a.source_dir)
    sections = worker_keys(src)
    both, dist = sections.get("Both modes"), sections.get("Distributed mode")
    if not check(both and dist and "group.id" in dist and "bootstrap.servers" in both,
                 f"doc/config-worker.md parsed ({', '.join(f'{k}: {len(v)}' for k, v in sections.items())})"):
        return 1
    allowed = both | dist
    clients = client_keys(src)
    if not check(len(clients) > 50 and "linger.ms" in clients and "auto.offset.reset" in clients,
                 f"client_config.c's key table parsed ({len(clients)} keys)"):
        return 1
    check_key_rules(allowed, clients)
    with tempfile.TemporaryDirectory(prefix="kc-docker-check-") as tmp:
        check_entrypoint(src, tmp)
        compose = check_compose(src, tmp, allowed, clients)
        check_create_service(src, tmp, compose)
        check_replication(src, compose)
    for var, defaults in VAR_DEFAULTS.items():
        check(len(defaults) == 1, f"${{{var}}} has one default everywhere ({sorted(defaults)})")
    check_dockerfile(src, a.kconnect)
    check_compose_cli(src)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
