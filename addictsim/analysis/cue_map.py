"""Where a person's relapse sequence starts: each cue's share of the relapse risk, by
ablation, and the chain's stages at a typical first lapse.

Ablation (issue #9): the same subjects (the same seed, so the same brains and the same
random numbers for every choice) are simulated again with one cue of the cue map taken away
from the days after abstinence began (``without`` in those ``daily_life`` phases; the cue
was still met while the person used, so what it taught stays). The withdrawal cue is taken
away in the same way: the brain no longer shows it (``without``), though the withdrawal
itself still lowers the gain of drug cues. The drug on board and stress cannot be taken
away from a day: their ablation cuts the insula's route from the body (``insula_gain =
0``, Naqvi et al. 2007), which takes every body state at once. A cue's share of the risk
is the relative fall in the share of subjects who relapse by the end of follow-up, 1 -
R(without the cue) / R(all cues); its gain is the mean number of relapse-free days it adds per
subject over the follow-up (restricted mean survival time: Royston & Parmar 2013). Both
come with 95% intervals from a paired bootstrap over subjects (Efron & Tibshirani 1993).

The chain at a first lapse (episode records): the values of the stages of the chain
(cue -> predicted value -> craving -> attention -> habit -> seeking) in the episode of each
subject's first lapse, against the episodes after the return in which the drug was at hand
and the subject did not use; and which cues were present at first lapses.
"""

from __future__ import annotations

import tomllib
from typing import Any

import numpy as np
import xarray as xr

from . import relapse

#: bootstrap resamples for the intervals
BOOTSTRAP = 1000
#: the stages of the chain, as recorded
STAGES = (("cue_value", "predicted value of the cues present"),
          ("craving", "craving (0-10)"),
          ("attentional_bias", "attention captured by drug cues (0-1)"),
          ("habit_weight", "habit share of control (0-1)"))


def _abstinent_phases(sc, arm: str | None) -> set[int]:
    from ..world.schedule import compile_schedule

    cs = compile_schedule(sc, arm)
    return set(np.unique(cs.phase_index[cs.arrays["abstinent"]]).tolist())


def without(sc, name: str):
    """``sc`` with the cue ``name`` taken away from the days of daily life after abstinence
    began (every arm); the ablation of a drug or stress body cue cuts the insula's route
    instead."""
    from ..scenario import Task

    if not sc.cue_map[name].shown:
        return sc.model_copy(update={"cohort": sc.cohort.model_copy(
            update={"insula_gain": 0.0})})
    arms = [a.name for a in sc.arm] or [None]
    after = set().union(*(_abstinent_phases(sc, a) for a in arms))
    hit = {p.name for i, p in enumerate(sc.phase) if p.task == Task.DAILY_LIFE and i in after}

    def more(names) -> list[str]:
        return sorted(set(names) | {name})

    phases = [p.model_copy(update={"without": more(p.without)}) if p.name in hit else p
              for p in sc.phase]
    arm_list = [a.model_copy(update={"phases": {
        k: ({**v, "without": more(v["without"])} if k in hit and "without" in v else v)
        for k, v in a.phases.items()}}) for a in sc.arm]
    out = sc.model_copy(update={"phase": phases, "arm": arm_list})
    out._raw_phases = [({**raw, "without": more(raw.get("without", []))} if p.name in hit
                        else raw) for p, raw in zip(sc.phase, sc._raw_phases)]
    return out


def _relapse_free_days(ds: xr.Dataset, base: xr.Dataset
                       ) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    """Per subject: relapsed within the follow-up, and the whole days free of relapse in it
    (the days before the day of relapse); that follow-up, the shortest of the subjects
    at risk in ``base``; and who is at risk. Days are counted from ``base``'s return to the
    drug (an ablation may take away every chance of the drug, and with it the return)."""
    t = relapse.event_times(ds.assign_coords(at_risk_from=base.at_risk_from))
    follow = int(t.follow[t.at_risk].min())
    happened = t.relapse_event & t.at_risk & (t.relapse <= follow)
    days = np.where(happened, t.relapse - 1, follow)
    return happened, days, follow, t.at_risk


def ablation_summary(base: xr.Dataset, ablated: dict[str, xr.Dataset], *,
                     seed: int = 0) -> list[dict[str, Any]]:
    """Each cue's share of the relapse risk and the relapse-free days it costs, with paired
    bootstrap 95% intervals, ranked by share (largest first)."""
    rel0, days0, follow, at_risk = _relapse_free_days(base, base)
    idx = np.flatnonzero(at_risk)
    rng = np.random.default_rng(seed)
    boots = rng.integers(0, idx.size, size=(BOOTSTRAP, idx.size))
    rows = []
    for name, ds in ablated.items():
        rel1, days1, _, _ = _relapse_free_days(ds, base)
        r0, r1 = rel0[idx].astype(float), rel1[idx].astype(float)
        gain = (days1 - days0)[idx].astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = 1.0 - r1.mean() / r0.mean() if r0.mean() > 0 else float("nan")
            bs = 1.0 - r1[boots].mean(axis=1) / r0[boots].mean(axis=1)
        bs = bs[np.isfinite(bs)]
        bg = gain[boots].mean(axis=1)
        rows.append({
            "cue": name, "relapsed_with_cue": float(r0.mean()),
            "relapsed_without_cue": float(r1.mean()),
            "risk_share": None if not np.isfinite(share) else float(share),
            "risk_share_ci": ([float(v) for v in np.percentile(bs, [2.5, 97.5])]
                              if bs.size else None),
            "relapse_free_days_gained": float(gain.mean()),
            "relapse_free_days_gained_ci": [float(v) for v in np.percentile(bg, [2.5, 97.5])],
            "follow_up_days": follow, "subjects": int(idx.size)})
    rows.sort(key=lambda r: -1e9 if r["risk_share"] is None else -r["risk_share"])
    for k, r in enumerate(rows, 1):
        r["rank"] = k
    return rows


def can_ablate(sc, base: xr.Dataset) -> bool:
    """Whether ``base`` (a run of ``sc``) has a cue map to ablate, days to count and
    subjects who returned to the drug."""
    return bool(sc.cue_map) and relapse.has_days(base) and "at_risk_from" in base.coords and (
        bool(relapse.event_times(base).at_risk.any()))


def ablate(sc, base: xr.Dataset, *, progress: bool = False) -> list[dict[str, Any]]:
    """For each cue of ``sc``'s map, the same subjects as ``base`` (its seed, cohort size and
    record) simulated without it; :func:`ablation_summary`'s rows (empty when
    :func:`can_ablate` is false)."""
    from ..results import simulate

    if not can_ablate(sc, base):
        return []
    seed, n = int(base.attrs["seed"]), int(base.sizes["subject"])
    runs = {name: simulate(without(sc, name), subjects=n, record=base.attrs["record"],
                           seed=seed, progress=progress)
            for name in sc.cue_map}
    return ablation_summary(base, runs, seed=seed)


def cue_ablation(scenario, *, subjects: int | None = None, record: str = "daily",
                 progress: bool = False) -> tuple[xr.Dataset, list[dict[str, Any]]]:
    """Simulate ``scenario`` and, for each cue of its map, the same subjects without it;
    returns the full run and :func:`ablation_summary`'s rows (empty without a cue map or a
    return to the drug)."""
    from ..results import simulate
    from ..scenario import load_scenario

    sc = load_scenario(scenario)
    base = simulate(sc, subjects=subjects, record=record, progress=progress)
    return base, ablate(sc, base, progress=progress)


def first_lapse_chain(ds: xr.Dataset) -> dict[str, Any] | None:
    """The chain's stages in the episode of each subject's first lapse after the return,
    against the episodes after the return with the drug at hand and no use (medians over
    subjects of each subject's mean; None for pooled lives, which keep no episode labels),
    and the share of first lapses at which each cue of the map was present (not for pooled
    lives). Episode records with a lapse; else None."""
    if "episode" not in ds.dims or "lapse" not in ds or "at_risk_from" not in ds.coords:
        return None
    lapse = np.asarray(ds.lapse.values, bool)
    if not lapse.any():
        return None
    day = np.asarray(ds.day.values)
    start = np.asarray(ds.at_risk_from.values, float)
    after = day[None, :] >= np.nan_to_num(start, nan=np.inf)[:, None] - 1e-9
    first = np.where((lapse & after).any(axis=1), np.argmax(lapse & after, axis=1), -1)
    who = np.flatnonzero(first >= 0)
    # pooled lives (analysis.relapse.simulate_lives) keep no episode labels: each life met
    # its own days, so when the drug was at hand is not known there
    resisted = None
    if "trial_type" in ds.coords:
        at_hand = np.char.startswith(np.asarray(ds.trial_type.values).astype(str),
                                     "drug at hand")
        resisted = after & at_hand[None, :] & ~np.asarray(ds.seek.values, bool)
    stages = []
    for var, label in STAGES:
        if var not in ds:
            continue
        v = np.asarray(ds[var].values, float)
        at_lapse = v[who, first[who]]
        others = np.array([v[s, resisted[s]].mean()
                           if resisted is not None and resisted[s].any() else np.nan
                           for s in who])
        stages.append({"stage": var, "meaning": label,
                       "at_first_lapse": float(np.median(at_lapse)),
                       "when_resisting": (float(np.nanmedian(others))
                                          if np.isfinite(others).any() else None)})
    cues = {}
    if "context" in ds.coords and "scheduled_cues" in ds.coords:
        where = np.asarray(ds.context.values).astype(str)[first[who]]
        shown = [set(c.split("+")) - {""} for c in
                 np.asarray(ds.scheduled_cues.values).astype(str)[first[who]]]
        for name in cue_map_names(ds):
            cues[name] = float(np.mean([name == w or name in c for w, c in zip(where, shown)]))
        felt = withdrawal_cue(ds)
        if felt is not None and "withdrawal" in ds:
            name, level = felt
            w = np.asarray(ds.withdrawal.values, float)[who, first[who]]
            gain = (np.asarray(ds.param_insula_gain.values, float)[who]
                    if "param_insula_gain" in ds.coords else 1.0)
            cues[name] = float(np.mean(w * gain >= level - 1e-12))
    return {"subjects": int(who.size), "stages": stages, "cues_at_first_lapse": cues}


def _scenario_table(ds: xr.Dataset) -> dict[str, Any]:
    try:
        return tomllib.loads(ds.attrs.get("scenario_text") or "")
    except tomllib.TOMLDecodeError:
        return {}


def cue_map_names(ds: xr.Dataset) -> list[str]:
    """The scheduled cues of the run's cue map (from the scenario text it keeps)."""
    return [name for name, c in _scenario_table(ds).get("cue_map", {}).items()
            if isinstance(c, dict) and c.get("kind") != "body"]


def withdrawal_cue(ds: xr.Dataset) -> tuple[str, float] | None:
    """The run's withdrawal cue and the withdrawal at which it is felt, if its map has one."""
    from ..world.cues import FELT

    for name, c in _scenario_table(ds).get("cue_map", {}).items():
        if isinstance(c, dict) and c.get("kind") == "body" and c.get("state") == "withdrawal":
            return name, float(c.get("felt", FELT))
    return None
