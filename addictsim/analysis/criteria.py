"""The three addiction-like criteria of Deroche-Gamonet, Belin & Piazza 2004 (Science
305:1014), per subject, from a run's records.

* **Persistence** (inability to refrain from seeking): seeking presses while a no-drug
  period is signalled (``seek_no_drug``), per session, over the ``signalled_unavailability``
  sessions the caller names.
* **Motivation**: the progressive-ratio breakpoint, the last ratio completed in a
  ``progressive_ratio`` session (``world.tasks.progressive_ratio.breakpoints``).
* **Resistance to punishment**: deliveries in a session in which each delivery comes with a
  footshock, as a share of deliveries in the unpunished session before it.

A subject is positive on a criterion when it is in the top third of its group (the cohort,
or each arm) on that measure (Deroche-Gamonet et al. 2004: the upper 34%), and its score is
the number of positive criteria, 0-3. If the criteria were independent, with each a third
positive, the scores would be binomial(3, 1/3): 8/27, 12/27, 6/27 and 1/27 of the cohort;
rats are not (Deroche-Gamonet et al. 2004: 41% score 0, 28% 1, 14% 2 and 17% 3 after long
self-administration; a similar distribution in Belin et al. 2008).

Works on per-phase (summary) or daily records; each measure is a per-subject mean over the
days of its phase(s).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

import numpy as np
import xarray as xr

from ..world.tasks.progressive_ratio import breakpoints

#: names of the three criteria, in order
CRITERIA = ("persistence", "motivation", "resistance")
#: share of a group positive on each criterion (the top third)
TOP = 1.0 / 3.0


@dataclass(frozen=True)
class Criteria:
    """Per-subject measures, positives and scores of one run."""

    measures: dict[str, np.ndarray]     # criterion -> per-subject measure
    positive: dict[str, np.ndarray]     # criterion -> per-subject bool
    score: np.ndarray                   # per-subject 0-3
    groups: np.ndarray                  # per-subject group label (arm or "all")


def _dim(ds: xr.Dataset) -> str:
    return "day" if "day" in ds.dims else "phase"


def scenario_of(ds: xr.Dataset):
    """The scenario the results carry (``attrs["scenario_text"]``), or None when there is
    none or it no longer loads (results written by another version)."""
    from ..scenario import ScenarioError, load_scenario

    text = ds.attrs.get("scenario_text")
    if not text:
        return None
    try:
        return load_scenario(str(text))
    except (ScenarioError, ValueError):
        return None


def _phase_days(ds: xr.Dataset, phases: list[str]) -> np.ndarray:
    """Per subject, the number of days of ``phases`` as its arm runs them (from the scenario
    the results carry)."""
    sc = scenario_of(ds)
    if sc is None:
        raise ValueError("per-phase records need the scenario the results carry to count "
                         "days; record daily instead")
    arms = ds.arm.values if "arm" in ds.coords else np.full(ds.sizes["subject"], None)
    out = np.zeros(ds.sizes["subject"])
    for arm in {a for a in arms}:
        n = sum(getattr(p, "days", 1) for p in sc.phases_for(arm or None) if p.name in phases)
        out[arms == arm] = n
    return out


def _per_day(ds: xr.Dataset, name: str, phases: list[str]) -> np.ndarray:
    """Per subject, the mean per day of ``name`` over ``phases`` (summary records: the phases'
    total over their days)."""
    labels = ds.phase.values
    sel = np.flatnonzero(np.isin(labels, phases))
    if sel.size == 0:
        raise ValueError(f"no records of phase(s) {phases}; phases are {sorted(set(labels))}")
    values = ds[name].values[:, sel]
    if _dim(ds) == "day":
        return np.nanmean(values, axis=1)
    return np.nansum(values, axis=1) / _phase_days(ds, phases)


def measures(ds: xr.Dataset, *, persistence: list[str], breakpoint: str, baseline: str,
             punished: str, series: list[int]) -> dict[str, np.ndarray]:
    """The three per-subject measures: ``persistence`` (no-drug presses per session over those
    phases), ``motivation`` (breakpoint of the ``breakpoint`` phase's sessions, averaged over
    sessions), ``resistance`` (deliveries in ``punished`` over deliveries in ``baseline``)."""
    taken = "drug_taken"
    bp = breakpoints(series, _per_day(ds, taken, [breakpoint]))
    base = _per_day(ds, taken, [baseline])
    pun = _per_day(ds, taken, [punished])
    with np.errstate(invalid="ignore", divide="ignore"):
        resistance = np.where(base > 0, pun / base, np.nan)
    return {"persistence": _per_day(ds, "seek_no_drug", persistence), "motivation": bp,
            "resistance": resistance}


def score(measures_: dict[str, np.ndarray], groups: np.ndarray | None = None, *,
          seed: int = 0) -> Criteria:
    """Positives (the top ``ceil(n / 3)`` of each group on each criterion) and scores.
    Subjects tied at the cut (breakpoints take the values of a series; many subjects keep
    all their intake under punishment) are ordered at random, from ``seed``, so that each
    criterion has a third of the group positive, as the comparison with independent criteria
    assumes. A missing measure (NaN) is never positive."""
    n = len(next(iter(measures_.values())))
    groups = np.full(n, "all", dtype=object) if groups is None else np.asarray(groups)
    positive = {c: np.zeros(n, bool) for c in CRITERIA}
    rng = np.random.default_rng(seed)
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        k = int(np.ceil(TOP * idx.size))
        for c in CRITERIA:
            x = np.nan_to_num(np.asarray(measures_[c], float)[idx], nan=-np.inf)
            order = np.lexsort((rng.random(idx.size), -x))
            top = order[:k]
            positive[c][idx[top[np.isfinite(x[top])]]] = True
    total = sum(positive[c].astype(int) for c in CRITERIA)
    return Criteria(measures=measures_, positive=positive, score=total, groups=groups)


def independent_distribution() -> np.ndarray:
    """Shares of scores 0-3 if the three criteria were independent, each a third positive."""
    return np.array([comb(3, k) * TOP ** k * (1 - TOP) ** (3 - k) for k in range(4)])


def distribution(scores: np.ndarray) -> np.ndarray:
    """Shares of scores 0, 1, 2 and 3."""
    s = np.asarray(scores)
    return np.array([np.mean(s == k) for k in range(4)]) if s.size else np.full(4, np.nan)


def summary(c: Criteria, params: dict[str, np.ndarray] | None = None) -> list[dict]:
    """Per group: the score distribution beside the independent one, the criteria's pairwise
    rank correlations, and (``params``: name -> per-subject value) each varying parameter's
    rank correlation with the score."""
    from scipy.stats import spearmanr

    out = []
    for g in np.unique(c.groups):
        sel = c.groups == g
        row = {"group": str(g), "subjects": int(sel.sum()),
               "score_shares": distribution(c.score[sel]).tolist(),
               "independent_shares": independent_distribution().tolist()}
        pairs = {}
        for i, a in enumerate(CRITERIA):
            for b in CRITERIA[i + 1:]:
                pairs[f"{a}~{b}"] = float(spearmanr(c.measures[a][sel], c.measures[b][sel],
                                                    nan_policy="omit").statistic)
        row["criteria_rank_correlations"] = pairs
        if params:
            row["parameter_score_correlations"] = {
                name: float(spearmanr(v[sel], c.score[sel]).statistic)
                for name, v in params.items() if np.ptp(v[sel]) > 0}
        out.append(row)
    return out


def varying_parameters(ds: xr.Dataset) -> dict[str, np.ndarray]:
    """The per-subject parameters that vary in the cohort (``param_*`` coordinates)."""
    out = {}
    for k in ds.coords:
        if str(k).startswith("param_"):
            v = np.asarray(ds[k].values, float)
            if v.ndim == 1 and np.ptp(v) > 0:
                out[str(k)[6:]] = v
    return out


@dataclass(frozen=True)
class TimePoint:
    """The phases one assessment of the criteria reads."""

    label: str
    persistence: list[str]
    breakpoint: str
    baseline: str
    punished: str
    series: list[int]


def timepoints(ds: xr.Dataset) -> list[TimePoint]:
    """The assessments a run holds, found in its scenario: each ``progressive_ratio`` phase
    preceded (at any distance) by a ``signalled_unavailability`` phase and followed directly
    by an unpunished and a punished ``self_administration`` phase is one, labelled by the
    progressive-ratio phase's name (persistence is read from the last signalled phase
    before it)."""
    sc = scenario_of(ds)
    if sc is None:
        return []
    phases = list(sc.phase)
    present = set(map(str, ds.phase.values))
    out = []
    for i, p in enumerate(phases):
        if str(p.task) != "progressive_ratio" or i + 2 >= len(phases):
            continue
        before = [q for q in phases[:i] if str(q.task) == "signalled_unavailability"]
        base, pun = phases[i + 1], phases[i + 2]
        if not before or str(base.task) != "self_administration" or \
                str(pun.task) != "self_administration" or base.punishment > 0 or \
                pun.punishment <= 0:
            continue
        tp = TimePoint(label=p.name, persistence=[before[-1].name], breakpoint=p.name,
                       baseline=base.name, punished=pun.name, series=p.series)
        if {tp.persistence[0], tp.breakpoint, tp.baseline, tp.punished} <= present:
            out.append(tp)
    return out


def criteria_summary(ds: xr.Dataset) -> list[dict]:
    """Per assessment (``timepoints``), the criteria as :func:`summary` gives them for the
    whole cohort, with each criterion's median measure; an empty list when the run has none
    (or records episodes: the criteria read daily or per-phase records)."""
    if "subject" not in ds.dims or ("day" not in ds.dims and "phase" not in ds.dims):
        return []
    rows = []
    params = varying_parameters(ds)
    for tp in timepoints(ds):
        m = measures(ds, persistence=tp.persistence, breakpoint=tp.breakpoint,
                     baseline=tp.baseline, punished=tp.punished, series=tp.series)
        c = score(m, seed=int(ds.attrs.get("seed", 0)))
        (row,) = summary(c, params)
        row["timepoint"] = tp.label
        row["medians"] = {k: float(np.nanmedian(v)) for k, v in m.items()}
        row["positive_shares"] = {k: float(np.mean(v)) for k, v in c.positive.items()}
        rows.append(row)
    return rows
