r"""The engine: ``jit(vmap(lax.scan(episode_step)))`` over a cohort.

``episode_step`` joins brain, policy and task as DESIGN.md draws it::

    task observation -> brain.perceive -> policy -> action
      -> task.step(action) -> outcome -> brain.learn

* No Python loop over subjects or episodes in the hot path: subjects are
  ``vmap``\ ped, episodes ``lax.scan``\ ned, and the host loops only over chunks
  of subjects (to bound memory), with a Rich progress bar.
* Subject ``i``'s key is ``fold_in(fold_in(root, 0), i)`` and episode ``e``'s
  key is ``fold_in(subject_key, e)``, so results do not depend on chunk size,
  cohort size or padding.
* Episode counts are padded with a mask to power-of-two buckets up to a segment
  of ``SEGMENT`` episodes; longer scenarios run as several calls of the same
  compiled segment, carrying the state (and letting the progress bar move).
  Cue, context and operandum counts are padded to powers of two, so new
  scenarios rarely recompile;
  compiled programs persist in JAX's compilation cache in the user's cache
  directory.
* ``record = "episode" | "daily" | "summary"``: per-day (or per-phase)
  aggregates are accumulated inside the scan, so memory stays bounded.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import math
import os
from dataclasses import dataclass
from pathlib import Path

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from .brain import subject as brain
from .brain.control import NOT_APPROACH
from .brain.params import N_BINS, BrainParams, Model
from .pharmacology.reinforcers import N_KINDS, Kind, ReinforcerTable
from .world import apparatus
from .world.apparatus import ScheduleRow
from .world.schedule import CompiledSchedule


class Record(enum.StrEnum):
    EPISODE = "episode"
    DAILY = "daily"
    SUMMARY = "summary"


class NumericalError(FloatingPointError):
    """The simulation produced NaN or infinite values."""


#: per-episode variables, and how bounded recording aggregates each
#: ("sum", "mean", "max", or "event:<flag>" = mean over episodes where the flag is set)
AGGREGATION: dict[str, str] = {
    "seek": "sum",
    "alternative": "sum",
    "drug_taken": "sum",
    "dose": "sum",
    "natural_taken": "sum",
    "da_cue": "event:cue_shown",
    "da_outcome": "event:has_outcome_time",
    "da_cue_dorsal": "event:cue_shown",
    "habit_weight": "mean",
    "attentional_bias": "mean",
    "cue_value": "event:cue_shown",
    "craving": "event:craving_probe",
    "fear": "event:cue_shown",
    "wanting": "event:cue_shown",
    "liking": "event:delivered",
    "sensitization": "mean",
    "incubation": "mean",
    "da_extracellular_pct": "max",
    "da_dorsal_pct": "max",
    "average_reward": "mean",
    "drug_level": "max",
    "receptor_availability": "mean",
    "withdrawal": "mean",
    "mood": "mean",
    "hedonic_setpoint": "mean",
    "reward_threshold": "mean",
    "drug_setpoint": "mean",
    "pfc_control": "mean",
    "memory_original": "mean",
    "memories": "max",
    "memory_labile": "max",
    "stress": "max",
    "first_hour_intake": "sum",
    "seek_no_drug": "sum",
    "commission": "sum",
    "lapse": "sum",
}
#: aggregates computed from other variables and the session clock, not stored per episode
DERIVED = {"first_hour_intake", "seek_no_drug", "commission"}
EPISODE_VARS = ["action", "branch", *(k for k in AGGREGATION if k not in DERIVED), "cue_shown",
                "delivered", "craving_probe"]
COUNT_VARS = {"n_episodes": None, "n_cue_events": "cue_shown", "n_outcome_events": "has_outcome_time",
              "n_deliveries": "delivered", "n_craving_events": "craving_probe"}
AGG_VARS = list(AGGREGATION)
MAX_VARS = [k for k, v in AGGREGATION.items() if v == "max"]


#: episodes per scan segment: longer scenarios run as several calls of one compiled program
SEGMENT = 2048


def bucket(n: int, minimum: int = 64) -> int:
    """The padded size for ``n``: the next power of two, at least ``minimum``."""
    return max(minimum, 1 << max(0, math.ceil(math.log2(max(n, 1)))))


def cache_dir() -> Path:
    env = os.environ.get("ADDICTSIM_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "addictsim" / "jax"


_CACHE_ON = False

#: XLA flags for bitwise-reproducible CPU results whatever the chunk size: LLVM contracts
#: multiply-adds into FMA instructions differently for different batch shapes, which moves
#: float64 results by an ulp; capping the instruction set at AVX (no FMA) removes that, at
#: a few per cent of speed. Must be in XLA_FLAGS before JAX starts its CPU backend.
REPRODUCIBLE_XLA_FLAGS = "--xla_cpu_max_isa=AVX"


def _add_xla_flag(environ, name: str, flag: str) -> None:
    """Append ``flag`` to ``XLA_FLAGS`` unless the user already set ``name``."""
    env = os.environ if environ is None else environ
    flags = env.get("XLA_FLAGS", "")
    if name not in flags:
        env["XLA_FLAGS"] = (flags + " " + flag).strip()


def reproducible_environment(environ=None) -> None:
    """Add ``REPRODUCIBLE_XLA_FLAGS`` to ``XLA_FLAGS`` unless the user set ``xla_cpu_max_isa``.

    Called by the CLI entry point and the test suite before JAX initialises; the Python
    API leaves the process environment alone (no side effects at import).
    """
    _add_xla_flag(environ, "xla_cpu_max_isa", REPRODUCIBLE_XLA_FLAGS)


def enable_persistent_cache() -> None:
    """Use JAX's persistent compilation cache in the user's cache directory (once)."""
    global _CACHE_ON
    if _CACHE_ON or os.environ.get("ADDICTSIM_NO_CACHE"):
        return
    d = cache_dir()
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    jax.config.update("jax_compilation_cache_dir", str(d))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.5)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    _CACHE_ON = True


@dataclass(frozen=True)
class Dims:
    n_contexts: int
    n_cues: int
    n_operanda: int
    n_episodes: int      # padded: a whole number of segments
    n_groups: int        # padded (days or phases)
    segment: int         # episodes per compiled scan segment


def _offers(a: dict, pad, fl) -> dict:
    """The described-choice fields of ``ScheduleRow``: absent (None) unless some episode
    describes an outcome (``apparatus``)."""
    if "offer" not in a or not np.any(a["offer"] > 0):
        return {}
    return dict(offer=fl(pad(a["offer"])), offer_delay=fl(pad(a["offer_delay"])),
                titrate_step=fl(pad(a["titrate_step"])),
                titrate_start=jnp.asarray(pad(a["titrate_start"], False)))


def pad_schedule(cs: CompiledSchedule, record: Record, dtype) -> tuple[ScheduleRow, Dims]:
    """Pad a compiled schedule to bucket sizes and make the ``ScheduleRow`` arrays."""
    e = cs.n_episodes
    seg = min(bucket(e), SEGMENT)
    e_pad = seg * -(-e // seg)
    n_cues = bucket(len(cs.cues), 1)
    n_ctx = bucket(len(cs.contexts), 1)
    n_op = bucket(len(cs.operanda), 2)
    groups = cs.day_index if record is Record.DAILY else cs.phase_index
    n_groups = bucket(int(groups.max()) + 1, 8)
    a = cs.arrays

    def pad(x, fill=0):
        width = [(0, e_pad - e)] + [(0, 0)] * (x.ndim - 1)
        return np.pad(x, width, constant_values=fill)

    cs_onset = np.full((e, n_cues), -1, np.int32)
    cs_onset[:, : a["cs_onset"].shape[1]] = a["cs_onset"]
    slot_cues = np.zeros((e, a["slot_cues"].shape[1], n_cues), bool)
    slot_cues[:, :, : a["slot_cues"].shape[2]] = a["slot_cues"]
    branch_cues = np.zeros((e, 2, n_cues), bool)
    branch_cues[:, :, : a["branch_cues"].shape[2]] = a["branch_cues"]
    gen_scale = np.ones((e, n_ctx))
    gen_scale[:, : a["gen_scale"].shape[1]] = a["gen_scale"]
    fl = lambda x: jnp.asarray(x, dtype)  # noqa: E731
    it = lambda x: jnp.asarray(x, jnp.int32)  # noqa: E731
    rows = ScheduleRow(
        mask=jnp.asarray(np.arange(e_pad) < e),
        context=it(pad(a["context"])),
        gap_s=fl(pad(a["gap_s"], 1.0)),
        group=it(pad(groups)),
        session_start=jnp.asarray(pad(a["session_start"], True)),
        cs_onset=it(pad(cs_onset, -1)),
        us_amounts=fl(pad(a["us_amounts"])),
        us_prob=fl(pad(a["us_prob"])),
        us_bin=it(pad(a["us_bin"], -1)),
        slot_operandum=it(pad(a["slot_operandum"], -1)),
        slot_cues=jnp.asarray(pad(slot_cues, False)),
        slot_amounts=fl(pad(a["slot_amounts"])),
        slot_ratio=it(pad(a["slot_ratio"], 1)),
        slot_bin=it(pad(a["slot_bin"], -1)),
        timeout_ep=it(pad(a["timeout_ep"])),
        intact=fl(pad(a["intact"], 1.0)),
        slot_prob=fl(pad(a["slot_prob"], 1.0)),
        sets_branch=jnp.asarray(pad(a["sets_branch"], False)),
        branch_p=fl(pad(a["branch_p"])),
        uses_branch=jnp.asarray(pad(a["uses_branch"], False)),
        alt_slot_operandum=it(pad(a["alt_slot_operandum"], -1)),
        alt_slot_prob=fl(pad(a["alt_slot_prob"], 1.0)),
        branch_cues=jnp.asarray(pad(branch_cues, False)),
        forced=jnp.asarray(pad(a["forced"], False)),
        holds=jnp.asarray(pad(a["holds"], False)),
        # absent (None) unless some episode offers a Pavlovian approach response
        slot_approach=(it(pad(a["slot_approach"], NOT_APPROACH))
                       if np.any(a["slot_approach"] != NOT_APPROACH) else None),
        # absent (None) unless some phase sets a physiological need or clamps the gain
        need=fl(pad(a["need"])) if np.any(a["need"] != 0) else None,
        kappa=fl(pad(a["kappa"], 1.0)) if np.any(a["kappa"] != 1) else None,
        first_hour=jnp.asarray(pad(first_hour_of_session(cs))),
        **_offers(a, pad, fl),
        # absent (None) unless some episode's response has known delayed consequences
        **({} if "consequence" not in a or not np.any(a["consequence"] > 0) else dict(
            consequence=fl(pad(a["consequence"])),
            consequence_delay=fl(pad(a["consequence_delay"])))),
        # absent (None) unless some episode has a progressive ratio
        pr_ratios=(it(pad(a["pr_ratios"])) if "pr_ratios" in a and np.any(a["pr_ratios"] > 0)
                   else None),
        # absent (None) unless some phase stimulates or inhibits the prefrontal cortex
        pfc_gain=(fl(pad(a["pfc_gain"], 1.0)) if "pfc_gain" in a and np.any(a["pfc_gain"] != 1)
                  else None),
        # absent (None) unless some phase gives an NMDA-receptor blocker
        nmda_block=(fl(pad(a["nmda_block"])) if "nmda_block" in a and np.any(a["nmda_block"] != 0)
                    else None),
        # absent (None) unless some episode is in a period signalled as drug-free
        no_drug=(jnp.asarray(pad(a["no_drug"], False)) if "no_drug" in a and np.any(a["no_drug"])
                 else None),
        # absent (None) unless some episode is a no-go trial
        nogo=(jnp.asarray(pad(a["nogo"], False)) if "nogo" in a and np.any(a["nogo"]) else None),
        # absent (None) unless some episode keys its habit to another context or scales the
        # generalisation of its learning (a speeded task's trial)
        habit_context=(it(pad(a["habit_context"])) if np.any(a["habit_context"] != a["context"])
                       else None),
        gen_scale=fl(pad(gen_scale, 1.0)) if np.any(gen_scale != 1) else None,
        # absent (None) unless some episode can show an interoceptive withdrawal cue
        **({} if "body_cue" not in a or not np.any(a["body_cue"] >= 0) else dict(
            body_cue=it(pad(a["body_cue"], -1)), body_felt=fl(pad(a["body_felt"])))),
        # absent (None) unless some episode has a stressor
        stressor=(fl(pad(a["stressor"])) if "stressor" in a and np.any(a["stressor"] > 0)
                  else None),
        # absent (None) unless abstinence begins somewhere in the schedule
        abstinent=(jnp.asarray(pad(a["abstinent"], False))
                   if "abstinent" in a and np.any(a["abstinent"]) else None),
    )
    return rows, Dims(n_ctx, n_cues, n_op, e_pad, n_groups, seg)


def first_hour_of_session(cs: CompiledSchedule) -> np.ndarray:
    """Episodes in the first hour of their session (escalation studies report this)."""
    t = cs.day * 86400.0
    start = np.maximum.accumulate(np.where(cs.arrays["session_start"], t, -np.inf))
    return (t - start) < 3600.0 - 1e-6


def episode_uniforms(key, ep_ids, dtype):
    """The episode's two uniform draws (policy, task): ``uniform(fold_in(key, e), (2,))``.

    Drawn for a whole segment at once, outside the scan: threefry is then one vectorised
    hash instead of a small loop inside every step (the same numbers either way).
    """
    return jax.vmap(lambda e: jax.random.uniform(jax.random.fold_in(key, e), (2,), dtype=dtype))(
        ep_ids)


def episode_step(model: Model, table: ReinforcerTable, params: BrainParams, u,
                 state: tuple, row: ScheduleRow) -> tuple[tuple, dict]:
    """One episode for one subject: observation -> perceive -> policy -> task -> learn.

    ``u`` holds the episode's two uniform random numbers (``episode_uniforms``).
    """
    bs, ts = state
    bs = brain.elapse(params, table, bs, row.gap_s)
    if row.stressor is not None:
        bs = brain.stressed(bs, row.stressor)        # a stressor of daily life
    obs = apparatus.observe(row, ts)
    if row.body_cue is not None:
        # the withdrawal the brain feels, shown as a cue of its own (brain.interoception)
        felt = brain.withdrawal_cue(params, table, bs, row.body_cue, row.body_felt,
                                    obs.cues.shape[0])
        obs = eqx.tree_at(lambda o: o.cues, obs, obs.cues | felt)
    values = brain.perceive(params, table, bs, obs, model)
    action = brain.softmax_policy(values, params.beta, u[0])
    ts2, episode = apparatus.step(row, ts, action, u[1])
    if row.body_cue is not None:
        episode = eqx.tree_at(lambda e: e.cue_onset, episode,
                              jnp.where(felt & (episode.cue_onset < 0), 0, episode.cue_onset))
    bs2, rec = brain.learn(params, table, model, bs, obs, episode)
    keep = lambda new, old: jnp.where(row.mask, new, old)  # noqa: E731
    bs2 = jax.tree.map(keep, bs2, bs)
    ts2 = jax.tree.map(keep, ts2, ts)
    rec["action"] = jnp.where(row.mask, action, 0).astype(jnp.int32)
    rec["branch"] = jnp.where(row.mask & row.sets_branch, ts2.branch, -1).astype(jnp.int32)
    rec["seek"] = row.mask & (action == 1)
    rec["alternative"] = row.mask & (action == 2)
    rec["first_hour_intake"] = rec["drug_taken"] & row.first_hour
    rec["seek_no_drug"] = (rec["seek"] & row.no_drug if row.no_drug is not None
                           else jnp.zeros_like(rec["seek"]))
    rec["commission"] = (rec["seek"] & row.nogo if row.nogo is not None
                         else jnp.zeros_like(rec["seek"]))
    # a lapse: a drug the subject's own response earned after abstinence began
    # (world.schedule.abstinence_began); drugs the experimenter gives are not use
    rec["lapse"] = (row.abstinent & jnp.any((episode.earned > 0) & (table.kind == Kind.DRUG))
                    if row.abstinent is not None else jnp.zeros_like(rec["seek"]))
    rec = {k: jnp.where(row.mask, v, jnp.zeros_like(v)) for k, v in rec.items()}
    return (bs2, ts2), rec


def _aggregate(acc, rec, group, mask, dtype):
    sums, weights, maxs, counts = acc
    vals = jnp.stack([rec[k].astype(dtype) for k in AGG_VARS])
    w = []
    for k in AGG_VARS:
        how = AGGREGATION[k]
        if how.startswith("event:"):
            w.append(rec[how.split(":", 1)[1]].astype(dtype))
        else:
            w.append(jnp.ones((), dtype))
    w = jnp.stack(w) * mask            # sum and mean: 1; event means: the event flag
    sums = sums.at[group].add(vals * w)
    weights = weights.at[group].add(w)
    mx = jnp.stack([rec[k].astype(dtype) for k in MAX_VARS])
    maxs = maxs.at[group].max(jnp.where(mask, mx, -jnp.inf))
    cnt = jnp.stack([mask.astype(dtype)] + [rec[f].astype(dtype) * mask
                                            for f in list(COUNT_VARS.values())[1:]])
    counts = counts.at[group].add(cnt)
    return sums, weights, maxs, counts


def subject_program(model: Model, record: Record, dims: Dims, trace: bool, x64: bool):
    """The simulation of ONE subject, as ``(init, segment)``.

    ``init(params) -> carry`` makes the starting state; ``segment(params, key, carry, rows,
    ep_ids) -> (carry, records)`` scans one segment of ``dims.segment`` episodes. The engine
    ``vmap``s both over subjects and calls ``segment`` for each segment in turn, so every
    scenario with the same small dims shares one compiled program whatever its length.
    """
    dtype = jnp.float64 if x64 else jnp.float32

    def init(params):
        bs = brain.init(params, n_contexts=dims.n_contexts, n_cues=dims.n_cues,
                        n_operanda=dims.n_operanda, n_kinds=N_KINDS)
        ts = apparatus.init(dtype)
        g = dims.n_groups
        acc0 = (jnp.zeros((g, len(AGG_VARS)), dtype), jnp.zeros((g, len(AGG_VARS)), dtype),
                jnp.full((g, len(MAX_VARS)), -jnp.inf, dtype),
                jnp.zeros((g, len(COUNT_VARS)), dtype))
        return (bs, ts), acc0

    def segment(params, key, carry, rows: ScheduleRow, ep_ids):
        table = ReinforcerTable.build(dtype)

        def body(carry, xs):
            state, acc = carry
            row, u = xs
            state, rec = episode_step(model, table, params, u, state, row)
            if record is Record.EPISODE:
                out = {k: rec[k] for k in EPISODE_VARS}
                if trace:
                    out["da_phasic"] = rec["da_phasic"]
                return (state, acc), out
            acc = _aggregate(acc, rec, row.group, row.mask, dtype)
            return (state, acc), None

        return jax.lax.scan(body, carry, (rows, episode_uniforms(key, ep_ids, dtype)))

    return init, segment


@functools.lru_cache(maxsize=32)
def _runner(model: Model, record: Record, dims: Dims, trace: bool, x64: bool, batched: bool):
    """``jit(vmap(scan(episode_step)))`` over a chunk of subjects sharing one schedule
    (``batched=False``: the same program for one subject, without ``vmap``)."""
    init, segment = subject_program(model, record, dims, trace, x64)
    if not batched:
        return jax.jit(init), jax.jit(segment)
    return (jax.jit(jax.vmap(init)),
            jax.jit(jax.vmap(segment, in_axes=(0, 0, 0, None, None)), donate_argnums=(2,)))


def x64_context(x64: bool):
    return jax.enable_x64(True) if x64 else contextlib.nullcontext()


def run_chunk(params: BrainParams, keys, rows: ScheduleRow, dims: Dims, *, model: Model,
              record: Record, trace: bool, x64: bool, batched: bool = True,
              on_segment=None) -> dict[str, np.ndarray]:
    """Run one chunk of subjects (or one subject with ``batched=False``) segment by segment;
    returns host numpy arrays (leading subject axis when batched). ``on_segment(k)`` is
    called after each segment with the number of episodes done."""
    init, segment = _runner(Model(model), Record(record), dims, bool(trace), bool(x64),
                            bool(batched))
    if batched:
        params, keys, rows = _place(params, keys, rows)
    carry = init(params)
    if batched:
        carry = _place_carry(carry, keys)
    seg = dims.segment
    outs = []
    for s0 in range(0, dims.n_episodes, seg):
        rows_s = jax.tree.map(lambda a: a[s0:s0 + seg], rows)
        ep_ids = jnp.arange(s0, s0 + seg, dtype=jnp.uint32)
        carry, ys = segment(params, keys, carry, rows_s, ep_ids)
        if record is Record.EPISODE:
            outs.append(jax.tree.map(np.asarray, ys))
        if on_segment is not None:
            jax.block_until_ready(carry)
            on_segment(seg)
    if record is Record.EPISODE:
        axis = 1 if batched else 0
        if len(outs) == 1:
            return outs[0]
        return {k: np.concatenate([o[k] for o in outs], axis=axis) for k in outs[0]}
    _, (sums, weights, maxs, counts) = carry
    return jax.tree.map(np.asarray, {"sums": sums, "weights": weights, "maxs": maxs,
                                     "counts": counts})


def n_devices() -> int:
    """Devices the subject axis is split over (several CPU devices when XLA_FLAGS asks)."""
    return len(jax.local_devices())


def _place(params, keys, rows):
    """Shard the chunk's subjects over the local devices (data-parallel; each device runs
    the same per-subject program) and replicate the shared schedule."""
    devs = jax.local_devices()
    n = keys.shape[0]
    if len(devs) < 2 or n % len(devs):
        return params, keys, rows
    from jax.sharding import Mesh, NamedSharding, PartitionSpec

    mesh = Mesh(np.array(devs), ("subject",))
    split = NamedSharding(mesh, PartitionSpec("subject"))
    whole = NamedSharding(mesh, PartitionSpec())
    return (jax.device_put(params, split), jax.device_put(keys, split),
            jax.device_put(rows, whole))


def _place_carry(carry, keys):
    """Give the initial carry the sharding the segment returns (split by subject, like the
    keys). XLA leaves the parts of ``init``'s output that do not depend on the parameters
    (zeros) replicated; a carry sharded differently would make the first segment compile a
    second program."""
    sharding = getattr(keys, "sharding", None)
    if len(jax.local_devices()) < 2 or not hasattr(sharding, "spec"):
        return carry
    return jax.device_put(carry, sharding)


def parallel_environment(environ=None, cores: int | None = None) -> None:
    """Ask XLA for one CPU device per core (unless XLA_FLAGS already sets a count), so the
    engine splits each chunk of subjects over the cores. Call before JAX starts its
    backend: the CLI entry point does; the Python API leaves the environment alone."""
    if cores is None:
        cores = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                 else os.cpu_count() or 1)
    n = min(int(cores), 64)
    if n > 1:
        _add_xla_flag(environ, "xla_force_host_platform_device_count",
                      f"--xla_force_host_platform_device_count={n}")


def subject_keys(root, ids: np.ndarray):
    sim = jax.random.fold_in(root, 0)
    return jax.vmap(lambda i: jax.random.fold_in(sim, i))(jnp.asarray(ids, jnp.uint32))
