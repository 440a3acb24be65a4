"""The benchmark workload, shared by the JAX engine and the two yardsticks.

* the scenario (fixed-ratio-1 cocaine self-administration, one cue, one context,
  1,000 response windows of 20 s in one session, model ``default``);
* the compiled schedule as plain (unpadded) NumPy arrays, the same arrays every
  implementation plays;
* the reinforcer table and the default ("rat") brain parameters as numbers;
* the per-episode quantities that bounded recording aggregates, in the engine's
  order, and how they are aggregated (sum / event mean / max / mean);
* helpers for the equivalence check: the engine's own uniform random numbers
  (``fold_in(fold_in(fold_in(root, 0), subject), episode)``), and turning the
  accumulators into the numbers ``simulate(..., record="summary")`` reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import addictsim
from addictsim import engine as _engine
from addictsim._params import Species
from addictsim.brain import subject as _subject
from addictsim.brain.params import BIN_S, N_BINS, BrainParams, Model
from addictsim.pharmacology.reinforcers import REINFORCERS, Kind, Reinforcer
from addictsim.world.apparatus import N_SLOTS
from addictsim.world.schedule import CompiledSchedule, compile_schedule

NEG = float(_subject.NEG)
SEED = 20261123

#: model variants as small integers (the yardsticks branch on them)
MODEL_CODE = {Model.DEFAULT: 0, Model.TD: 1, Model.REDISH2004: 2}

#: the per-episode quantities bounded recording aggregates, in the engine's order, and how
#: (taken from the engine so the yardsticks cannot drift from it)
AGG_VARS = list(_engine.AGG_VARS)
AGG_HOW = dict(_engine.AGGREGATION)
MAX_VARS = list(_engine.MAX_VARS)
COUNT_VARS = list(_engine.COUNT_VARS)
N_AGG = len(AGG_VARS)
N_MAX = len(MAX_VARS)
N_COUNT = len(COUNT_VARS)

#: parameter order of the (subjects, P) parameter matrix the yardsticks read
PARAM_NAMES = list(BrainParams.specs())
P = {name: i for i, name in enumerate(PARAM_NAMES)}


def bench_scenario(episodes: int = 1000, *, seed: int = SEED, model: str = "default") -> str:
    """TOML text: FR1 cocaine self-administration, one light cue, one context,
    ``episodes`` response windows of 20 s in one session (one day)."""
    return f"""
schema_version = 1
[scenario]
name = "benchmark-fr1-cocaine"
description = "FR1 cocaine self-administration, one cue, one context ({episodes} episodes)"
species = "rat"
seed = {seed}
model = "{model}"
contexts = ["operant_box"]
cues = ["light"]
[cohort]
subjects = 100
[[phase]]
name = "fr1"
task = "self_administration"
context = "operant_box"
reinforcer = "cocaine"
dose = "0.75 mg/kg"
ratio = 1
timeout = "20 s"
cue = "light"
response_window = "20 s"
session = "{20 * episodes} s"
days = 1
"""


def check_scenario(*, seed: int = 11, model: str = "default") -> str:
    """A richer scenario for the equivalence check (about 200 episodes): two contexts,
    two cues, FR2 with a timeout over two sessions, Pavlovian trials with partial
    reinforcement and a natural reward in another context, a conditioned
    reinforcement test and an extinction test: every branch of the step is played."""
    return f"""
schema_version = 1
[scenario]
name = "benchmark-equivalence"
species = "rat"
seed = {seed}
model = "{model}"
contexts = ["box", "home"]
cues = ["light", "tone"]
[cohort]
subjects = 8
[[phase]]
name = "sa"
task = "self_administration"
context = "box"
dose = "0.75 mg/kg"
cue = "light"
ratio = 2
timeout = "40 s"
session = "20 min"
days = 2
[[phase]]
name = "pav"
task = "pavlovian"
context = "home"
trials = ["20 x tone+ p=0.5", "10 x light-", "10 x tone+ food", "5 x light+ shock 0.5 mA"]
[[phase]]
name = "cr"
task = "conditioned_reinforcement"
context = "box"
cue = "light"
session = "10 min"
days = 1
[[phase]]
name = "ext"
task = "self_administration"
context = "home"
cue = "light&tone"
extinction = true
session = "10 min"
days = 1
"""


@dataclass
class Schedule:
    """A compiled schedule as unpadded arrays (episode axis first), shared by the cohort."""

    context: np.ndarray        # (E,) int64
    gap_s: np.ndarray          # (E,) float64
    group: np.ndarray          # (E,) int64: aggregation group (phase for record="summary")
    session_start: np.ndarray  # (E,) bool
    cs_onset: np.ndarray       # (E, C) int64, -1 = absent
    us_amounts: np.ndarray     # (E, K) float64
    us_prob: np.ndarray        # (E,) float64
    us_bin: np.ndarray         # (E,) int64
    slot_operandum: np.ndarray  # (E, S) int64
    slot_cues: np.ndarray      # (E, S, C) bool
    slot_amounts: np.ndarray   # (E, S, K) float64
    slot_ratio: np.ndarray     # (E, S) int64
    slot_bin: np.ndarray       # (E,) int64
    timeout_ep: np.ndarray     # (E,) int64
    n_contexts: int
    n_cues: int
    n_operanda: int
    n_groups: int
    model: int                 # MODEL_CODE

    @property
    def n_episodes(self) -> int:
        return int(self.context.shape[0])

    @property
    def n_slots(self) -> int:
        return int(self.slot_operandum.shape[1])

    @property
    def n_kinds(self) -> int:
        return int(self.us_amounts.shape[1])


def schedule_arrays(cs: CompiledSchedule, model: str | Model = "default",
                    record: str = "summary") -> Schedule:
    a = cs.arrays
    groups = cs.day_index if record == "daily" else cs.phase_index
    groups = np.asarray(groups, np.int64) - (int(groups.min()) if record == "daily" else 0)
    i64 = lambda x: np.ascontiguousarray(x, np.int64)  # noqa: E731
    f64 = lambda x: np.ascontiguousarray(x, np.float64)  # noqa: E731
    s = Schedule(
        context=i64(a["context"]), gap_s=f64(a["gap_s"]), group=i64(groups),
        session_start=np.ascontiguousarray(a["session_start"], bool),
        cs_onset=i64(a["cs_onset"]), us_amounts=f64(a["us_amounts"]), us_prob=f64(a["us_prob"]),
        us_bin=i64(a["us_bin"]), slot_operandum=i64(a["slot_operandum"]),
        slot_cues=np.ascontiguousarray(a["slot_cues"], bool), slot_amounts=f64(a["slot_amounts"]),
        slot_ratio=i64(a["slot_ratio"]), slot_bin=i64(a["slot_bin"]),
        timeout_ep=i64(a["timeout_ep"]),
        n_contexts=len(cs.contexts), n_cues=len(cs.cues), n_operanda=len(cs.operanda),
        n_groups=int(groups.max()) + 1, model=MODEL_CODE[Model(model)])
    assert s.n_slots == N_SLOTS
    return s


def load(text: str, record: str = "summary"):
    """``(scenario, compiled schedule, Schedule arrays)`` for scenario ``text``."""
    sc = addictsim.load_scenario(text)
    cs = compile_schedule(sc)
    return sc, cs, schedule_arrays(cs, sc.scenario.model, record)


@dataclass(frozen=True)
class Table:
    """The reinforcer library as float lists indexed by kind (engine: ``ReinforcerTable``)."""

    kind: np.ndarray            # int64: Kind.NATURAL / DRUG / AVERSIVE
    value: np.ndarray
    ed50: np.ndarray
    emax: np.ndarray
    default_amount: np.ndarray


def reinforcer_table() -> Table:
    specs = [REINFORCERS[r] for r in Reinforcer]
    return Table(kind=np.array([int(s.kind) for s in specs], np.int64),
                 value=np.array([s.value for s in specs], np.float64),
                 ed50=np.array([s.ed50 for s in specs], np.float64),
                 emax=np.array([s.emax for s in specs], np.float64),
                 default_amount=np.array([s.default_amount for s in specs], np.float64))


KIND_NATURAL = int(Kind.NATURAL)
KIND_DRUG = int(Kind.DRUG)
KIND_AVERSIVE = int(Kind.AVERSIVE)


def param_matrix(n: int, species: str = "rat") -> np.ndarray:
    """``(n, P)`` float64: the species' default parameters for every subject (the values
    ``BrainParams.defaults(species)`` and the cohort read; the yardsticks read one row per
    subject). Taken from the declarations so that they are exact in float64."""
    specs = BrainParams.specs()
    row = np.array([float(specs[k].defaults[Species(species)]) for k in PARAM_NAMES], np.float64)
    return np.tile(row, (n, 1))


def jax_uniforms(seed: int, ids, n_episodes: int) -> np.ndarray:
    """``(n, E, 2)`` float64: exactly the uniforms ``engine.episode_step`` draws in float64:
    ``uniform(fold_in(subject_key, e), (2,))`` with subject ``i``'s key
    ``fold_in(fold_in(key(seed), 0), i)`` (``engine.subject_keys``)."""
    import jax
    import jax.numpy as jnp

    from addictsim import engine

    ids = np.asarray(ids)
    with jax.enable_x64(True):
        root = jax.random.key(seed)
        if hasattr(engine, "subject_keys"):
            keys = engine.subject_keys(root, ids)
        else:  # the documented contract, should the helper move
            sim = jax.random.fold_in(root, 0)
            keys = jax.vmap(lambda i: jax.random.fold_in(sim, i))(jnp.asarray(ids, jnp.uint32))
        eps = jnp.arange(n_episodes, dtype=jnp.uint32)

        @jax.jit
        def draw(keys):
            one = lambda k, e: jax.random.uniform(jax.random.fold_in(k, e), (2,),  # noqa: E731
                                                  dtype=jnp.float64)
            return jax.vmap(lambda k: jax.vmap(lambda e: one(k, e))(eps))(keys)

        return np.ascontiguousarray(np.asarray(draw(keys), np.float64))


def summarise(acc: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What ``simulate(..., record="summary")`` reports, from per-subject accumulators
    ``sums, weights (n, G, N_AGG), maxs (n, G, N_MAX), counts (n, G, N_COUNT)``:
    sums for "sum" variables, sums / weights for (event) means, maxima, counts."""
    sums, weights, maxs, counts = acc["sums"], acc["weights"], acc["maxs"], acc["counts"]
    out = {}
    for j, k in enumerate(AGG_VARS):
        how = AGG_HOW[k]
        if how == "sum":
            out[k] = sums[:, :, j]
        elif how == "max":
            v = maxs[:, :, MAX_VARS.index(k)]
            out[k] = np.where(np.isfinite(v), v, 0.0)
        else:
            w = weights[:, :, j]
            out[k] = np.where(w > 0, sums[:, :, j] / np.where(w > 0, w, 1.0), 0.0)
    for j, k in enumerate(COUNT_VARS):
        out[k] = counts[:, :, j]
    return out


def new_accumulators(n: int, n_groups: int) -> dict[str, np.ndarray]:
    return {"sums": np.zeros((n, n_groups, N_AGG)), "weights": np.zeros((n, n_groups, N_AGG)),
            "maxs": np.full((n, n_groups, N_MAX), -np.inf),
            "counts": np.zeros((n, n_groups, N_COUNT))}


__all__ = ["AGG_VARS", "BIN_S", "N_BINS", "NEG", "PARAM_NAMES", "Schedule", "Table",
           "bench_scenario", "check_scenario", "jax_uniforms", "load", "param_matrix",
           "reinforcer_table", "schedule_arrays", "summarise"]
