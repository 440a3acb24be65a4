"""Timing helpers shared by the benchmark workers: repeated warm runs, each with the share of
its CPUs that other processes took meanwhile (so that runs disturbed by other work on a
shared machine can be recognised, repeated and left out)."""

from __future__ import annotations

import os
import time

#: a run counts as disturbed when other processes (or the hypervisor: steal) used more than
#: this share of the CPUs this process may run on
BUSY_LIMIT = 0.10
#: runs shorter than this are not judged (jiffy resolution); the best of many short runs is
#: robust anyway
MIN_JUDGED_S = 0.25


def _cpu_jiffies(cpus) -> float:
    """Busy jiffies (user, nice, system, irq, softirq, steal) of ``cpus``, from /proc/stat."""
    want = {f"cpu{c}" for c in cpus}
    total = 0
    try:
        with open("/proc/stat") as f:
            for line in f:
                parts = line.split()
                if parts and parts[0] in want:
                    v = [int(x) for x in parts[1:9]]
                    total += v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
    except OSError:
        return float("nan")
    return float(total)


def busy_share(fn) -> tuple[float, float, float]:
    """Run ``fn``; return (wall s, this process's CPU s, share of this process's CPUs used by
    other processes meanwhile)."""
    cpus = sorted(os.sched_getaffinity(0))
    hz = os.sysconf("SC_CLK_TCK")
    j0 = _cpu_jiffies(cpus)
    c0 = time.process_time()
    t0 = time.perf_counter()
    fn()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    j1 = _cpu_jiffies(cpus)
    foreign = max(0.0, (j1 - j0) / hz - cpu)
    return wall, cpu, foreign / (wall * len(cpus)) if wall > 0 else 0.0


def repeat(fn, repeats: int, min_time: float, max_time: float,
           max_time_busy: float | None = None) -> dict:
    """Call ``fn`` until ``repeats`` undisturbed runs (and ``min_time`` seconds) are done, or
    ``max_time`` seconds are spent; while no run is undisturbed, go on up to
    ``max_time_busy`` seconds (default 2 x ``max_time``).

    Returns ``times``, ``cpu`` (process CPU seconds), ``busy`` (others' share of the CPUs)
    per run, and ``best``: the index of the fastest undisturbed run (the fastest of all when
    every run was disturbed)."""
    if max_time_busy is None:
        max_time_busy = 2 * max_time
    times, cpu, busy = [], [], []

    def clean(i):
        return times[i] < MIN_JUDGED_S or busy[i] <= BUSY_LIMIT

    while True:
        w, c, b = busy_share(fn)
        times.append(w)
        cpu.append(c)
        busy.append(b)
        total = sum(times)
        n_clean = sum(clean(i) for i in range(len(times)))
        if n_clean >= repeats and total >= min_time:
            break
        if total >= (max_time if n_clean else max_time_busy):
            break
    ok = [i for i in range(len(times)) if clean(i)] or list(range(len(times)))
    best = min(ok, key=times.__getitem__)
    return {"times": times, "cpu": cpu, "busy": busy, "best": best,
            "disturbed": not clean(best)}


def fields(r: dict, work: int, prefix: str = "") -> dict:
    """Result fields from ``repeat``'s record; ``work`` = subject-episodes per run."""
    b = r["best"]
    return {f"{prefix}times_s": r["times"], f"{prefix}busy_shares": r["busy"],
            f"{prefix}seconds": r["times"][b], f"{prefix}rate": work / r["times"][b],
            f"{prefix}cpu_per_wall": r["cpu"][b] / r["times"][b],
            f"{prefix}busy_share": r["busy"][b], f"{prefix}disturbed": r["disturbed"]}
