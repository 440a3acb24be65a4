"""Where the engine's time goes: the step timed in cumulative pieces, and a few variants.

    python benchmarks/profile_engine.py [--chunk 1000] [--episodes 1000] [--threads 2]

Each variant is ``jit(vmap(scan(body)))`` over one chunk of subjects on the
benchmark schedule, built here from the engine's own functions (nothing in the
package is changed; variants that swap a function do so in this process only).
Cumulative pieces (each adds to the one before):

1. ``rng``: the two uniforms per subject-episode (``uniform(fold_in(key, e), (2,))``, threefry);
2. ``+ elapse + perceive + policy`` (the body over the gap: kinetics, receptors, withdrawal,
   allostasis; then the action values with the homeostatic drive reduction);
3. ``+ apparatus.step``;
4. ``+ brain.learn``;
5. ``engine.episode_step`` itself (4 plus its masks and derived records);
6. ``+ bounded recording`` (``engine._aggregate``: scatter-adds into per-group sums) = the engine.

Variants of the whole engine step (same results up to rounding):

* ``cheap RNG``: a 32-bit integer hash instead of threefry (not the same numbers);
* ``CSC by index``: ``dopamine.elements/values/weight_update`` written with gathers on
  the onset bin (O(C*N)) instead of the (C, N, N) boolean mask (O(C*N*N));
* ``one-hot recording``: ``_aggregate`` as a one-hot multiply-add instead of ``.at[].add``.

Then how a stream of chunks uses the CPUs: chunks one after the other (as ``simulate``
runs them) against the same chunks dispatched from several Python threads at once.
Run with ``--threads 1`` to see the step's cost without XLA's intra-op threading.

Reports nanoseconds per subject-episode (wall, warm, best of 3) for each.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chunk", type=int, default=1000)
    ap.add_argument("--episodes", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args(argv)
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) > a.threads:
        os.sched_setaffinity(0, set(cpus[:a.threads]))

    import jax
    import jax.numpy as jnp
    import numpy as np

    from addictsim import engine
    from addictsim.brain import dopamine
    from addictsim.brain import subject as brain
    from addictsim.brain.params import N_BINS
    from addictsim.cohort import cohort_params, to_params
    from addictsim.pharmacology.reinforcers import N_KINDS, ReinforcerTable
    from addictsim.world import apparatus
    from benchmarks.workload import bench_scenario, load

    sc, cs, _ = load(bench_scenario(a.episodes))
    dtype = jnp.float32
    rows, dims = engine.pad_schedule(cs, engine.Record.SUMMARY, np.float32)
    model = sc.scenario.model
    root = jax.random.key(1)
    ids = np.arange(a.chunk)
    vals, _ = cohort_params(sc, ids, root, np.float32)
    params = to_params(vals, np.float32)
    keys = engine.subject_keys(root, ids)
    ep_ids = jnp.arange(dims.n_episodes, dtype=jnp.uint32)

    def uniforms(key, e, cheap):
        if not cheap:
            return jax.random.uniform(jax.random.fold_in(key, e), (2,), dtype=dtype)
        k = jnp.sum(jax.random.key_data(key).astype(jnp.uint32))
        z = (e.astype(jnp.uint32) * jnp.uint32(0x9E3779B9)) ^ k
        z = (z ^ (z >> 16)) * jnp.uint32(0x85EBCA6B)
        z = (z ^ (z >> 13)) * jnp.uint32(0xC2B2AE35)
        z = z ^ (z >> 16)
        z2 = z * jnp.uint32(0x27D4EB2D)
        return jnp.stack([(z >> 8).astype(dtype), (z2 >> 8).astype(dtype)]) * dtype(2.0 ** -24)

    def aggregate_onehot(acc, rec, group, mask, dt):
        sums, weights, maxs, counts = acc
        hot = (jnp.arange(sums.shape[0]) == group).astype(dt) * mask
        v = jnp.stack([rec[k].astype(dt) for k in engine.AGG_VARS])
        w = jnp.stack([rec[h.split(":", 1)[1]].astype(dt) if h.startswith("event:")
                       else jnp.ones((), dt) for h in engine.AGGREGATION.values()])
        is_sum = jnp.array([h == "sum" for h in engine.AGGREGATION.values()])
        sums = sums + hot[:, None] * (v * jnp.where(is_sum, 1.0, w))[None, :]
        weights = weights + hot[:, None] * w[None, :]
        mx = jnp.stack([rec[k].astype(dt) for k in engine.MAX_VARS])
        maxs = jnp.where(hot[:, None] > 0, jnp.maximum(maxs, mx[None, :]), maxs)
        cnt = jnp.stack([jnp.ones((), dt)] + [rec[f].astype(dt) for f in
                                              list(engine.COUNT_VARS.values())[1:]])
        counts = counts + hot[:, None] * cnt[None, :]
        return sums, weights, maxs, counts

    def make(stage: int, cheap_rng=False, onehot=False):
        def run_subject(p, key, rows, ep_ids):
            table = ReinforcerTable.build(dtype)
            bs = brain.init(p, n_contexts=dims.n_contexts, n_cues=dims.n_cues,
                            n_operanda=dims.n_operanda, n_kinds=N_KINDS)
            ts = apparatus.init()
            g = dims.n_groups
            acc0 = (jnp.zeros((g, len(engine.AGG_VARS)), dtype),
                    jnp.zeros((g, len(engine.AGG_VARS)), dtype),
                    jnp.full((g, len(engine.MAX_VARS)), -jnp.inf, dtype),
                    jnp.zeros((g, len(engine.COUNT_VARS)), dtype))

            def body(carry, xs):
                (bs, ts), acc, sink = carry
                row, e = xs
                u = uniforms(key, e, cheap_rng)
                if stage == 1:
                    return ((bs, ts), acc, sink + u[0] + u[1]), None
                if stage >= 5:
                    # engine.episode_step itself, with the uniforms above (so the RNG can be
                    # swapped): pieces 2-4 plus its masks and derived records
                    state, rec = engine.episode_step(model, table, p, u, (bs, ts), row)
                    if stage == 5:
                        s = sink + sum(jnp.sum(v.astype(dtype)) for k, v in rec.items()
                                       if k != "da_phasic")
                        return (state, acc, s), None
                    agg = aggregate_onehot if onehot else engine._aggregate
                    acc = agg(acc, rec, row.group, row.mask, dtype)
                    return (state, acc, sink), None
                bs = brain.elapse(p, table, bs, row.gap_s)
                obs = apparatus.observe(row)
                values = brain.perceive(p, table, bs, obs)
                action = brain.softmax_policy(values, p.beta, u[0])
                if stage == 2:
                    return ((bs, ts), acc, sink + action + u[1]), None
                ts2, episode = apparatus.step(row, ts, action, u[1])
                if stage == 3:
                    s = sink + jnp.sum(episode.amounts) + episode.outcome_bin + episode.operandum
                    return ((bs, ts2), acc, s), None
                bs2, rec = brain.learn(p, table, model, bs, obs, episode)     # stage 4
                s = sink + sum(jnp.sum(v.astype(dtype)) for v in rec.values())
                return ((bs2, ts2), acc, s), None

            (_, acc, sink), _ = jax.lax.scan(body, ((bs, ts), acc0, jnp.zeros((), dtype)),
                                             (rows, ep_ids))
            return acc, sink
        return jax.jit(jax.vmap(run_subject, in_axes=(0, 0, None, None)))

    def timed(fn) -> float:
        jax.block_until_ready(fn(params, keys, rows, ep_ids))
        best = float("inf")
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            jax.block_until_ready(fn(params, keys, rows, ep_ids))
            best = min(best, time.perf_counter() - t0)
        return best / (a.chunk * cs.n_episodes) * 1e9

    # the copy of the step above must be the engine's: compare with engine.run_chunk
    ours = jax.tree.map(np.asarray, make(6)(params, keys, rows, ep_ids)[0])
    ref = engine.run_chunk(params, keys, rows, dims, model=model, record=engine.Record.SUMMARY,
                           trace=False, x64=False)
    same = all(np.allclose(o, ref[k], rtol=1e-5, atol=1e-5, equal_nan=True)
               for o, k in zip(ours, ("sums", "weights", "maxs", "counts")))
    if not same:
        print("WARNING: the engine's step has changed; this profile's copy of it is stale")

    print(f"chunk {a.chunk} subjects x {cs.n_episodes} episodes (scan length {dims.n_episodes}),"
          f" float32, {len(os.sched_getaffinity(0))} CPUs; ns per subject-episode (wall)")
    names = ["1 rng (threefry fold_in + uniform)", "2 + elapse + perceive + policy",
             "3 + apparatus.step", "4 + brain.learn", "5 engine.episode_step (4 + masks)",
             "6 + bounded recording (= engine)"]
    prev = 0.0
    results = {}
    for stage, name in enumerate(names, start=1):
        ns = timed(make(stage))
        results[name] = ns
        print(f"  {name:45s} {ns:7.0f} ns  (+{ns - prev:5.0f})", flush=True)
        prev = ns
    full = results[names[-1]]
    print("variants of the whole engine step:")
    for name, kw in (("cheap 32-bit hash RNG", dict(cheap_rng=True)),
                     ("one-hot recording (no scatter)", dict(onehot=True))):
        ns = timed(make(6, **kw))
        print(f"  {name:45s} {ns:7.0f} ns  ({ns / full:.2f} of the engine)", flush=True)

    # CSC by index: the same semantics with gathers on the onset bin
    def elements_idx(onset):
        return onset

    def values_idx(w, onset):
        t = jnp.arange(N_BINS)
        lag = t[None, :] - onset[:, None]                          # (C, N)
        ok = (onset[:, None] >= 0) & (lag >= 0)
        g = jnp.take_along_axis(w, jnp.clip(lag, 0, N_BINS - 1), axis=1)
        return jnp.sum(jnp.where(ok, g, 0.0), axis=0)

    def weight_update_idx(delta, onset):
        j = jnp.arange(N_BINS)
        tt = onset[:, None] + j[None, :]                            # bin of element (c, j)
        ok = (onset[:, None] >= 0) & (tt < N_BINS)
        return jnp.where(ok, delta[1:][jnp.clip(tt, 0, N_BINS - 1)], 0.0)

    saved = dopamine.elements, dopamine.values, dopamine.weight_update
    dopamine.elements, dopamine.values, dopamine.weight_update = (elements_idx, values_idx,
                                                                  weight_update_idx)
    try:
        ns = timed(make(6))
        print(f"  {'CSC by index (gathers, O(C*N))':45s} {ns:7.0f} ns  ({ns / full:.2f} of the "
              f"engine)", flush=True)
        ns2 = timed(make(6, cheap_rng=True))
        print(f"  {'CSC by index + cheap RNG':45s} {ns2:7.0f} ns  ({ns2 / full:.2f} of the engine)",
              flush=True)
    finally:
        dopamine.elements, dopamine.values, dopamine.weight_update = saved

    # how the chunks use the CPUs: one stream of chunks (as simulate runs them) vs several
    from benchmarks.jax_engine import EngineRun

    n_cpu = len(os.sched_getaffinity(0))
    workers = max(2, n_cpu)
    run = EngineRun(bench_scenario(a.episodes), a.chunk * 2 * workers, chunk=a.chunk)
    run.run_one(0)
    print(f"chunks of {a.chunk} subjects on {n_cpu} CPU(s), "
          f"{len(run.chunks)} chunks (ns per subject-episode, wall; CPU time / wall):")
    for name, fn in (("one after the other (simulate)", run.run_all),
                     (f"{workers} Python threads at once",
                      lambda: run.run_all_concurrently(workers))):
        best, ratio = float("inf"), 0.0
        for _ in range(a.repeats):
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            dt = time.perf_counter() - t0
            if dt < best:
                best, ratio = dt, (time.process_time() - c0) / dt
        ns = best / (run.n * cs.n_episodes) * 1e9
        print(f"  {name:45s} {ns:7.0f} ns  (CPU/wall {ratio:.2f})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
