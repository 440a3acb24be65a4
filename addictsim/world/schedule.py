"""The schedule is data: a scenario (one arm) compiles to arrays shared by the cohort.

Everything that does not depend on the subject's actions — phase, context,
which cues are scheduled, what each manipulandum delivers, time elapsed since
the previous episode — is laid out per episode here, on the host, once. The
engine pads the episode axis to a bucket size with a mask.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..brain.control import APPROACH_GOAL, NOT_APPROACH, REGIONS
from ..brain.params import BIN_S
from ..pharmacology.reinforcers import N_KINDS, REINFORCER_INDEX, REINFORCERS, Kind, Reinforcer
from .apparatus import N_SLOTS, PR_STEPS

DAY_S = 86400.0


@dataclass
class Builder:
    """Accumulates episodes; task modules call ``add``."""

    cues: list[str]
    contexts: list[str]
    operanda: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    #: what tasks note for checks over the whole schedule (e.g. the cue map's chances)
    notes: dict = field(default_factory=dict)

    def task_cue(self, name: str) -> int:
        """A cue the task itself shows (e.g. the two-step task's states), added if new."""
        if name not in self.cues:
            self.cues.append(name)
        return self.cues.index(name)

    def cue(self, name: str | None) -> int:
        return -1 if name is None else self.cues.index(name)

    def cue_mask(self, names) -> np.ndarray:
        m = np.zeros(len(self.cues), bool)
        for n in names or []:
            m[self.cues.index(n)] = True
        return m

    def context(self, name: str | None) -> int:
        return 0 if name is None else self.contexts.index(name)

    def task_context(self, name: str) -> int:
        """A context the task itself sets (e.g. the no-drug signal), added if new."""
        if name not in self.contexts:
            self.contexts.append(name)
        return self.contexts.index(name)

    def operandum(self, name: str) -> int:
        if name not in self.operanda:
            self.operanda.append(name)
        return self.operanda.index(name)

    @staticmethod
    def amounts(reinforcer: Reinforcer, amount: float | None) -> np.ndarray:
        a = np.zeros(N_KINDS)
        a[REINFORCER_INDEX[reinforcer]] = (REINFORCERS[reinforcer].default_amount
                                           if amount is None else amount)
        return a

    def add(self, *, t_s: float, phase: int, context: int, trial_type: str = "",
            session_start: bool = False, cs: dict[int, int] | None = None,
            us_amounts: np.ndarray | None = None, us_prob: float = 0.0, us_bin: int = -1,
            slots: list[dict] | None = None, slot_bin: int = -1, timeout_ep: int = 0,
            sets_branch: bool = False, uses_branch: bool = False,
            branch_cues: tuple[list[str], list[str]] | None = None,
            forced: bool = False, holds: bool = False, titrate_step: float = 0.0,
            titrate_start: bool = False, no_drug: bool = False, nogo: bool = False,
            habit_context: int | None = None,
            gen_scale: dict[int, float] | None = None, stressor: float = 0.0) -> None:
        """One episode at time ``t_s``; ``slots[i]`` for action slot ``i + 1``:
        ``{"operandum", "cues", "amounts", "ratio", "prob", "branch_p", "alt_operandum",
        "alt_prob", "approach", "offer", "offer_delay", "consequence",
        "consequence_delay"}`` (see ``apparatus``: outcome
        probability, transition to branch 1, what branch 1 offers instead; ``approach``
        names the cue a Pavlovian approach response goes to, or ``"goal"`` for where the
        outcome arrives; ``offer`` describes an outcome, in amounts per kind, promised
        ``offer_delay`` days later, instead of delivering one; ``consequence`` the delayed
        costs of the response the subject knows of, in amounts per kind, felt
        ``consequence_delay`` days later: ``brain.subject.perceive``). ``titrate_step`` > 0 makes
        slot 1's offer the adjusting fraction of its amount, moved by that step after the
        choice; ``titrate_start`` restarts the fraction at 1/2. ``stressor`` (0-1) takes the
        subject's stress that share of the way to full stress at the episode's start
        (``brain.interoception.stressed``). The row's progressive-ratio series
        ``pr_ratios`` starts empty (all 0: slot 1 keeps its fixed ratio); the
        ``progressive_ratio`` task fills it in. ``no_drug`` marks an episode of a period
        signalled as drug-free (its seeking presses are counted in ``seek_no_drug``);
        ``nogo`` a no-go trial (its presses are counted in ``commission``).
        ``habit_context`` keys the cached values and the habit to another context than
        ``context`` (a speeded task's trial); ``gen_scale`` scales the generalisation of the
        episode's learning to the contexts it names (by index; others 1)."""
        cs_onset = np.full(len(self.cues), -1, np.int32)
        for c, onset in (cs or {}).items():
            cs_onset[c] = onset
        s_op = np.full(N_SLOTS, -1, np.int32)
        s_cue = np.zeros((N_SLOTS, len(self.cues)), bool)
        s_amt = np.zeros((N_SLOTS, N_KINDS))
        s_ratio = np.ones(N_SLOTS, np.int32)
        s_prob = np.ones(N_SLOTS)
        b_p = np.zeros(N_SLOTS)
        alt_op = np.full(N_SLOTS, -1, np.int32)
        alt_prob = np.ones(N_SLOTS)
        s_app = np.full(N_SLOTS, NOT_APPROACH, np.int32)
        s_offer = np.zeros((N_SLOTS, N_KINDS))
        s_delay = np.zeros(N_SLOTS)
        s_cons = np.zeros((N_SLOTS, N_KINDS))
        s_cons_delay = np.zeros(N_SLOTS)
        b_cues = np.zeros((2, len(self.cues)), bool)
        for k, names in enumerate(branch_cues or ()):
            b_cues[k] = self.cue_mask(names)
        for i, s in enumerate(slots or []):
            s_prob[i + 1] = s.get("prob", 1.0)
            b_p[i + 1] = s.get("branch_p", 0.0)
            alt_op[i + 1] = s.get("alt_operandum", -1)
            alt_prob[i + 1] = s.get("alt_prob", 1.0)
            s_op[i + 1] = s["operandum"]
            if s.get("cues") is not None:
                s_cue[i + 1] = self.cue_mask(s["cues"])
            if s.get("amounts") is not None:
                s_amt[i + 1] = s["amounts"]
            s_ratio[i + 1] = s.get("ratio", 1)
            if s.get("offer") is not None:
                s_offer[i + 1] = s["offer"]
                s_delay[i + 1] = s.get("offer_delay", 0.0)
            if s.get("consequence") is not None:
                s_cons[i + 1] = s["consequence"]
                s_cons_delay[i + 1] = s.get("consequence_delay", 0.0)
            if s.get("approach") is not None:
                s_app[i + 1] = (APPROACH_GOAL if s["approach"] == "goal"
                                else self.cue(s["approach"]))
        self.rows.append(dict(
            t_s=t_s, phase=phase, context=context, trial_type=trial_type,
            session_start=session_start, cs_onset=cs_onset,
            us_amounts=np.zeros(N_KINDS) if us_amounts is None else us_amounts,
            us_prob=us_prob, us_bin=us_bin, slot_operandum=s_op, slot_cues=s_cue,
            slot_amounts=s_amt, slot_ratio=s_ratio, slot_bin=slot_bin, timeout_ep=timeout_ep,
            intact=np.ones(len(REGIONS)), slot_prob=s_prob, sets_branch=sets_branch,
            branch_p=b_p, uses_branch=uses_branch, alt_slot_operandum=alt_op,
            alt_slot_prob=alt_prob, branch_cues=b_cues, forced=forced, holds=holds,
            slot_approach=s_app, need=np.zeros(N_KINDS), kappa=np.ones(N_KINDS),
            offer=s_offer, offer_delay=s_delay, consequence=s_cons,
            consequence_delay=s_cons_delay, titrate_step=float(titrate_step),
            titrate_start=bool(titrate_start), pr_ratios=np.zeros(PR_STEPS, np.int64),
            pfc_gain=1.0, no_drug=bool(no_drug), nogo=bool(nogo),
            habit_context=context if habit_context is None else habit_context,
            gen_scale=dict(gen_scale or {}), stressor=float(stressor),
            body_cue=-1, body_felt=0.0))      # set per phase by compile_schedule


def phase_state(p) -> tuple[np.ndarray, np.ndarray]:
    """A phase's physiological need per kind (sodium depletion: salt) and its clamp of the
    incentive gain per kind (``brain.incentive``)."""
    need = np.zeros(N_KINDS)
    if p.sodium_depletion:
        need[REINFORCER_INDEX[Reinforcer.SALT]] = 1.0
    kappa = np.ones(N_KINDS)
    for name, k in p.kappa.items():
        kappa[REINFORCER_INDEX[Reinforcer(name)]] = k
    return need, kappa


def bins(seconds: float) -> int:
    return int(round(seconds / BIN_S))


def offers_drug(slot_amounts: np.ndarray, slot_operandum: np.ndarray | None = None
                ) -> np.ndarray:
    """Per episode, whether a response can earn a drug (``slot_amounts`` (E, S, K); with
    ``slot_operandum`` (E, S), only slots with an operandum count)."""
    drug = np.zeros(N_KINDS, bool)
    for r, k in REINFORCER_INDEX.items():
        drug[k] = REINFORCERS[r].kind == Kind.DRUG
    per_slot = np.any(slot_amounts[..., drug] > 0, axis=2)
    if slot_operandum is not None:
        per_slot &= slot_operandum >= 0
    return per_slot.any(axis=1)


def at_risk_from(cs: "CompiledSchedule") -> float:
    """The day (since the start) of the first episode, after abstinence began, in which a
    drug is at hand again (the return to the drug, from which relapse is counted); NaN when
    there is none."""
    back = cs.arrays["abstinent"] & offers_drug(cs.arrays["slot_amounts"],
                                                cs.arrays["slot_operandum"])
    return float(cs.day[np.argmax(back)]) if back.any() else float("nan")


def abstinence_began(phase: np.ndarray, slot_amounts: np.ndarray) -> np.ndarray:
    """Per episode, whether abstinence has begun: from the first phase in which no drug can
    be self-administered that follows a phase in which one could (forced abstinence,
    extinction, a drug-free test), to the end of the schedule. A drug the subject earns
    from then on is a lapse (any use after abstinence began: the outcome of relapse
    models in animals, resumed self-administration after abstinence or extinction — Epstein,
    Preston, Stewart & Shaham 2006 — and of cessation trials in people — Hughes et al.
    2003). Drugs given by the experimenter (pairings, primes) are neither use nor access.

    ``phase`` (E,) is each episode's phase index, ``slot_amounts`` (E, S, K) what each
    response slot delivers."""
    offers = offers_drug(slot_amounts)
    began = np.zeros(phase.shape[0], bool)
    access = False
    for i in np.unique(phase):          # phase indices in schedule order
        sel = phase == i
        if offers[sel].any():
            access = True
        elif access:
            began[np.argmax(sel):] = True
            break
    return began


@dataclass(frozen=True)
class CompiledSchedule:
    """A compiled arm: per-episode numpy arrays (no padding) and labels."""

    arrays: dict[str, np.ndarray]
    phase_names: list[str]
    phase_tasks: list[str]
    trial_type: np.ndarray
    day: np.ndarray
    day_index: np.ndarray
    phase_index: np.ndarray
    contexts: list[str]
    cues: list[str]
    operanda: list[str]

    @property
    def n_episodes(self) -> int:
        return int(self.day.shape[0])


def compile_schedule(scenario, arm: str | None = None) -> CompiledSchedule:
    """Compile ``scenario`` (as ``arm`` runs it) into a schedule."""
    from .tasks import TASKS
    from .tasks.daily_life import body_cue

    b = Builder(cues=list(scenario.cues), contexts=list(scenario.contexts))
    b.operandum("inactive")
    seed = scenario.scenario.seed
    t = 0.0
    phases = scenario.phases_for(arm)
    for i, p in enumerate(phases):
        start = (math.floor(t / DAY_S + 1e-9) + 1) * DAY_S if b.rows else 0.0
        start += p.rest_before
        rng = np.random.default_rng([abs(seed), i])
        n0 = len(b.rows)
        t = TASKS[p.task].compile(p, scenario, b, phase=i, start_s=start, rng=rng)
        intact = np.array([0.0 if r in p.inactivate else 1.0 for r in REGIONS])
        need, kappa = phase_state(p)
        # the withdrawal cue the brain shows itself (-1: none), and the level it is felt at
        cue, felt = body_cue(scenario, p, b)
        for r in b.rows[n0:]:
            r["body_cue"], r["body_felt"] = cue, felt
            r["intact"] = intact
            r["need"] = need
            r["kappa"] = kappa
            r["pfc_gain"] = p.prefrontal
            r["nmda_block"] = p.nmda_blocker
    if not b.rows:
        raise ValueError("the scenario has no episodes")
    if getattr(scenario, "cue_map", None):
        from .tasks.daily_life import check_fires

        check_fires(scenario, b)
    n_c = len(b.cues)          # tasks may have added cues of their own after earlier rows
    for r in b.rows:
        k = n_c - r["cs_onset"].shape[0]
        if k:
            r["cs_onset"] = np.concatenate([r["cs_onset"], np.full(k, -1, np.int32)])
            r["slot_cues"] = np.pad(r["slot_cues"], ((0, 0), (0, k)))
            r["branch_cues"] = np.pad(r["branch_cues"], ((0, 0), (0, k)))
    for r in b.rows:           # generalisation factors over every context, known only now
        scale = np.ones(len(b.contexts))
        for c, f in r["gen_scale"].items():
            scale[c] = f
        r["gen_scale"] = scale
    t_s = np.array([r["t_s"] for r in b.rows])
    order_ok = np.all(np.diff(t_s) > 0)
    if not order_ok:
        raise AssertionError("episodes out of time order")
    gap = np.diff(t_s, prepend=t_s[0] - DAY_S)
    arrays = {k: np.stack([r[k] for r in b.rows]) for k in
              ("context", "session_start", "cs_onset", "us_amounts", "us_prob", "us_bin",
               "slot_operandum", "slot_cues", "slot_amounts", "slot_ratio", "slot_bin", "timeout_ep",
               "intact", "slot_prob", "sets_branch", "branch_p", "uses_branch",
               "alt_slot_operandum", "alt_slot_prob", "branch_cues", "forced", "holds",
               "slot_approach", "need", "kappa", "offer", "offer_delay", "consequence",
               "consequence_delay", "titrate_step",
               "titrate_start", "pr_ratios", "pfc_gain", "nmda_block", "no_drug", "nogo", "habit_context",
               "gen_scale", "body_cue", "body_felt", "stressor")}
    arrays["gap_s"] = gap
    arrays["abstinent"] = abstinence_began(np.array([r["phase"] for r in b.rows]),
                                           arrays["slot_amounts"])
    day = t_s / DAY_S
    return CompiledSchedule(
        arrays=arrays, phase_names=[p.name for p in phases], phase_tasks=[str(p.task) for p in phases],
        trial_type=np.array([r["trial_type"] for r in b.rows], dtype=object),
        day=day, day_index=np.floor(day + 1e-9).astype(np.int64),
        phase_index=np.array([r["phase"] for r in b.rows], np.int64),
        contexts=list(b.contexts), cues=list(b.cues), operanda=list(b.operanda))
