"""Benchmark the JAX engine against two yardsticks, in one run.

    python benchmarks/run.py [--subjects 100 10000 100000] [--episodes 1000]
                             [--naive-subjects 200] [--threads 2]
                             [--out benchmarks/results.json] [--no-check]

For each cohort size, each implementation runs in its own subprocess (so that
peak memory does not mix), restricted to ``--threads`` CPUs:

* ``engine``: ``jit(vmap(scan(episode_step)))`` via ``engine.run_chunk`` over chunks
  of subjects (record "summary", float32, ``simulate``'s default chunk size);
  compile time = first call minus second call on one chunk (persistent
  compilation cache off); throughput on warm calls; and the public
  ``simulate(..., record="summary")`` on the same cohort, warm;
* ``engine float64`` (``--f64-at``, default at 10,000 subjects): the same in float64,
  the precision of the yardsticks;
* ``numba``: the subject-blocked parallel Numba kernel (``numba_kernel.py``),
  ``--threads`` threads; compile time = its first call;
* ``naive``: the plain-Python loop (``naive.py``), timed on
  ``min(subjects, --naive-subjects)`` subjects: its cost is linear in subjects
  (no shared work), so its rate applies to any cohort size.

First the equivalence check (``check_equivalence.py``: both yardsticks, driven by
the engine's own random numbers, reproduce the engine's float64 results to 1e-9).
Then prints a Markdown table (subject-episodes per second, ratios, compile seconds,
peak RSS) with the machine described, and writes the same to JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.timing import fields as _timing  # noqa: E402
from benchmarks.timing import BUSY_LIMIT, WAIT_LIMIT, repeat  # noqa: E402

ACCEPT_AT = 10_000
ACCEPT_VS_NAIVE = 20.0
ACCEPT_VS_NUMBA = 0.25


# ------------------------------------------------------------------ workers (subprocesses)

def _limit_cpus(threads: int) -> list[int]:
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) > threads:
        cpus = cpus[:threads]
        os.sched_setaffinity(0, set(cpus))
    return cpus


def _rss_mib() -> float:
    """Current resident set size (MiB)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker(a) -> dict:
    cpus = _limit_cpus(a.threads)
    from benchmarks.workload import bench_scenario, cohort_matrix, load, summarise

    text = bench_scenario(a.episodes)
    sc, cs, sched = load(text)
    e = sched.n_episodes
    res: dict = {"impl": a.worker, "subjects": a.n, "episodes": e, "cpus": cpus}
    rss0 = _rss_mib()
    if a.worker == "naive":
        from benchmarks import naive

        m = min(a.n, a.naive_subjects)
        prm = cohort_matrix(sc, m)       # the engine's subjects 0..m-1
        rss0 = _rss_mib()
        out = {}

        def once():
            out["acc"] = naive.run(sched, prm, seed=int(sc.scenario.seed))

        r = repeat(once, a.repeats, 0.0, a.max_time)
        dt = r["times"][r["best"]]
        s = summarise(out["acc"])
        res.update(measured_subjects=m, compile_s=0.0, extrapolated_seconds=a.n * dt / m,
                   **_timing(r, m * e),
                   means={k: float(s[k].sum(axis=1).mean()) for k in ("seek", "drug_taken")})
    elif a.worker == "numba":
        import numba

        from benchmarks import numba_kernel

        numba.set_num_threads(a.threads)
        prm = cohort_matrix(sc, a.n)     # the engine's cohort
        rss0 = _rss_mib()
        res["compile_s"] = numba_kernel.compile_seconds(sched, prm)
        res["threading_layer"] = numba.threading_layer()
        res["threads"] = numba.get_num_threads()
        out = {}

        def once():
            out["acc"] = numba_kernel.run(sched, prm, seed=int(sc.scenario.seed), block=a.block,
                                          threads=a.threads)

        r = repeat(once, a.repeats, a.min_time, a.max_time)
        s = summarise(out["acc"])
        res.update(block=a.block, **_timing(r, a.n * e),
                   means={k: float(s[k].sum(axis=1).mean()) for k in ("seek", "drug_taken")})
    elif a.worker in ("engine", "engine-dev", "engine-f64"):
        import jax

        from benchmarks.jax_engine import time_engine

        res["backend"] = jax.default_backend()
        res["devices"] = len(jax.local_devices())
        res["XLA_FLAGS"] = os.environ.get("XLA_FLAGS", "")
        res["precision"] = "float64" if a.worker == "engine-f64" else "float32"
        res.update(time_engine(text, a.n, chunk=a.chunk, precision=res["precision"],
                               repeats=a.repeats, min_time=a.min_time, max_time=a.max_time,
                               with_simulate=not a.no_simulate,
                               concurrent=a.threads if a.diagnostic_threads else 0))
    else:
        raise SystemExit(f"unknown worker {a.worker}")
    res["rss_before_run_mib"] = rss0
    res["peak_rss_mib"] = _peak_rss_mib()
    return res


# ------------------------------------------------------------------ parent

def machine() -> dict:
    info: dict = {"platform": platform.platform(), "python": platform.python_version()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        info["cpu"] = platform.processor()
    info["XLA_FLAGS"] = os.environ.get("XLA_FLAGS", "")
    info["logical_cpus"] = os.cpu_count()
    info["usable_cpus"] = len(os.sched_getaffinity(0))
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
        info["memory_gib"] = round(kib / 2**20, 1)
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    for pkg in ("jax", "jaxlib", "numba", "llvmlite", "numpy", "addictsim"):
        try:
            info[pkg] = version(pkg)
        except PackageNotFoundError:
            info[pkg] = None
    return info


def loadavg() -> list[float]:
    try:
        return [float(x) for x in open("/proc/loadavg").read().split()[:3]]
    except OSError:
        return []


def spawn(impl: str, n: int, a, env: dict) -> dict:
    """Run one worker in its own process; its result dict (or an "error")."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", impl, "--n", str(n),
           "--episodes", str(a.episodes), "--threads", str(a.threads),
           "--naive-subjects", str(a.naive_subjects), "--min-time", str(a.min_time),
           "--repeats", str(a.repeats), "--max-time", str(a.max_time),
           "--block", str(a.block), "--chunk", str(a.chunk)]
    if a.no_simulate:
        cmd.append("--no-simulate")
    if a.diagnostic_threads:
        cmd.append("--diagnostic-threads")
    import resource

    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=str(ROOT))
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    for line in p.stdout.splitlines()[::-1]:
        if line.startswith("RESULT "):
            res = json.loads(line[len("RESULT "):])
            res["process_wall_s"] = wall
            res["process_cpu_s"] = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
            res["load_average_after"] = loadavg()
            return res
    sys.stderr.write(p.stdout[-4000:] + p.stderr[-4000:])
    return {"impl": impl, "subjects": n, "error": (p.stderr or p.stdout)[-2000:].strip(),
            "returncode": p.returncode}


def fmt_rate(x) -> str:
    if x is None:
        return "—"
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e3:
        return f"{x / 1e3:.1f} k"
    return f"{x:.0f}"


def busy(r: dict, prefix: str = "") -> str:
    """Others' share of the CPUs during the reported run, '*' when it was disturbed."""
    b = r.get(f"{prefix}busy_share")
    if b is None:
        return ""
    return f"{100 * b:.0f}" + (" *" if r.get(f"{prefix}disturbed") else "")


def table(results: list[dict], info: dict, a) -> str:
    by = {(r["subjects"], r["impl"]): r for r in results}
    lines = ["| subjects | implementation | subject-episodes/s | × naive | engine / Numba "
             "| compile s | peak RSS MiB | run Δ RSS MiB | others' CPU % |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for n in a.subjects:
        naive = by.get((n, "naive"), {}).get("rate")
        numba = by.get((n, "numba"), {}).get("rate")
        rows = []
        dev = f"{a.threads} CPU devices"
        for impl, label in (("engine", "JAX engine (float32), 1 device"),
                            ("engine-dev", f"JAX engine (float32), {dev}"),
                            ("engine-f64", "JAX engine (float64), "
                             + (dev if by.get((n, "engine-f64"), {}).get("devices", 1) > 1
                                else "1 device")),
                            ("numba", f"Numba, {a.threads} threads"), ("naive", "naive Python")):
            r = by.get((n, impl))
            if r is None:
                continue
            if "error" in r:
                rows.append((f"{label}: FAILED", None, None, None, ""))
                continue
            comp = r.get("compile_s")
            rss = (r.get("peak_rss_mib"),
                   max(0.0, r.get("peak_rss_mib", 0) - r.get("rss_before_run_mib", 0)))
            rows.append((label, r["rate"], comp, rss, busy(r)))
            if impl.startswith("engine") and r.get("simulate_rate"):
                rows.append((f"{label} via simulate()", r["simulate_rate"], None, None,
                             busy(r, "simulate_")))
            if r.get("concurrent_rate"):
                rows.append((f"{label}, {r['concurrent_workers']} chunks at once (diagnostic)",
                             r["concurrent_rate"], None, None, busy(r, "concurrent_")))
        for label, rate, comp, rss, bz in rows:
            vs_naive = f"{rate / naive:.0f}×" if rate and naive else "—"
            vs_numba = (f"{rate / numba:.2f}" if rate and numba and label.startswith("JAX")
                        else "—")
            if label.startswith("naive") and by[(n, "naive")].get("measured_subjects", n) < n:
                label += f" (timed on {by[(n, 'naive')]['measured_subjects']})"
            lines.append(f"| {n:,} | {label} | {fmt_rate(rate)} | {vs_naive} | {vs_numba} | "
                         f"{'' if comp is None else f'{comp:.1f}'} | "
                         f"{' | ' if rss is None else f'{rss[0]:.0f} | {rss[1]:.0f}'} | {bz} |")
    return "\n".join(lines)


def acceptance(results: list[dict]) -> list[dict]:
    """The acceptance ratios at ``ACCEPT_AT`` subjects, for each engine configuration."""
    by = {(r["subjects"], r["impl"]): r for r in results if "error" not in r}
    out = []
    for impl in ("engine", "engine-dev"):
        try:
            eng = by[(ACCEPT_AT, impl)]["rate"]
            nai = by[(ACCEPT_AT, "naive")]["rate"]
            nmb = by[(ACCEPT_AT, "numba")]["rate"]
        except KeyError:
            continue
        disturbed = [k for k in (impl, "naive", "numba")
                     if by[(ACCEPT_AT, k)].get("disturbed")]
        out.append({"subjects": ACCEPT_AT, "engine": impl, "disturbed": disturbed,
                    "devices": by[(ACCEPT_AT, impl)].get("devices", 1),
                    "engine_vs_naive": eng / nai, "engine_vs_numba": eng / nmb,
                    "pass_vs_naive": eng / nai >= ACCEPT_VS_NAIVE,
                    "pass_vs_numba": eng / nmb >= ACCEPT_VS_NUMBA})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--subjects", type=int, nargs="+", default=[100, 10_000, 100_000])
    ap.add_argument("--episodes", type=int, default=1000)
    ap.add_argument("--naive-subjects", type=int, default=200,
                    help="subjects the naive loop is timed on (its rate is per subject-episode)")
    ap.add_argument("--threads", type=int, default=2, help="CPUs / Numba threads for every run")
    ap.add_argument("--out", type=Path, default=HERE / "results.json")
    ap.add_argument("--chunk", type=int, default=None,
                    help="engine chunk size (default: simulate's default)")
    ap.add_argument("--block", type=int, default=64, help="Numba subjects per block")
    ap.add_argument("--repeats", type=int, default=3,
                    help="warm runs per measurement (best reported), unless --max-time is spent")
    ap.add_argument("--min-time", type=float, default=2.0,
                    help="repeat warm runs until they last this long in all; report the best")
    ap.add_argument("--max-time", type=float, default=10.0,
                    help="stop repeating once the warm runs of a measurement last this long "
                         "(twice that while every run was disturbed by other processes)")
    ap.add_argument("--retry-budget", type=float, default=150.0,
                    help="seconds for measuring again, once, what other processes disturbed")
    ap.add_argument("--f64-at", type=int, nargs="*", default=[ACCEPT_AT],
                    help="cohort sizes at which the engine is also run in float64")
    ap.add_argument("--no-simulate", action="store_true", help="skip timing simulate()")
    ap.add_argument("--diagnostic-threads", action="store_true",
                    help="also time the engine's chunks dispatched from --threads Python threads")
    ap.add_argument("--no-check", dest="check", action="store_false",
                    help="skip the equivalence check (benchmarks/check_equivalence.py) run first")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.chunk is None:
        from addictsim.results import DEFAULT_CHUNK

        a.chunk = DEFAULT_CHUNK

    if a.worker:
        res = worker(a)
        print("RESULT " + json.dumps(res, default=float))
        return 0

    t_start = time.perf_counter()
    info = machine()
    cmd = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print(f"# addictsim benchmark: {cmd.strip()}")
    print(f"machine: {info.get('cpu')}, {info['usable_cpus']} usable CPUs "
          f"(runs limited to {a.threads}), {info.get('memory_gib')} GiB; {info['platform']}")
    print(f"python {info['python']}, jax {info['jax']}, jaxlib {info['jaxlib']}, "
          f"numba {info['numba']}, numpy {info['numpy']}, addictsim {info['addictsim']}")
    load0 = loadavg()
    print(f"load average before: {load0}", flush=True)
    if load0 and load0[0] > 0.5:
        print("WARNING: the machine is busy (load average above 0.5): timings will be low "
              "and noisy; rerun on a quiet machine for numbers to quote", flush=True)

    cache = tempfile.mkdtemp(prefix="addictsim-bench-cache-")
    env = dict(os.environ, NUMBA_NUM_THREADS=str(a.threads), OMP_NUM_THREADS=str(a.threads),
               ADDICTSIM_NO_CACHE="1", ADDICTSIM_CACHE_DIR=cache,
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env.pop("JAX_COMPILATION_CACHE_DIR", None)

    check = None
    if a.check:
        t0 = time.perf_counter()
        p = subprocess.run([sys.executable, str(HERE / "check_equivalence.py")], env=env,
                           capture_output=True, text=True, cwd=str(ROOT))
        check = {"ok": p.returncode == 0, "output": p.stdout + p.stderr[-2000:],
                 "seconds": time.perf_counter() - t0}
        print(p.stdout, end="")
        if p.returncode:
            print(p.stderr[-2000:])
            print("equivalence check FAILED: the yardsticks do not match the engine")

    # the engine's multi-core mode: one XLA CPU device per core, each chunk's subjects
    # sharded over them (engine.parallel_environment; the Python API leaves XLA_FLAGS alone)
    dev_env = None
    if a.threads > 1:
        from addictsim import engine

        if hasattr(engine, "parallel_environment"):
            dev_env = dict(env)
            engine.parallel_environment(dev_env, cores=a.threads)

    def env_for(impl: str) -> dict:
        return dev_env if dev_env and impl in ("engine-dev", "engine-f64") else env

    results = []
    for n in a.subjects:
        impls = ["naive", "numba", "engine"] + (["engine-dev"] if dev_env else [])
        impls += ["engine-f64"] if n in a.f64_at else []
        for impl in impls:
            r = spawn(impl, n, a, env_for(impl))
            results.append(r)
            if "error" in r:
                print(f"  {n:>7,} {impl:10s} FAILED: {r['error'].splitlines()[-1:]}", flush=True)
                continue
            extra = ""
            if "simulate_rate" in r:
                extra = f", simulate() {fmt_rate(r['simulate_rate'])}/s"
            if "cpu_per_wall" in r:
                extra += (f", CPU/wall {r['cpu_per_wall']:.2f}, others "
                          f"{100 * r['busy_share']:.0f}%, waited {100 * r['wait_share']:.0f}%"
                          + (" (disturbed)" if r.get("disturbed") else ""))
            if "concurrent_rate" in r:
                extra += (f"; {r['concurrent_workers']} chunks at once "
                          f"{fmt_rate(r['concurrent_rate'])}/s (CPU/wall "
                          f"{r['concurrent_cpu_per_wall']:.2f})")
            print(f"  {n:>7,} {impl:10s} {fmt_rate(r['rate'])} subject-episodes/s{extra}, "
                  f"compile {r.get('compile_s', 0):.1f} s, peak RSS {r['peak_rss_mib']:.0f} MiB "
                  f"({r['process_wall_s']:.0f} s)", flush=True)

    # a second chance for measurements disturbed by other processes: rerun them once (the
    # acceptance cohort first) within --retry-budget seconds; keep the undisturbed (or faster)
    budget = a.retry_budget
    todo = sorted((i for i, r in enumerate(results) if r.get("disturbed")),
                  key=lambda i: (results[i]["subjects"] != ACCEPT_AT, results[i]["subjects"]))
    for i in todo:
        old = results[i]
        if old.get("process_wall_s", 0) > budget:
            continue
        impl, n = old["impl"], old["subjects"]
        print(f"  {n:>7,} {impl:10s} was disturbed by other processes: measuring again",
              flush=True)
        r = spawn(impl, n, a, env_for(impl))
        budget -= r.get("process_wall_s", 0)
        if "error" in r:
            continue
        better = (not r.get("disturbed")) or r["rate"] > old["rate"]
        keep, drop = (r, old) if better else (old, r)
        keep["other_attempts"] = old.get("other_attempts", []) + [
            {k: drop.get(k) for k in ("rate", "busy_share", "wait_share", "disturbed")}]
        results[i] = keep
        print(f"  {n:>7,} {impl:10s} {fmt_rate(r['rate'])} subject-episodes/s, others "
              f"{100 * r['busy_share']:.0f}%, waited {100 * r['wait_share']:.0f}%"
              + (" (disturbed)" if r.get("disturbed") else "")
              + ("" if better else "; the first measurement is kept"), flush=True)

    load1 = loadavg()
    md = table(results, info, a)
    acc = acceptance(results)
    print()
    print(md)
    print()
    notes = [
        f"Workload: FR1 cocaine self-administration, 1 cue, 1 context, {a.episodes} episodes "
        "per subject, model `default`, record `summary`; subject-episodes/s = subjects x "
        "episodes / wall seconds of a warm run (best of "
        f"up to {a.repeats} repeats).",
        f"Every implementation ran in its own process limited to {a.threads} CPUs; compile "
        "seconds: engine = first minus second call on one chunk (no persistent cache), "
        "Numba = first call.",
        "The naive loop is timed on a subset of subjects; its cost is linear in subjects, so "
        "its rate applies to every cohort size.",
        "Engine rows: `engine.run_chunk` over chunks of subjects one after the other, as "
        "`simulate` runs them (record summary, float32 unless said); '1 device': the "
        "Python API's default (XLA_FLAGS untouched); "
        f"'{a.threads} CPU devices': `engine.parallel_environment(cores={a.threads})`, each "
        "chunk's subjects sharded over one XLA CPU device per core; 'via simulate()' adds "
        "the public API's host-side work (cohort draw, keys, Dataset, finiteness check).",
        "Others' CPU %: share of the benchmark's CPUs used by other processes (or stolen by "
        "the hypervisor) during the reported run, from /proc/stat. A run is disturbed when "
        f"others took more than {100 * BUSY_LIMIT:.0f}% and the benchmark's threads waited for "
        f"a CPU more than {100 * WAIT_LIMIT:.0f}% of the time (/proc/self/task/*/schedstat); "
        "disturbed runs are repeated and left out when an undisturbed run exists; '*' marks "
        "a number from a disturbed run (no undisturbed run within --max-time).",
        "Peak RSS: the worker process's maximum resident set (ru_maxrss), libraries included "
        "(every worker imports addictsim, hence JAX); run Δ RSS: peak minus the resident set "
        "just before the timed work (engine and Numba: before their first compile).",
        f"Machine: {info.get('cpu')}, {info['usable_cpus']} CPUs, {info.get('memory_gib')} GiB; "
        f"python {info['python']}, jax {info['jax']}, numba {info['numba']}; "
        f"load average before {load0}, after {load1}.",
    ]
    for s in notes:
        print("- " + s)
    for c in acc:
        print(f"Acceptance at {ACCEPT_AT:,} subjects, engine on {c['devices']} device(s): "
              f"{c['engine_vs_naive']:.0f}x naive "
              f"({'PASS' if c['pass_vs_naive'] else 'FAIL'}: >= {ACCEPT_VS_NAIVE:g}x), "
              f"{c['engine_vs_numba']:.2f} x Numba "
              f"({'PASS' if c['pass_vs_numba'] else 'FAIL'}: >= {ACCEPT_VS_NUMBA:g})"
              + (f" -- UNRELIABLE: {', '.join(c['disturbed'])} disturbed by other processes"
                 if c["disturbed"] else ""))
    total = time.perf_counter() - t_start
    print(f"total {total:.0f} s")
    out = {"command": cmd.strip(), "machine": info, "load_average_before": load0,
           "load_average_after": load1, "config": {k: v for k, v in vars(a).items()
                                                   if k not in ("worker", "n", "out")},
           "results": results, "acceptance": acc, "equivalence_check": check,
           "table_markdown": md, "notes": notes, "total_seconds": total,
           "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(out, indent=2, default=float))
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
