"""The benchmark workload, shared by the JAX engine and the two yardsticks.

* the scenario (fixed-ratio-1 cocaine self-administration, one cue, one context,
  1,000 response windows of 20 s in one session, model ``default``);
* the compiled schedule as plain (unpadded) NumPy arrays, the same arrays every
  implementation plays;
* the reinforcer table (values, dopamine curves, kinetics, satiety, withdrawal
  time constants) and the brain parameters as numbers: the species' defaults
  (``param_matrix``) or the engine's own heterogeneous cohort draw
  (``cohort_matrix``: some parameters have a declared between-subject spread);
* the per-episode quantities that bounded recording aggregates, in the engine's
  order, and how they are aggregated (sum / event mean / max / mean), mapped onto
  the record the yardsticks compute (``REC_VARS``, ``recording_plan``);
* helpers for the equivalence check: the engine's own uniform random numbers
  (``fold_in(fold_in(fold_in(root, 0), subject), episode)``), and turning the
  accumulators into the numbers ``simulate(..., record="summary")`` reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import math

import numpy as np

import addictsim
from addictsim import engine as _engine
from addictsim._params import Species
from addictsim.brain import interoception as _interoception
from addictsim.brain import memory as _memory
from addictsim.brain import subject as _subject
from addictsim.brain.params import BIN_S, N_BINS, BrainParams, Model
from addictsim.pharmacology.reinforcers import REINFORCER_INDEX, REINFORCERS, Kind, Reinforcer
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

#: the per-episode record the yardsticks compute, in their own order; ``recording_plan``
#: maps the engine's aggregated variables onto it (so a reordering in the engine is
#: followed, and a variable the yardsticks do not compute is an error, not a silent zero)
REC_VARS = ["seek", "drug_taken", "dose", "natural_taken", "da_cue", "da_outcome", "cue_value",
            "craving", "da_extracellular_pct", "da_dorsal_pct", "average_reward", "drug_level",
            "receptor_availability", "withdrawal", "mood", "hedonic_setpoint",
            "reward_threshold", "drug_setpoint", "first_hour_intake", "da_cue_dorsal",
            "habit_weight", "attentional_bias", "alternative", "wanting", "liking",
            "sensitization", "incubation", "pfc_control", "fear", "seek_no_drug", "commission",
            "memory_original", "memories", "stress", "memory_labile", "lapse"]
N_REC = len(REC_VARS)
#: the event flags of event means: 0 = every episode, 1 = cue_shown, 2 = has_outcome_time,
#: 3 = delivered (something was delivered in the episode), 4 = craving_probe (a cue shown, or
#: a body state that alone makes craving ``PROBE`` or more: brain.interoception)
EVENT_FLAGS = {"cue_shown": 1, "has_outcome_time": 2, "delivered": 3, "craving_probe": 4}
#: craving (0-10) from the body state alone at which an episode counts as a craving probe
#: (``interoception.PROBE``): internal wanting of ``craving_half / (10 / PROBE - 1)`` or more
PROBE = float(_interoception.PROBE)
#: the memory layer (``brain.memory``), as numbers: memory slots per subject, the recency
#: traces' time constants (s) and their weights in the prior (per day of the kernel), the
#: pseudo-count of the drug-state, cue and outcome-rate estimates, the floor of a memory's
#: prior, and the time constant (s) over which the recognised situation fades
MEM_SLOTS = int(_memory.SLOTS)
MEM_TIMESCALES_S = tuple(float(t) for t in _memory.TIMESCALES_S)
MEM_PER_DAY = tuple((86400.0 / t) ** _memory.RECENCY_EXPONENT for t in _memory.TIMESCALES_S)
MEM_PSEUDO = float(_memory._B)
MEM_FLOOR = float(_memory._FLOOR)
MEM_SITUATION_S = float(_memory.SITUATION_S)
#: the counts the yardsticks keep, in this order (the engine's ``COUNT_VARS``)
COUNTS = ["n_episodes", "n_cue_events", "n_outcome_events", "n_deliveries", "n_craving_events"]


def recording_plan() -> tuple[list[int], list[int], list[int]]:
    """``(agg_src, agg_event, max_src)``: for each of the engine's ``AGG_VARS`` its position
    in ``REC_VARS`` and its weight (0: 1, 1: the cue flag, 2: the outcome flag, 3: the
    delivery flag, 4: the craving-probe flag); for each of ``MAX_VARS`` its position in
    ``REC_VARS``."""
    missing = [k for k in AGG_VARS if k not in REC_VARS]
    if missing:
        raise ValueError(f"the engine records {missing}, which the yardsticks do not compute")
    if COUNT_VARS != COUNTS:
        raise ValueError(f"unexpected count variables {COUNT_VARS}")
    event = []
    for k in AGG_VARS:
        how = AGG_HOW[k]
        if how.startswith("event:"):
            flag = how.split(":", 1)[1]
            if flag not in EVENT_FLAGS:
                raise ValueError(f"unknown event flag {flag!r} of {k}")
            event.append(EVENT_FLAGS[flag])
        else:
            event.append(0)
    return ([REC_VARS.index(k) for k in AGG_VARS], event, [REC_VARS.index(k) for k in MAX_VARS])


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
    """A richer scenario for the equivalence check (about 1,200 episodes): two contexts
    learned largely apart (``context_generalization`` 0.3) and three more that tasks add,
    three cues and two more that a task adds, FR2 with a timeout over two sessions with the
    dorsolateral striatum inactivated, a 4 h long-access FR1 session (hours of high
    dopamine: D2 loss and allostatic load, hence the hedonic and homeostatic set points),
    Pavlovian trials with partial reinforcement and a natural reward in another context a
    day later (withdrawal, satiety), a cue paired with intensely salty water (a disliked
    natural outcome: a repulsive cue), a conditioned reinforcement test with the ventral
    striatum inactivated and the incentive gain of cocaine and food cues clamped, an outcome
    devaluation (the drug paired with lithium chloride: incentive learning with malaise) and
    its test, an extinction test with the dorsomedial striatum inactivated, amphetamine
    injections on three days (intermittent doses: incentive sensitisation), three weeks of
    abstinence (incubation) before a primed extinction session, a test in sodium appetite
    (the salt cue re-valued before the salt is tasted, then salt liked), self-administration
    in the second context with the dorsomedial striatum intact (the action -> outcome model
    learned there, not the box's, is consulted), signalled unavailability (drug periods in
    the box alternating with a no-drug period whose signal is the task's own context:
    ``no_drug``, ``seek_no_drug``), and 40 go/no-go trials (go and no-go trials in the
    stimuli's own contexts, their cached values, traces and habit keyed to the box:
    ``habit_context``; learning carried between the two stimuli at a similarity of 0.3:
    ``gen_scale``; presses on no-go trials: ``nogo``, ``commission``). Abstinence begins with
    the Pavlovian trials (the first phase in which no drug can be earned, after phases in
    which it could: ``abstinent``), so cocaine earned in the second context and in the
    signalled drug periods is a lapse (``lapse``), and the drugs given since (the lithium
    pairings, the injections, the prime) are not: every branch of the step is played."""
    return f"""
schema_version = 1
[scenario]
name = "benchmark-equivalence"
species = "rat"
seed = {seed}
model = "{model}"
contexts = ["box", "home"]
cues = ["light", "tone", "bell"]
[cohort]
subjects = 8
# contexts learned apart (default 0.9): what is learned where, the action -> outcome model
# included, matters
context_generalization = 0.3
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
inactivate = ["dls"]
[[phase]]
name = "long_access"
task = "self_administration"
context = "box"
dose = "0.75 mg/kg"
cue = "light"
timeout = "20 s"
session = "4 h"
days = 1
[[phase]]
name = "pav"
task = "pavlovian"
context = "home"
trials = ["20 x tone+ p=0.5", "10 x light-", "10 x tone+ food", "5 x light+ shock 0.5 mA"]
[[phase]]
name = "salt"
task = "pavlovian"
context = "home"
trials = ["20 x bell+ salt"]
[[phase]]
name = "cr"
task = "conditioned_reinforcement"
context = "box"
cue = "light"
session = "10 min"
days = 1
inactivate = ["vs"]
kappa = {{ cocaine = 1.5, food = 2.0 }}
[[phase]]
name = "deval"
task = "devaluation"
context = "box"
reinforcer = "cocaine"
amount = "1.5 mg/kg"
method = "illness"
pairings = 2
cue = "light"
session = "10 min"
[[phase]]
name = "ext"
task = "self_administration"
context = "home"
cue = "light&tone"
extinction = true
session = "10 min"
days = 1
inactivate = ["dms"]
[[phase]]
name = "injections"
task = "microdialysis"
context = "home"
reinforcer = "amphetamine"
dose = "1 mg/kg"
days = 3
duration = "2 h"
sample_interval = "30 min"
[[phase]]
name = "primed"
task = "self_administration"
context = "box"
cue = "light"
extinction = true
prime = "10 mg/kg"
rest_before = "21 d"
session = "10 min"
days = 1
[[phase]]
name = "sodium_appetite"
task = "pavlovian"
context = "home"
sodium_depletion = true
shuffle = false
trials = ["3 x bell- test", "5 x bell+ salt"]
[[phase]]
name = "home_sa"
task = "self_administration"
context = "home"
dose = "0.75 mg/kg"
cue = "tone"
timeout = "20 s"
session = "10 min"
days = 1
[[phase]]
name = "signalled"
task = "signalled_unavailability"
context = "box"
dose = "0.75 mg/kg"
cue = "light"
days = 1
drug_periods = 2
available = "10 min"
unavailable = "5 min"
# go and no-go trials in the stimuli's own contexts, the cached values and habit keyed to the
# box, learning carried between the two stimuli at 0.3 of context_generalization
[[phase]]
name = "go_nogo"
task = "go_nogo"
context = "box"
days = 1
trials = 40
stimulus_similarity = 0.3
"""


def pit_two_step_scenario(*, seed: int = 5, model: str = "default", trials: int = 100) -> str:
    """A scenario for the equivalence check with cues on at the moment of choice and
    sequential trials: cocaine self-administration (light) and Pavlovian tone -> food
    training, a Pavlovian-instrumental transfer test (both cues held over several response
    windows while the levers are available: outcome-specific transfer, attention narrowed
    by the drug cue), then Daw et al. 2011's two-step task (forced choices, transitions to
    a second-step state whose cue is on at the second choice, outcome probabilities per
    option, eligibility traces across the two steps, a two-step-deep goal-directed
    evaluation), then Pavlovian conditioned approach (approach responses to the lever cue
    and to the food cup, valued on the spot)."""
    return f"""
schema_version = 1
[scenario]
name = "benchmark-pit-two-step"
species = "rat"
seed = {seed}
model = "{model}"
contexts = ["box"]
cues = ["light", "tone", "lever"]
[cohort]
subjects = 8
[[phase]]
name = "sa"
task = "self_administration"
context = "box"
dose = "0.75 mg/kg"
cue = "light"
timeout = "20 s"
session = "1 h"
days = 2
[[phase]]
name = "pav"
task = "pavlovian"
context = "box"
trials = ["20 x tone+ food"]
[[phase]]
name = "pit"
task = "pit"
context = "box"
cues = ["light", "tone"]
levers = ["active", "inactive"]
presentations = 2
kappa = {{ food = 2.0 }}
[[phase]]
name = "two_step"
task = "two_step"
context = "box"
trials = {trials}
[[phase]]
name = "pca"
task = "conditioned_approach"
context = "box"
cue = "lever"
days = 2
trials = 10
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
    first_hour: np.ndarray     # (E,) bool: in the first hour of its session
    intact: np.ndarray         # (E, 3) float64: (dls, dms, vs) gains, 1 intact, 0 inactivated
    slot_prob: np.ndarray      # (E, S) float64: probability a completed response's outcome comes
    sets_branch: np.ndarray    # (E,) bool: the response chooses the next episode's branch
    branch_p: np.ndarray       # (E, S) float64: per slot, probability of branch 1 next
    uses_branch: np.ndarray    # (E,) bool: the episode's options depend on the branch
    alt_slot_operandum: np.ndarray  # (E, S) int64: operanda offered in branch 1
    alt_slot_prob: np.ndarray  # (E, S) float64: and their outcome probabilities
    branch_cues: np.ndarray    # (E, 2, C) bool: cue of each branch
    forced: np.ndarray         # (E,) bool: withholding is not an option
    holds: np.ndarray          # (E,) bool: the stimulus goes on into the next episode
    slot_approach: np.ndarray  # (E, S) int64: Pavlovian approach target (-1 none, -2 goal, cue)
    need: np.ndarray           # (E, K) float64: physiological need per kind (0: none)
    kappa: np.ndarray          # (E, K) float64: clamp of the incentive gain per kind (1: none)
    pfc_gain: np.ndarray       # (E,) float64: experimental gain on prefrontal control (1: none)
    no_drug: np.ndarray        # (E,) bool: in a period signalled as drug-free (seek_no_drug)
    nogo: np.ndarray           # (E,) bool: a no-go trial (its presses: commission)
    abstinent: np.ndarray      # (E,) bool: abstinence has begun (a drug self-taken: lapse)
    habit_context: np.ndarray  # (E,) int64: context of the cached values, traces and habit
    gen_scale: np.ndarray      # (E, X) float64: factor on the generalisation to each context
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


def first_hour_of_session(cs: CompiledSchedule) -> np.ndarray:
    """``(E,)`` bool: the episode falls in the first hour of its session (the last
    ``session_start`` at or before it), the window of ``first_hour_intake``."""
    t = cs.day * 86400.0
    start = np.maximum.accumulate(np.where(cs.arrays["session_start"], t, -np.inf))
    return (t - start) < 3600.0 - 1e-6


def schedule_arrays(cs: CompiledSchedule, model: str | Model = "default",
                    record: str = "summary") -> Schedule:
    a = cs.arrays
    if "nmda_block" in a and np.any(np.asarray(a["nmda_block"]) != 0):
        # the yardsticks play the benchmark's and the check's scenarios, which give no
        # NMDA-receptor blocker (brain.memory.block_restabilisation is not implemented)
        raise ValueError("the yardsticks do not implement an NMDA-receptor blocker "
                         "(nmda_blocker): a phase of this scenario gives one")
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
        first_hour=np.ascontiguousarray(first_hour_of_session(cs), bool),
        intact=f64(a["intact"]), slot_prob=f64(a["slot_prob"]),
        sets_branch=np.ascontiguousarray(a["sets_branch"], bool), branch_p=f64(a["branch_p"]),
        uses_branch=np.ascontiguousarray(a["uses_branch"], bool),
        alt_slot_operandum=i64(a["alt_slot_operandum"]), alt_slot_prob=f64(a["alt_slot_prob"]),
        branch_cues=np.ascontiguousarray(a["branch_cues"], bool),
        forced=np.ascontiguousarray(a["forced"], bool),
        holds=np.ascontiguousarray(a["holds"], bool),
        slot_approach=i64(a["slot_approach"]), need=f64(a["need"]), kappa=f64(a["kappa"]),
        pfc_gain=f64(a["pfc_gain"] if "pfc_gain" in a else np.ones(len(a["gap_s"]))),
        no_drug=np.ascontiguousarray(a["no_drug"] if "no_drug" in a
                                     else np.zeros(len(a["gap_s"])), bool),
        nogo=np.ascontiguousarray(a["nogo"] if "nogo" in a else np.zeros(len(a["gap_s"])),
                                  bool),
        # from the first drug-free phase after drug could be earned (schedule.abstinence_began)
        abstinent=np.ascontiguousarray(a["abstinent"] if "abstinent" in a
                                       else np.zeros(len(a["gap_s"])), bool),
        habit_context=i64(a["habit_context"] if "habit_context" in a else a["context"]),
        gen_scale=f64(a["gen_scale"] if "gen_scale" in a
                      else np.ones((len(a["gap_s"]), len(cs.contexts)))),
        n_contexts=len(cs.contexts), n_cues=len(cs.cues), n_operanda=len(cs.operanda),
        n_groups=int(groups.max()) + 1, model=MODEL_CODE[Model(model)])
    assert s.n_slots == N_SLOTS and s.gen_scale.shape == (s.n_episodes, s.n_contexts)
    return s


def load(text: str, record: str = "summary"):
    """``(scenario, compiled schedule, Schedule arrays)`` for scenario ``text``."""
    sc = addictsim.load_scenario(text)
    cs = compile_schedule(sc)
    return sc, cs, schedule_arrays(cs, sc.scenario.model, record)


@dataclass(frozen=True)
class Table:
    """The reinforcer library as float arrays indexed by kind (engine: ``ReinforcerTable``)."""

    kind: np.ndarray            # int64: Kind.NATURAL / DRUG / AVERSIVE
    value: np.ndarray
    ed50: np.ndarray
    emax: np.ndarray
    dorsal_ratio: np.ndarray
    default_amount: np.ndarray
    ka: np.ndarray              # absorption rate, 1/s
    kel: np.ndarray             # elimination rate, 1/s
    inv_satiety_half: np.ndarray  # 0: no satiety
    withdrawal_onset_s: np.ndarray
    withdrawal_duration_s: np.ndarray
    malaise: np.ndarray         # 1: illness (conditions aversion to what was consumed)
    need_value: np.ndarray      # hedonic value added per unit of physiological need
    incubation_rise_s: np.ndarray   # abstinence time course of the cue-gain incubation
    incubation_decay_s: np.ndarray
    incubation_norm: np.ndarray     # 1 / peak of the difference of exponentials
    pfc_toxicity: np.ndarray        # prefrontal insult per hour of full target occupancy
    occupancy_ed50: np.ndarray      # level at half occupancy of the drug's own target

    def lists(self) -> tuple[list, ...]:
        """The fields as Python lists, in declaration order."""
        return tuple(getattr(self, f).tolist() for f in self.__dataclass_fields__)


def reinforcer_table() -> Table:
    """The same numbers as ``ReinforcerTable.build(float64)``, from the specs."""
    specs = [REINFORCERS[r] for r in Reinforcer]
    f64 = lambda xs: np.array(list(xs), np.float64)  # noqa: E731
    return Table(kind=np.array([int(s.kind) for s in specs], np.int64),
                 value=f64(s.value for s in specs),
                 ed50=f64(s.ed50 for s in specs),
                 emax=f64(s.emax for s in specs),
                 dorsal_ratio=f64(s.dorsal_ratio for s in specs),
                 default_amount=f64(s.default_amount for s in specs),
                 ka=f64(s.ka_per_s for s in specs),
                 kel=f64(s.kel_per_s for s in specs),
                 inv_satiety_half=f64(0.0 if math.isinf(s.satiety_half) else 1.0 / s.satiety_half
                                      for s in specs),
                 withdrawal_onset_s=f64(3600.0 * s.withdrawal_onset_h for s in specs),
                 withdrawal_duration_s=f64(86400.0 * s.withdrawal_duration_d for s in specs),
                 malaise=f64(float(s.malaise) for s in specs),
                 need_value=f64(s.need_value for s in specs),
                 incubation_rise_s=f64(86400.0 * s.incubation_rise_d for s in specs),
                 incubation_decay_s=f64(86400.0 * s.incubation_decay_d for s in specs),
                 incubation_norm=f64(s.incubation_norm for s in specs),
                 pfc_toxicity=f64(s.pfc_toxicity for s in specs),
                 occupancy_ed50=f64(s.ed50 if s.occupancy_ed50 is None else s.occupancy_ed50
                                    for s in specs))


KIND_NATURAL = int(Kind.NATURAL)
KIND_DRUG = int(Kind.DRUG)
KIND_AVERSIVE = int(Kind.AVERSIVE)
#: the kind whose amount is a footshock's intensity (mA): the one that raises stress
#: (brain.interoception)
SHOCK = int(REINFORCER_INDEX[Reinforcer.SHOCK])
assert SHOCK == list(Reinforcer).index(Reinforcer.SHOCK)   # the table's kind order


def param_matrix(n: int, species: str = "rat") -> np.ndarray:
    """``(n, P)`` float64: the species' default parameters for every subject (the median
    subject of the default cohort; the yardsticks read one row per subject). Taken from the
    declarations so that they are exact in float64. The engine's default cohort is not this
    (parameters with a declared ``spread`` vary): see ``cohort_matrix``."""
    specs = BrainParams.specs()
    row = np.array([float(specs[k].defaults[Species(species)]) for k in PARAM_NAMES], np.float64)
    return np.tile(row, (n, 1))


def cohort_matrix(scenario, n: int, *, seed: int | None = None, ids=None) -> np.ndarray:
    """``(n, P)`` float64: the parameters ``simulate(scenario, subjects=n,
    precision="float64")`` gives its subjects ``ids`` (default ``0..n-1``; one arm): the
    engine's own cohort draw (``cohort.cohort_params`` under the scenario's root key, in
    float64), so that the yardsticks simulate the same subjects. Drawn once, outside any
    timed loop."""
    import jax

    from addictsim.cohort import cohort_params

    sc = addictsim.load_scenario(scenario)
    seed = int(sc.scenario.seed if seed is None else seed)
    ids = np.arange(n) if ids is None else np.asarray(ids)
    with _engine.x64_context(True):
        root = jax.random.key(seed)
        values, _ = cohort_params(sc, ids, root, np.float64)
    return np.ascontiguousarray(np.stack([np.asarray(values[k], np.float64)
                                          for k in PARAM_NAMES], axis=1))


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


__all__ = ["AGG_VARS", "BIN_S", "N_BINS", "NEG", "PARAM_NAMES", "REC_VARS", "Schedule", "Table",
           "bench_scenario", "check_scenario", "cohort_matrix", "jax_uniforms", "load",
           "param_matrix", "recording_plan", "reinforcer_table", "schedule_arrays",
           "pit_two_step_scenario", "summarise"]
