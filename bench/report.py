#!/usr/bin/env python3
"""bench/report.py: turns bench/run's measurements into OUT.md, OUT.json and OUT.png (gnuplot).

Inputs: --settings (one JSON object), --measure (JSON lines {"kind","who","size","m"}), --phases
(JSON lines {"phase","s"}), --total-s, --out (path without extension). Standard library only."""
import argparse
import json
import os
import subprocess
import sys

WHO = [("kconnect", "kconnect"), ("mm2", "Java MM2"), ("raw", "raw librdkafka pipe")]
SIZES = [("100", "100 B"), ("1k", "1 KiB")]


def load_lines(path):
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    out.append(json.loads(line))
    return out


def fmt(v, digits=None):
    if v is None:
        return "–"
    if digits is None:
        digits = 0 if abs(v) >= 1000 else 2 if abs(v) < 10 else 1
    return f"{v:,.{digits}f}"


def ratio(a, b):
    return a / b if a is not None and b not in (None, 0) else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--settings", required=True)
    ap.add_argument("--measure", required=True)
    ap.add_argument("--phases", required=True)
    ap.add_argument("--total-s", type=float, default=0)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    with open(a.settings) as f:
        st = json.load(f)
    meas = load_lines(a.measure)
    phases = load_lines(a.phases)

    bytes_of = {"100": st["preload_100"]["bytes"], "1k": st["preload_1k"]["bytes"]}
    recs_of = {"100": st["preload_100"]["records"], "1k": st["preload_1k"]["records"]}

    # ---- per contestant figures ----
    res = {w: {"copy": {}, "commit": [], "commit_notes": [], "failover": None} for w, _ in WHO}
    for m in meas:
        r = res.setdefault(m["who"], {"copy": {}, "commit": [], "commit_notes": [], "failover": None})
        d = m["m"]
        if m["kind"] == "copy":
            c = {"raw": d}
            if d and not d.get("timeout"):
                s = d["done_ms"] / 1000.0
                n = recs_of[m["size"]]
                c.update(seconds=s, records_per_s=n / s, mb_per_s=bytes_of[m["size"]] / s / 1e6,
                         cpu_s=d["cpu_s"], cpu_us_per_record=d["cpu_s"] / n * 1e6,
                         peak_rss_mb=d["hwm_kb"] / 1024.0, first_record_s=d["first_ms"] / 1000.0)
                # from the first record on B to the last: without the start-up (JVM class loading, JIT,
                # group joins); the records already on B at the first poll are few (20 ms of copying)
                if d.get("cpu_first_s", -1) >= 0 and d["done_ms"] > d["first_ms"]:
                    c.update(steady_records_per_s=n / ((d["done_ms"] - d["first_ms"]) / 1000.0),
                             steady_cpu_us_per_record=(d["cpu_s"] - d["cpu_first_s"]) / n * 1e6)
            else:
                c["error"] = (d or {}).get("error", "no result") if d else "no result"
                if d and d.get("timeout") and "error" not in d:
                    c["error"] = f"timeout: {d.get('records', 0)} records on B"
            r["copy"][m["size"]] = c
        elif m["kind"] == "commit":
            if d and "delay_ms" in d:
                r["commit"].append(d["delay_ms"] / 1000.0)
            else:
                r["commit_notes"].append(f"{m['size']}: no change on B within {((d or {}).get('waited_ms', 0)) / 1000:.0f} s")
        elif m["kind"] == "failover":
            r["failover"] = d

    def failover_s(w):
        d = res[w]["failover"]
        if not d or "result" not in d or not d["result"]:
            return None, (d or {}).get("error", "not run") if d else "not run"
        r = d["result"]
        note = f"stop {r.get('stop_ms', 0) / 1000:.1f} s, {r.get('stalled', '?')}/8 partitions stalled, " \
               f"stopped worker ran {d.get('victim_source_tasks', '?')} source task(s)"
        if r.get("timeout"):
            return None, r.get("error", f"partitions not flowing again within the timeout ({note})")
        return r["failover_ms"] / 1000.0, note

    summary = {}
    for w, _ in WHO:
        s = {}
        for size, _ in SIZES:
            c = res[w]["copy"].get(size)
            if c:
                for k in ("records_per_s", "mb_per_s", "cpu_s", "cpu_us_per_record", "peak_rss_mb", "first_record_s",
                          "seconds", "steady_records_per_s", "steady_cpu_us_per_record"):
                    s[f"{k}_{size}"] = c.get(k)
                if c.get("error"):
                    s[f"error_{size}"] = c["error"]
        cm = res[w]["commit"]
        s["commit_delay_s"] = sum(cm) / len(cm) if cm else None
        s["commit_delay_samples_s"] = cm
        s["commit_notes"] = res[w]["commit_notes"]
        fo, note = failover_s(w) if w != "raw" else (None, "n/a")
        s["failover_s"] = fo
        s["failover_note"] = note
        rss = [s.get(f"peak_rss_mb_{z}") for z, _ in SIZES if s.get(f"peak_rss_mb_{z}") is not None]
        s["peak_rss_mb"] = max(rss) if rss else None
        fr = [s.get(f"first_record_s_{z}") for z, _ in SIZES if s.get(f"first_record_s_{z}") is not None]
        s["first_record_s"] = max(fr) if fr else None
        summary[w] = s

    k, j, r = summary["kconnect"], summary["mm2"], summary["raw"]

    # ---- goals (shown, never asserted) ----
    goals = []

    def goal(text, value, ok, shown):
        goals.append({"goal": text, "value": value, "met": ok, "shown": shown})

    for size, label in SIZES:
        q = ratio(k.get(f"records_per_s_{size}"), j.get(f"records_per_s_{size}"))
        goal(f"throughput ≥ 2× MM2 ({label})", q, None if q is None else q >= 2, f"{fmt(q)}×")
        q = ratio(k.get(f"records_per_s_{size}"), r.get(f"records_per_s_{size}"))
        goal(f"throughput ≥ 0.9× raw ({label})", q, None if q is None else q >= 0.9, f"{fmt(q)}×")
    for size, label in SIZES:
        q = ratio(k.get(f"cpu_us_per_record_{size}"), j.get(f"cpu_us_per_record_{size}"))
        goal(f"CPU per record ≤ ¼ of MM2 ({label})", q, None if q is None else q <= 0.25, f"{fmt(q)}×")
    q = ratio(k["peak_rss_mb"], j["peak_rss_mb"])
    goal("peak RSS ≤ 1/10 of MM2", q, None if q is None else q <= 0.1, f"{fmt(q)}×")
    goal("peak RSS ≤ 50 MB", k["peak_rss_mb"], None if k["peak_rss_mb"] is None else k["peak_rss_mb"] <= 50,
         f"{fmt(k['peak_rss_mb'])} MB")
    goal("first record on B ≤ 1 s after start", k["first_record_s"],
         None if k["first_record_s"] is None else k["first_record_s"] <= 1, f"{fmt(k['first_record_s'])} s")
    goal("translated offset on B ≤ 1 s after the commit (1 s intervals)", k["commit_delay_s"],
         None if k["commit_delay_s"] is None else k["commit_delay_s"] <= 1, f"{fmt(k['commit_delay_s'])} s (mean)")

    # ---- markdown ----
    md = []
    title = "kconnect vs Java MirrorMaker 2 vs raw librdkafka" + (" (--quick)" if st["quick"] else "")
    md.append(f"# {title}\n")
    md.append(f"Run {st['date']} by `bench/run{' --quick' if st['quick'] else ''}`, {a.total_s:.0f} s in all. "
              "Figures from a shared or busy machine are indicative only.\n")
    md.append("| | |\n| --- | --- |")
    md.append(f"| machine | {st['nproc']} cores, {st['cpu']}, {st['mem_kb'] / 1048576:.1f} GiB RAM, load average at the end {st['loadavg']} |")
    md.append(f"| kconnect | `{st['kconnect_rev']}` ({st['kconnect_version']}) |")
    md.append(f"| librdkafka | {st['librdkafka']} |")
    md.append(f"| Kafka (brokers and MM2) | {st['kafka']}, test bed: clusters A and B, one broker each, PLAINTEXT on 127.0.0.1 |")
    md.append(f"| Java | {st['java']}, MM2 with `-Xms64m -Xmx{st['java_xmx']}`, default GC |")
    md.append(f"| data | `bench-100`: {st['records_100']:,} records, 11-byte keys, 100-byte values ({bytes_of['100'] / 1e6:.1f} MB); "
              f"`bench-1k`: {st['records_1k']:,} records, 1024-byte values ({bytes_of['1k'] / 1e6:.1f} MB); "
              f"{st['partitions']} partitions each, no headers |")
    md.append(f"| settings | tasks.max={st['tasks_max']}; producer acks=all, linger.ms={st['linger_ms']}, "
              f"batch.size={st['batch_size']}, compression none; consumers at their defaults; "
              "emit.checkpoints.interval.seconds=1, sync.group.offsets.interval.seconds=1, "
              "refresh.groups/topics.interval.seconds=5; heartbeats off, only the flow A->B |")
    md.append(f"| failover | two workers, {st['live_rate']} records/s written to A, {st['settle_s']} s settle, "
              f"SIGTERM to the worker with the most MirrorSource tasks; scheduled.rebalance.max.delay.ms={st['rebalance_delay_ms']} |")
    md.append("")

    def pair(w, key, digits=None):
        return " / ".join(fmt(summary[w].get(f"{key}_{z}"), digits) for z, _ in SIZES)

    def pair_ratio(w2, key):
        return " / ".join(fmt(ratio(k.get(f"{key}_{z}"), summary[w2].get(f"{key}_{z}"))) for z, _ in SIZES)

    md.append("## Results\n")
    md.append("Pairs are `100 B / 1 KiB`. Times count from the process start; the *steady* columns count from "
              "the first record on B to the last (start-up excluded).\n")
    hdr = ["", "records/s", "MB/s", "copy s", "CPU s", "CPU µs/record", "peak RSS MB", "first record s",
           "failover s", "commit → B s", "steady records/s", "steady CPU µs/record"]
    md.append("| " + " | ".join(hdr) + " |")
    md.append("|" + "---|" * len(hdr))
    for w, label in WHO:
        s = summary[w]
        commit = fmt(s["commit_delay_s"]) if s["commit_delay_s"] is not None else (
            "n/a" if w == "raw" else "; ".join(s["commit_notes"]) or "not measured")
        if s["commit_delay_samples_s"]:
            commit += " (" + ", ".join(fmt(x) for x in s["commit_delay_samples_s"]) + ")"
        fo = "n/a" if w == "raw" else (fmt(s["failover_s"]) if s["failover_s"] is not None else s["failover_note"])
        md.append(f"| {label} | {pair(w, 'records_per_s')} | {pair(w, 'mb_per_s')} | {pair(w, 'seconds')} | "
                  f"{pair(w, 'cpu_s')} | {pair(w, 'cpu_us_per_record')} | {pair(w, 'peak_rss_mb')} | "
                  f"{pair(w, 'first_record_s')} | {fo} | {commit} | {pair(w, 'steady_records_per_s')} | "
                  f"{pair(w, 'steady_cpu_us_per_record')} |")
    for w2, label in (("mm2", "kconnect / MM2"), ("raw", "kconnect / raw")):
        fo = fmt(ratio(k["failover_s"], summary[w2]["failover_s"])) if w2 == "mm2" else "–"
        cm = fmt(ratio(k["commit_delay_s"], summary[w2]["commit_delay_s"])) if w2 == "mm2" else "–"
        md.append(f"| *{label}* | {pair_ratio(w2, 'records_per_s')} | {pair_ratio(w2, 'mb_per_s')} | "
                  f"{pair_ratio(w2, 'seconds')} | {pair_ratio(w2, 'cpu_s')} | {pair_ratio(w2, 'cpu_us_per_record')} | "
                  f"{pair_ratio(w2, 'peak_rss_mb')} | {pair_ratio(w2, 'first_record_s')} | {fo} | {cm} | "
                  f"{pair_ratio(w2, 'steady_records_per_s')} | {pair_ratio(w2, 'steady_cpu_us_per_record')} |")
    md.append("")
    errs = [f"- {label} {z}: {summary[w][f'error_{z}']}" for w, label in WHO for z, _ in SIZES if summary[w].get(f"error_{z}")]
    notes = [f"- failover, {label}: {summary[w]['failover_note']}" for w, label in WHO if w != "raw"]
    md.extend(errs + notes)
    md.append("")
    md.append("## Goals (shown, not asserted)\n")
    md.append("| goal | kconnect | |\n|---|---|---|")
    for g in goals:
        status = "not measured" if g["met"] is None else ("**met**" if g["met"] else "**missed**")
        md.append(f"| {g['goal']} | {g['shown']} | {status} |")
    md.append("")
    md.append("## Phases\n")
    md.append("| phase | s |\n|---|---|")
    for p in phases:
        md.append(f"| {p['phase']} | {p['s']:.1f} |")
    md.append(f"| total | {a.total_s:.0f} |")
    md.append("")
    md.append(f"![results]({os.path.basename(a.out)}.png)\n")
    with open(a.out + ".md", "w") as f:
        f.write("\n".join(md))

    with open(a.out + ".json", "w") as f:
        json.dump({"settings": st, "summary": summary, "goals": goals, "phases": phases, "total_s": a.total_s,
                   "raw": meas}, f, indent=1)
        f.write("\n")

    # ---- chart ----
    dat = a.out + ".dat"
    with open(dat, "w") as f:
        f.write("# who rps100 rps1k cpu100 cpu1k rss100 rss1k first failover commit\n")
        for w, label in WHO:
            s = summary[w]

            def v(x):
                return "NaN" if x is None else f"{x:.4f}"
            f.write(f"\"{label}\" {v(s.get('records_per_s_100'))} {v(s.get('records_per_s_1k'))} "
                    f"{v(s.get('cpu_us_per_record_100'))} {v(s.get('cpu_us_per_record_1k'))} "
                    f"{v(s.get('peak_rss_mb_100'))} {v(s.get('peak_rss_mb_1k'))} {v(s.get('first_record_s_100'))} "
                    f"{v(s['failover_s'])} {v(s['commit_delay_s'])}\n")
    cols = {2: "records_per_s_100", 3: "records_per_s_1k", 4: "cpu_us_per_record_100", 5: "cpu_us_per_record_1k",
            6: "peak_rss_mb_100", 7: "peak_rss_mb_1k", 8: "first_record_s_100", 9: "failover_s", 10: "commit_delay_s"}

    def panel(name, series, extra=""):
        """One plot; series = [(column, title)]; columns without any figure are left out (gnuplot
        stops at a plot whose points are all undefined)."""
        have = [(c, t) for c, t in series if any(summary[w].get(cols[c]) is not None for w, _ in WHO)]
        out = f'set title "{name}"\nset xrange [-0.6:2.6]\nset yrange [0:*]\n'
        if not have:
            return out + 'set yrange [0:1]\nset label 1 "not measured" at graph 0.5, 0.5 center\n' \
                         'plot -1 notitle\nunset label 1\n'
        parts = [f'"{dat}" using {have[0][0]}:xtic(1) title "{have[0][1]}"']
        parts += [f'"" using {c} title "{t}"' for c, t in have[1:]]
        return out + "plot " + ", ".join(parts) + extra + "\n"

    gp = f"""
set terminal pngcairo size 1400,900 font ",10"
set output "{a.out}.png"
set multiplot layout 2,2 title "{title} — {st['date']}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set key top right
set grid ytics
""" + panel("throughput (records/s, higher is better)", [(2, "100 B"), (3, "1 KiB")]) \
        + panel("CPU per record (µs, lower is better)", [(4, "100 B"), (5, "1 KiB")]) \
        + panel("peak RSS (MB, lower is better; goal ≤ 50)", [(6, "100 B"), (7, "1 KiB")],
                ', 50 with lines dt 2 lc rgb "red" title "50 MB"') \
        + panel("latencies (s, lower is better)", [(8, "first record"), (9, "failover"), (10, "commit → B")]) \
        + "unset multiplot\n"
    try:
        subprocess.run(["gnuplot"], input=gp, text=True, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"report.py: gnuplot failed: {getattr(e, 'stderr', e)}", file=sys.stderr)
    os.remove(dat)
    print("\n".join(md))


if __name__ == "__main__":
    main()
