"""Timing helpers shared by the benchmark workers: repeated warm runs, each with the share of
its CPUs that other processes took meanwhile and the time this process's threads spent
waiting for a CPU, so that runs disturbed by other work on a shared machine can be
recognised, repeated and left out."""

from __future__ import annotations

import os
import time

#: a run counts as disturbed when other processes (or the hypervisor: steal) used more than
#: this share of the CPUs this process may run on ...
BUSY_LIMIT = 0.10
#: ... and this process's runnable threads waited for a CPU for more than this share of them
#: (a single-threaded run beside another process on a second core is not disturbed)
WAIT_LIMIT = 0.05
#: below this duration others' share (from 10 ms jiffies) is too coarse: such runs are
#: judged by the waiting share alone (nanoseconds)
MIN_JUDGED_S = 0.1


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


def _run_delay_s() -> float:
    """Seconds this process's threads have spent runnable but waiting for a CPU
    (/proc/self/task/*/schedstat, second field)."""
    total = 0
    try:
        tids = os.listdir("/proc/self/task")
    except OSError:
        return 0.0
    for tid in tids:
        try:
            with open(f"/proc/self/task/{tid}/schedstat") as f:
                total += int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            pass
    return total / 1e9


def busy_share(fn) -> tuple[float, float, float, float]:
    """Run ``fn``; return (wall s, this process's CPU s, share of this process's CPUs used by
    other processes meanwhile, share of them this process's threads spent waiting)."""
    cpus = sorted(os.sched_getaffinity(0))
    hz = os.sysconf("SC_CLK_TCK")
    j0 = _cpu_jiffies(cpus)
    w0 = _run_delay_s()
    c0 = time.process_time()
    t0 = time.perf_counter()
    fn()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    w1 = _run_delay_s()
    j1 = _cpu_jiffies(cpus)
    foreign = max(0.0, (j1 - j0) / hz - cpu)
    cap = wall * len(cpus)
    if cap <= 0:
        return wall, cpu, 0.0, 0.0
    return wall, cpu, foreign / cap, max(0.0, w1 - w0) / cap


def repeat(fn, repeats: int, min_time: float, max_time: float,
           max_time_busy: float | None = None) -> dict:
    """Call ``fn`` until ``repeats`` undisturbed runs (and ``min_time`` seconds) are done, or
    ``max_time`` seconds are spent; while no run is undisturbed, go on up to
    ``max_time_busy`` seconds (default 2 x ``max_time``).

    Returns ``times``, ``cpu`` (process CPU seconds), ``busy`` (others' share of the CPUs),
    ``wait`` (this process's share of the CPUs spent waiting for one) per run, and ``best``: the index of the fastest undisturbed run (the fastest of all when
    every run was disturbed)."""
    if max_time_busy is None:
        max_time_busy = 2 * max_time
    times, cpu, busy, wait = [], [], [], []

    def clean(i):
        if wait[i] <= WAIT_LIMIT:
            return True
        return times[i] >= MIN_JUDGED_S and busy[i] <= BUSY_LIMIT

    while True:
        w, c, b, q = busy_share(fn)
        times.append(w)
        cpu.append(c)
        busy.append(b)
        wait.append(q)
        total = sum(times)
        n_clean = sum(clean(i) for i in range(len(times)))
        if n_clean >= repeats and total >= min_time:
            break
        if total >= (max_time if n_clean else max_time_busy):
            break
    ok = [i for i in range(len(times)) if clean(i)] or list(range(len(times)))
    best = min(ok, key=times.__getitem__)
    return {"times": times, "cpu": cpu, "busy": busy, "wait": wait, "best": best,
            "disturbed": not clean(best)}


def fields(r: dict, work: int, prefix: str = "") -> dict:
    """Result fields from ``repeat``'s record; ``work`` = subject-episodes per run."""
    b = r["best"]
    return {f"{prefix}times_s": r["times"], f"{prefix}busy_shares": r["busy"],
            f"{prefix}wait_shares": r["wait"], f"{prefix}wait_share": r["wait"][b],
            f"{prefix}seconds": r["times"][b], f"{prefix}rate": work / r["times"][b],
            f"{prefix}cpu_per_wall": r["cpu"][b] / r["times"][b],
            f"{prefix}busy_share": r["busy"][b], f"{prefix}disturbed": r["disturbed"]}
