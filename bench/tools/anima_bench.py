#!/usr/bin/env python3
"""Anima kernel benchmarks: run, summarize, record a baseline, find regressions.

    anima_bench.py run     [--quick] [--build-dir B] [--baseline F | --no-compare]
                           [--out F] [--filter RE] [--repetitions N] [--min-time S]
    anima_bench.py record  --device NAME [run options]   (writes bench/baselines/NAME.json)
    anima_bench.py compare RESULTS.json BASELINE.json [--quick]
    anima_bench.py show    RESULTS.json

`run` executes every kernel benchmark binary (anima-bench-plastic,
anima-bench-memory) with JSON output, repetitions and medians, single
threaded (OPENBLAS_NUM_THREADS=1), and prints one table: median time, GB/s
on the compulsory bytes, and the ratios measured inside the same run:

    x_triad    GB/s / the STREAM triad's GB/s at the same footprint
    x_dense    time of the dense OpenBLAS equivalent / this time
    x_unfused  time of the unfused sparse sequence / this time
    fwd        this time / the forward-only kernel's time (step benchmarks)

then the issue-6 targets, then (unless --no-compare) the comparison with the
stored baseline of this device. Regressions are judged on the ratios only
(absolute times move with the machine's load; ratios measured in one run
mostly do not): a ratio regresses when it is worse than the baseline's by
more than max(threshold, 3 x the combined coefficient of variation of the
two runs). Quick mode (a small subset, < 2 minutes, the ctest smoke check)
fails only on benchmark errors and on gross regressions (a ratio worse by
more than --gross, default 60%, i.e. a 2.5x slowdown); smaller ones are
printed as warnings.

Exit status: 0 ok, 1 regressions (or errors), 2 usage or build problems.
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASELINE_DIR = os.path.join(ROOT, "bench", "baselines")
BINARIES = ["anima-bench-plastic", "anima-bench-memory"]

# Ratio metrics: name -> (label key, direction). "higher" metrics are better
# when larger; "lower" ones when smaller.
METRICS = {
    "x_triad": ("triad", "higher"),
    "x_dense": ("dense", "higher"),
    "x_unfused": ("unfused", "higher"),
    "fwd": ("fwd", "lower"),
}

# The targets of issue 6, for each backend they are checked on.
def targets_for(backend):
    b = backend
    return [
        ("fused plastic step k=256 fresh: >= 85% of triad bandwidth",
         f"plastic_step/{b}/k=256/fresh", "x_triad", ">=", 0.85),
        ("fused plastic step k=256 fresh: >= 40x dense sgemv + sger",
         f"plastic_step/{b}/k=256/fresh", "x_dense", ">=", 40.0),
        ("fused plastic step <= 1.2x forward-only gather_matvec",
         f"plastic_step/{b}/k=256/fresh", "fwd", "<=", 1.2),
        ("fused memory step d=512: within 1.3x of its bandwidth bound",
         f"mem_step/{b}/d=512", "x_triad", ">=", 1.0 / 1.3),
        ("fused memory step d=512: >= 2x the unfused sequence",
         f"mem_step/{b}/d=512", "x_unfused", ">=", 2.0),
        ("kwta N=16384 k=256: < 10% of the fused step's time",
         f"kwta/{b}/k=256", "share:plastic_step/%s/k=256/fresh" % b, "<", 0.10),
    ]


def die(msg, code=2):
    print(f"anima_bench: {msg}", file=sys.stderr)
    sys.exit(code)


def device_name():
    model = platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") or line.startswith("Model"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    slug = re.sub(r"[^a-z0-9]+", "-", model.lower()).strip("-")
    return f"{platform.machine()}-{slug}-{os.cpu_count()}cpu"


def find_binary(build_dir, name):
    for sub in ("bin", "bench", os.path.join("anima", "bin")):
        path = os.path.join(build_dir, sub, name)
        if os.access(path, os.X_OK):
            return path
    return None


# ----------------------------------------------------------------------------
# Running and summarizing
# ----------------------------------------------------------------------------

def run_binary(path, args, quick):
    # Random interleaving spreads each benchmark's repetitions over the whole
    # run, so slow drifts of the machine's load hit both sides of a ratio.
    cmd = [path, "--benchmark_format=json",
           f"--benchmark_repetitions={args.repetitions}",
           "--benchmark_enable_random_interleaving=true",
           "--benchmark_report_aggregates_only=true",
           f"--benchmark_min_time={args.min_time}"]
    if args.filter:
        cmd.append(f"--benchmark_filter={args.filter}")
    if quick:
        cmd.append("--quick")
    if args.real_time:
        cmd.append("--real-time")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    print(f"anima_bench: running {' '.join(os.path.basename(c) if i == 0 else c for i, c in enumerate(cmd))}",
          file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, env=env, text=True)
    if proc.returncode != 0:
        die(f"{os.path.basename(path)} exited with {proc.returncode}", 1)
    return json.loads(proc.stdout)


UNIT = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}


def summarize(raw_runs):
    """Google Benchmark JSON (one per binary) -> (context, {name: entry}).

    Times are the clock the binaries measured with (context anima_clock:
    process CPU time by default, wall time with --real-time; wall time always
    for benchmarks registered with UseRealTime, the Vulkan rows); GB/s is
    recomputed from them and the compulsory bytes."""
    out = {}
    context = {}
    for raw in raw_runs:
        ctx = raw.get("context", {})
        context.update(ctx)
        clock = "real_time" if ctx.get("anima_clock") == "real" else "cpu_time"
        for b in raw.get("benchmarks", []):
            run_name = b.get("run_name", b["name"])
            # Benchmarks registered with UseRealTime (the Vulkan rows: the
            # work runs on the device's threads, not this process's) are
            # judged on wall time whatever the default clock.
            field = "real_time" if run_name.endswith("/real_time") else clock
            name = re.sub(r"/real_time$", "", run_name)
            e = out.setdefault(name, {})
            if b.get("error_occurred"):
                e["error"] = b.get("error_message", "error")
                continue
            agg = b.get("aggregate_name")
            is_agg = b.get("run_type") == "aggregate"
            if is_agg and agg == "cv":
                e["cv"] = b[field]  # stddev / mean of the time
                continue
            if is_agg and agg != "median":
                continue
            if not is_agg and "time_us" in e:
                continue  # single repetitions: keep the first
            e["time_us"] = b[field] * UNIT[b.get("time_unit", "us")]
            e["compulsory_bytes"] = b.get("compulsory_bytes", 0.0)
            e["bytes_per_second"] = e["compulsory_bytes"] / (e["time_us"] * 1e-6) \
                if e["time_us"] > 0 else 0.0
            e["label"] = b.get("label", "")
            e["repetitions"] = b.get("repetitions", 1)
    for e in out.values():
        e.setdefault("cv", 0.0)
    return context, out


def parse_label(label):
    return dict(kv.split("=", 1) for kv in label.split() if "=" in kv)


def ratios(bench):
    """Ratio metrics of every benchmark, from the medians of one run."""
    out = {}
    for name, e in bench.items():
        if "error" in e or "time_us" not in e:
            continue
        refs = parse_label(e.get("label", ""))
        r = {}
        for metric, (key, _) in METRICS.items():
            other = bench.get(refs.get(key, ""), {})
            if "time_us" not in other or "error" in other:
                continue
            cv = math.hypot(e["cv"], other["cv"])
            if metric == "x_triad":
                if other["bytes_per_second"] > 0:
                    r[metric] = (e["bytes_per_second"] / other["bytes_per_second"], cv)
            elif metric == "fwd":
                r[metric] = (e["time_us"] / other["time_us"], cv)
            else:
                r[metric] = (other["time_us"] / e["time_us"], cv)
        if r:
            out[name] = r
    return out


def check_targets(bench, rat):
    results = []
    backends = sorted({n.split("/")[1] for n in bench if n.startswith("plastic_step/")})
    for backend in backends:
        for text, name, metric, op, limit in targets_for(backend):
            value = None
            if metric.startswith("share:"):
                other = metric.split(":", 1)[1]
                a, b = bench.get(name, {}), bench.get(other, {})
                if "time_us" in a and "time_us" in b and "error" not in a and "error" not in b:
                    value = a["time_us"] / b["time_us"]
            else:
                value = rat.get(name, {}).get(metric, (None, 0))[0]
            if value is None:
                results.append({"backend": backend, "target": text, "value": None, "met": None})
                continue
            met = {">=": value >= limit, "<=": value <= limit, "<": value < limit}[op]
            results.append({"backend": backend, "target": text, "value": value,
                            "limit": f"{op} {limit:.3g}", "met": met})
    return results


def print_table(bench, rat):
    cols = f"{'benchmark':46} {'time us':>10} {'GB/s':>7} {'cv%':>5} {'x_triad':>7} {'x_dense':>8} {'x_unfused':>9} {'fwd':>5}"
    print(cols)
    print("-" * len(cols))

    def fmt(name, metric, spec):
        v = rat.get(name, {}).get(metric)
        return format(v[0], spec) if v else ""

    for name in sorted(bench, key=sort_key):
        e = bench[name]
        if "error" in e:
            print(f"{name:46} skipped: {e['error']}")
            continue
        if "time_us" not in e:
            continue
        print(f"{name:46} {e['time_us']:10.2f} {e['bytes_per_second'] / 1e9:7.2f} "
              f"{100 * e['cv']:5.1f} {fmt(name, 'x_triad', '7.2f'):>7} "
              f"{fmt(name, 'x_dense', '8.1f'):>8} {fmt(name, 'x_unfused', '9.2f'):>9} "
              f"{fmt(name, 'fwd', '5.2f'):>5}")


def sort_key(name):
    parts = name.split("/")
    order = {"triad": 0, "dense": 1}
    def num(p):
        m = re.search(r"=(\d+)", p)
        return int(m.group(1)) if m else 0
    return (order.get(parts[0], 2), parts[0], [num(p) for p in parts[2:]], parts)


def print_targets(targets):
    if not targets:
        return
    print("\nissue-6 targets (medians of this run):")
    for t in targets:
        if t["met"] is None:
            status, value = "n/a ", "(not measured)"
        else:
            status = "MET " if t["met"] else "MISS"
            value = f"{t['value']:.3g} (need {t['limit']})"
        print(f"  [{status}] {t['backend']:10} {t['target']}: {value}")


# ----------------------------------------------------------------------------
# Comparing with a baseline
# ----------------------------------------------------------------------------

def compare(result, baseline, threshold, gross, quick):
    """Returns (failures, warnings): lists of text lines."""
    failures, warnings = [], []
    base_rat = baseline.get("ratios", {})
    new_rat = result.get("ratios", {})
    new_bench = result.get("benchmarks", {})
    for name, e in new_bench.items():
        if "error" in e and "backend" not in e["error"] and "vulkan" not in name:
            failures.append(f"{name}: error: {e['error']}")
    for name, metrics in sorted(base_rat.items()):
        if name not in new_bench:
            continue  # not run this time (quick mode, filter)
        for metric, (base_value, base_cv) in metrics.items():
            got = new_rat.get(name, {}).get(metric)
            if got is None:
                # Quick runs lack some comparison benchmarks: not a finding.
                if not quick and "error" not in new_bench.get(name, {}):
                    warnings.append(f"{name} {metric}: not measured this time")
                continue
            value, cv = got
            direction = METRICS[metric][1]
            # Relative change in the "worse" direction.
            worse = (base_value - value) / base_value if direction == "higher" \
                else (value - base_value) / base_value
            noise = 3.0 * math.hypot(cv, base_cv)
            limit = max(threshold, noise)
            line = (f"{name} {metric}: {value:.3g} vs baseline {base_value:.3g} "
                    f"({100 * worse:+.1f}% worse; limit {100 * limit:.1f}%)")
            if worse > max(gross, limit) if quick else worse > limit:
                failures.append(line)
            elif worse > limit:
                warnings.append(line)
    return failures, warnings


# ----------------------------------------------------------------------------
# Commands
# ----------------------------------------------------------------------------

def do_run(args, record=False):
    quick = args.quick
    if args.repetitions is None:
        args.repetitions = 3 if quick else 5
    if args.min_time is None:
        args.min_time = 0.05 if quick else 0.2
    build = os.path.abspath(args.build_dir)
    raws = []
    for name in BINARIES:
        path = find_binary(build, name)
        if not path:
            die(f"{name} not found under {build} (build it: ninja -C {build} {name})")
        raws.append(run_binary(path, args, quick))
    context, bench = summarize(raws)
    rat = ratios(bench)
    targets = check_targets(bench, rat)
    result = {
        "format": "anima-bench/1",
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "device": args.device or device_name(),
        "mode": "quick" if quick else "full",
        "repetitions": args.repetitions,
        "min_time": args.min_time,
        "context": {k: context.get(k) for k in
                    ("host_name", "num_cpus", "mhz_per_cpu", "caches", "load_avg",
                     "anima_uk_isa", "anima_clock", "library_build_type")
                    if k in context},
        "benchmarks": bench,
        "ratios": rat,
        "targets": targets,
    }
    print_table(bench, rat)
    print_targets(targets)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
        print(f"\nanima_bench: wrote {args.out}")
    if record:
        path = os.path.join(BASELINE_DIR, f"{result['device']}.json")
        os.makedirs(BASELINE_DIR, exist_ok=True)
        with open(path, "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
        print(f"anima_bench: recorded baseline {path}")
        return 0
    if args.no_compare:
        return 0 if not any("error" in e and "vulkan" not in n for n, e in bench.items()) else 1
    baseline_path = args.baseline or os.path.join(BASELINE_DIR, f"{result['device']}.json")
    if not os.path.exists(baseline_path):
        print(f"\nanima_bench: no baseline for this device ({baseline_path}); "
              f"record one with: anima_bench.py record")
        errors = [n for n, e in bench.items() if "error" in e and "vulkan" not in n]
        for n in errors:
            print(f"  error: {n}: {bench[n]['error']}")
        return 1 if errors else 0
    with open(baseline_path) as f:
        baseline = json.load(f)
    return report_comparison(result, baseline, baseline_path, args.threshold, args.gross, quick)


def report_comparison(result, baseline, baseline_path, threshold, gross, quick):
    failures, warnings = compare(result, baseline, threshold, gross, quick)
    print(f"\ncomparison with {baseline_path} ({baseline.get('date', '?')}, "
          f"{baseline.get('mode', '?')} mode):")
    for w in warnings:
        print(f"  warning: {w}")
    for f in failures:
        print(f"  REGRESSION: {f}")
    if not failures:
        print(f"  ok: no regression beyond the noise-aware threshold"
              f" ({len(warnings)} warning(s))")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def run_options(p):
        p.add_argument("--build-dir", default=os.environ.get("ANIMA_BUILD_DIR",
                                                             os.path.join(ROOT, "build")))
        p.add_argument("--quick", action="store_true", help="small subset (< 2 minutes)")
        p.add_argument("--filter", help="Google Benchmark --benchmark_filter regex")
        p.add_argument("--repetitions", type=int, help="default 5 (quick: 3)")
        p.add_argument("--min-time", type=float, help="seconds per repetition (default 0.2, quick 0.05)")
        p.add_argument("--out", help="write the summary JSON here")
        p.add_argument("--real-time", action="store_true",
                       help="time with the wall clock (default: process CPU time)")
        p.add_argument("--device", help="device name (default: from the CPU model)")
        p.add_argument("--threshold", type=float, default=0.10,
                       help="smallest relative ratio change that counts (default 0.10)")
        p.add_argument("--gross", type=float, default=0.60,
                       help="quick mode fails only beyond this change (default 0.60)")

    p = sub.add_parser("run", help="run, summarize, compare with the baseline")
    run_options(p)
    p.add_argument("--baseline", help="baseline JSON (default bench/baselines/<device>.json)")
    p.add_argument("--no-compare", action="store_true")
    p = sub.add_parser("record", help="run and store the result as this device's baseline")
    run_options(p)
    p = sub.add_parser("compare", help="compare two summary JSON files")
    p.add_argument("result")
    p.add_argument("baseline")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--threshold", type=float, default=0.10)
    p.add_argument("--gross", type=float, default=0.60)
    p = sub.add_parser("show", help="print the table and targets of a summary JSON")
    p.add_argument("result")
    args = parser.parse_args()

    if args.command == "run":
        sys.exit(do_run(args))
    if args.command == "record":
        args.no_compare = True
        sys.exit(do_run(args, record=True))
    if args.command == "compare":
        with open(args.result) as f:
            result = json.load(f)
        with open(args.baseline) as f:
            baseline = json.load(f)
        sys.exit(report_comparison(result, baseline, args.baseline, args.threshold,
                                   args.gross, args.quick))
    if args.command == "show":
        with open(args.result) as f:
            result = json.load(f)
        print_table(result["benchmarks"], result["ratios"])
        print_targets(result.get("targets", []))


if __name__ == "__main__":
    main()
