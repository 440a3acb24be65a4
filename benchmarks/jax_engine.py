"""Timing the JAX engine: the pure engine (``engine.run_chunk`` over chunks of subjects,
as ``simulate`` calls it) and the public ``simulate(..., record="summary")``.

The pure-engine path mirrors ``results._run_arm``: the schedule is padded once, the
chunk size rounded up to a multiple of the device count (``engine.n_devices``),
the cohort's parameters and subject keys are prepared for every chunk before the
clock starts, and only the jitted ``vmap(scan(episode_step))`` calls (with their
results copied back to the host) are timed. ``simulate`` adds the cohort draw,
key derivation, the xarray Dataset and the finiteness check.
"""

from __future__ import annotations

import time

import numpy as np


class EngineRun:
    """A cohort of ``n`` subjects on scenario ``text``, split into chunks of ``chunk``."""

    def __init__(self, text: str, n: int, *, chunk: int, precision: str = "float32"):
        import jax

        from addictsim import engine, load_scenario
        from addictsim.cohort import cohort_params, to_params
        from addictsim.world.schedule import compile_schedule

        self.engine = engine
        self.x64 = precision == "float64"
        self.dtype = np.float64 if self.x64 else np.float32
        self.sc = load_scenario(text)
        self.cs = compile_schedule(self.sc)
        self.n = n
        self.chunk = max(1, min(int(chunk), n))
        k = engine.n_devices() if hasattr(engine, "n_devices") else 1
        self.chunk = -(-self.chunk // k) * k   # a multiple of the device count, as simulate
        self.devices = k
        self.record = engine.Record.SUMMARY
        self.model = self.sc.scenario.model
        with engine.x64_context(self.x64):
            self.rows, self.dims = engine.pad_schedule(self.cs, self.record, self.dtype)
            root = jax.random.key(int(self.sc.scenario.seed))
            ids = np.arange(n)
            values, _ = cohort_params(self.sc, ids, root, self.dtype)
            self.chunks = []
            for start in range(0, n, self.chunk):
                cid = ids[start:start + self.chunk]
                vals = {k: v[start:start + self.chunk] for k, v in values.items()}
                m = len(cid)
                if m < self.chunk:  # pad the last chunk as simulate does
                    extra = self.chunk - m
                    cid = np.concatenate([cid, np.arange(n, n + extra)])
                    vals = {k: np.concatenate([v, np.repeat(v[:1], extra)])
                            for k, v in vals.items()}
                p = to_params(vals, self.dtype)
                keys = engine.subject_keys(root, cid)
                self.chunks.append((p, keys, m))

    def run_one(self, i: int = 0):
        p, keys, m = self.chunks[i]
        with self.engine.x64_context(self.x64):
            out = self.engine.run_chunk(p, keys, self.rows, self.dims, model=self.model,
                                        record=self.record, trace=False, x64=self.x64)
        return {k: v[:m] for k, v in out.items()}

    def run_all(self):
        outs = [self.run_one(i) for i in range(len(self.chunks))]
        return {k: np.concatenate([o[k] for o in outs]) for k in outs[0]}

    def run_all_concurrently(self, workers: int):
        """The chunks split among ``workers`` Python threads, each dispatching its chunks
        one after the other (XLA releases the GIL while it runs): a diagnostic of how much
        of the machine one sequential stream of chunks leaves idle. Same results."""
        import threading

        outs: list = [None] * len(self.chunks)

        def work(idx):
            for i in idx:
                outs[i] = self.run_one(i)

        ts = [threading.Thread(target=work, args=(list(range(w, len(self.chunks), workers)),))
              for w in range(workers)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return {k: np.concatenate([o[k] for o in outs]) for k in outs[0]}

    def totals(self, out) -> dict[str, float]:
        """Cohort means of the per-subject totals of seek and drug_taken (a sanity check)."""
        j = {k: self.engine.AGG_VARS.index(k) for k in ("seek", "drug_taken")}
        return {k: float(out["sums"][:, :, i].sum(axis=1).mean()) for k, i in j.items()}


def time_engine(text: str, n: int, *, chunk: int, precision: str = "float32",
                repeats: int = 3, min_time: float = 2.0, max_time: float = 20.0,
                with_simulate: bool = True, concurrent: int = 0) -> dict:
    """Compile time (first call minus second call on one chunk), warm throughput of the
    pure engine over the whole cohort (best of ``repeats`` warm runs, at least
    ``min_time`` seconds in all, no more once ``max_time`` is spent), and of ``simulate``
    (warm). With ``concurrent >= 2`` and at least that many chunks, also the throughput with
    the chunks dispatched from ``concurrent`` threads at once (a diagnostic, not what
    ``simulate`` does)."""
    import addictsim

    from benchmarks.timing import fields as _timing
    from benchmarks.timing import repeat

    res: dict = {}
    run = EngineRun(text, n, chunk=chunk, precision=precision)
    e = run.cs.n_episodes
    res.update(chunk=run.chunk, n_chunks=len(run.chunks), padded_episodes=run.dims.n_episodes,
               engine_devices=run.devices)
    t0 = time.perf_counter()
    run.run_one(0)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    run.run_one(0)
    second = time.perf_counter() - t0
    res.update(first_call_s=first, second_call_s=second, compile_s=max(0.0, first - second))

    got = {}

    def once():
        got["out"] = run.run_all()

    res.update(_timing(repeat(once, repeats, min_time, max_time), n * e),
               means=run.totals(got["out"]))

    if concurrent >= 2 and len(run.chunks) >= concurrent:
        def conc():
            got["conc"] = run.run_all_concurrently(concurrent)

        r = repeat(conc, repeats, min_time, max_time)
        same = all(np.array_equal(got["conc"][k], got["out"][k], equal_nan=True)
                   for k in got["out"])
        res.update(_timing(r, n * e, "concurrent_"), concurrent_workers=concurrent,
                   concurrent_same_results=bool(same))

    if with_simulate:
        kw = dict(record="summary", precision=precision, chunk_size=run.chunk, progress=False)
        t0 = time.perf_counter()
        addictsim.simulate(text, subjects=run.chunk, **kw)  # warm-up (host-side helpers)
        res["simulate_warmup_s"] = time.perf_counter() - t0

        def sim():
            got["ds"] = addictsim.simulate(text, subjects=n, **kw)

        r = repeat(sim, repeats, min_time, max_time)
        ds = got["ds"]
        res.update(_timing(r, n * e, "simulate_"),
                   simulate_means={k: float(ds[k].sum("phase").mean()) for k in
                                   ("seek", "drug_taken")})
    return res
