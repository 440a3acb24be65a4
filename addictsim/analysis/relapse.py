"""Lapse, relapse and abstinence outcomes after abstinence began, with survival curves.

A lapse is any use after abstinence began (the ``lapse`` record); a relapse is a return to
regular use as the scenario's ``[relapse]`` rule defines it (``use_days`` days with use
within ``within`` days; e.g. 3 in 7). The cohort's times are counted in days from the first
day the drug was at hand again after abstinence began (``at_risk_from``, the subject's
arm's return to the drug: leaving a detox, the first day of re-access), and censored at
the end of the record: survival curves are Kaplan-Meier estimates (Kaplan & Meier 1958;
``scipy.stats.ecdf``), as cessation and relapse studies report them (Hughes et al. 2003;
Kirshenbaum, Olsen & Bickel 2009). Abstinence outcomes (Hughes et al. 2003): continuous
abstinence to day t (no lapse since the return) and point-prevalence abstinence at day t
(no use in the 7 or 14 days up to it).

Needs episode or daily records (per-phase records do not keep the days).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

#: default relapse rule: use on 3 days within 7 (issue #9's example; a common
#: "return to regular use" threshold, e.g. Hughes et al. 2003's 7-day window)
USE_DAYS = 3
WITHIN_DAYS = 7
#: the days at which the summaries read the survival curves (3, 6 and 12 months)
MILESTONES = (90, 180, 365)


@dataclass(frozen=True)
class Rule:
    """Relapse: use on ``use_days`` days within ``within_days`` days."""

    use_days: int = USE_DAYS
    within_days: int = WITHIN_DAYS

    @classmethod
    def of(cls, ds: xr.Dataset) -> "Rule":
        """The rule a run was made with (its attrs), else the default."""
        return cls(int(ds.attrs.get("relapse_use_days", USE_DAYS)),
                   int(ds.attrs.get("relapse_within_days", WITHIN_DAYS)))


def has_days(ds: xr.Dataset) -> bool:
    """Whether ``ds`` keeps the days (episode or daily records) and records lapses."""
    return "lapse" in ds.data_vars and ("episode" in ds.lapse.dims or "day" in ds.lapse.dims)


def use_by_day(ds: xr.Dataset) -> tuple[np.ndarray, np.ndarray]:
    """Per subject, whether it lapsed on each day: ``(lapsed (S, D) bool, days (D,))`` over
    every day from the first to the last recorded (days without episodes: no use)."""
    lapse = np.asarray(ds.lapse.values) > 0
    if "episode" in ds.lapse.dims:
        day = np.asarray(ds.day_index.values, np.int64)
        starts = _day_starts(day)                   # episodes are in time order
        lapse, day = np.logical_or.reduceat(lapse, starts, axis=1), day[starts]
    else:
        day = np.asarray(ds.day.values, np.int64)
    days = np.arange(day.min(), day.max() + 1)
    out = np.zeros((lapse.shape[0], days.size), bool)
    out[:, day - days[0]] = lapse
    return out, days


def _day_starts(day: np.ndarray) -> np.ndarray:
    """Indices of the first episode of each day (``day`` non-decreasing)."""
    return np.flatnonzero(np.r_[True, np.diff(day) != 0])


def rolling_use_days(lapsed: np.ndarray, within: int) -> np.ndarray:
    """Per subject and day, the days with use among the ``within`` days ending on it."""
    c = np.cumsum(lapsed, axis=1, dtype=np.int64)
    before = np.pad(c, ((0, 0), (within, 0)))[:, :c.shape[1]]
    return c - before


def relapse_by_day(lapsed: np.ndarray, rule: Rule) -> np.ndarray:
    """Per subject and day, whether the rule is met on the window ending that day."""
    return rolling_use_days(lapsed, rule.within_days) >= rule.use_days


def relapse_record(ds: xr.Dataset, rule: Rule) -> np.ndarray:
    """The ``relapse`` record on ``ds``'s own grid (subject x episode or x day): whether the
    rule is met counting use up to that point (in an episode record a use later in the
    same day does not count yet)."""
    lapse = np.asarray(ds.lapse.values) > 0
    if not lapse.any():                  # nobody used after abstinence began (or it never did)
        return np.zeros(lapse.shape, bool)
    lapsed, days = use_by_day(ds)
    if "day" in ds.lapse.dims:
        met = relapse_by_day(lapsed, rule)
        return met[:, np.asarray(ds.day.values, np.int64) - days[0]]
    # episodes: the days before, plus this day's use so far
    day = np.asarray(ds.day_index.values, np.int64)
    before = rolling_use_days(lapsed, rule.within_days - 1) if rule.within_days > 1 else (
        np.zeros_like(lapsed, np.int64))
    prior = np.pad(before, ((0, 0), (1, 0)))[:, :-1][:, day - days[0]]   # to the day before
    # this day's use so far: lapses since the day's first episode
    c = np.cumsum(lapse, axis=1, dtype=np.int64)
    starts = _day_starts(day)
    first = starts[np.cumsum(np.r_[True, np.diff(day) != 0]) - 1]   # each episode's day start
    at_start = np.pad(c, ((0, 0), (1, 0)))[:, first]
    return (prior + (c - at_start > 0)) >= rule.use_days


@dataclass(frozen=True)
class Times:
    """Per subject: days from the return to the drug to the first lapse and to relapse (the
    day the event happened, counted from 1), each with whether it happened (False:
    censored at the end of the record)."""

    lapse: np.ndarray
    lapse_event: np.ndarray
    relapse: np.ndarray
    relapse_event: np.ndarray
    at_risk: np.ndarray            # whether the subject ever returned to the drug
    follow: np.ndarray             # days from the return to the end of the record


def event_times(ds: xr.Dataset, rule: Rule | None = None) -> Times:
    rule = rule or Rule.of(ds)
    lapsed, days = use_by_day(ds)
    met = relapse_by_day(lapsed, rule)
    start = np.asarray(ds.at_risk_from.values, float) if "at_risk_from" in ds.coords else (
        np.full(lapsed.shape[0], np.nan))
    at_risk = np.isfinite(start)
    first = np.where(at_risk, np.floor(np.nan_to_num(start) + 1e-9), 0).astype(np.int64)
    follow = days[-1] - first + 1                  # days from the return to the last
    out = []
    for flags in (lapsed, met):
        after = flags & (days[None, :] >= first[:, None])
        happened = after.any(axis=1) & at_risk
        t = np.where(happened, days[np.argmax(after, axis=1)] - first + 1, follow)
        out += [t.astype(float), happened]
    return Times(out[0], out[1], out[2], out[3], at_risk, np.where(at_risk, follow, 0))


def kaplan_meier(t: np.ndarray, event: np.ndarray, at: np.ndarray,
                 follow: float | None = None) -> np.ndarray:
    """The Kaplan-Meier survival (share still event-free) at the days ``at``; NaN beyond
    ``follow`` (the follow-up; default the longest time given)."""
    from scipy.stats import CensoredData, ecdf

    t, event = np.asarray(t, float), np.asarray(event, bool)
    at = np.asarray(at, float)
    if t.size == 0:
        return np.full(at.shape, np.nan)
    limit = t.max() if follow is None else follow
    if not event.any():
        return np.where(at <= limit, 1.0, np.nan)
    res = ecdf(CensoredData(uncensored=t[event], right=t[~event]))
    return np.where(at <= limit, res.sf.evaluate(at), np.nan)


@dataclass(frozen=True)
class HazardFit:
    """Maximum-likelihood fits of right-censored event times: the exponential (a constant
    hazard) and the log-logistic (a hazard that rises then falls, or only falls when its
    shape ``beta`` <= 1), with their AICs."""

    rate: float            # exponential: events per day
    alpha: float           # log-logistic: median (days)
    beta: float            # log-logistic: shape
    aic_exponential: float
    aic_loglogistic: float

    @property
    def delta_aic(self) -> float:
        """AIC of the exponential less that of the log-logistic (> 2: the log-logistic fits
        better, as Kirshenbaum, Olsen & Bickel 2009 found for relapse curves)."""
        return self.aic_exponential - self.aic_loglogistic


def hazard_fit(t: np.ndarray, event: np.ndarray) -> HazardFit:
    """Fit the exponential and the log-logistic survival functions to times ``t`` (days,
    > 0) with ``event`` (False: right-censored), by maximum likelihood (the log-logistic
    numerically, on the log scale of its two parameters: ``scipy.optimize``). NaN fits
    when nothing happened."""
    from scipy.optimize import minimize

    t, event = np.asarray(t, float), np.asarray(event, bool)
    n_ev = int(event.sum())
    if n_ev == 0 or t.size == 0:
        nan = float("nan")
        return HazardFit(nan, nan, nan, nan, nan)
    rate = n_ev / float(t.sum())
    ll_exp = n_ev * np.log(rate) - rate * t.sum()

    logt = np.log(t)

    def nll(p):
        la, lb = p
        z = np.exp(lb) * (logt - la)                  # log((t / alpha) ** beta)
        log_s = -np.logaddexp(0.0, z)                 # log S = -log(1 + (t/alpha)^beta)
        log_f = lb - la + (np.exp(lb) - 1.0) * (logt - la) + 2.0 * log_s
        return -float(np.sum(np.where(event, log_f, log_s)))

    start = np.array([np.log(np.median(t[event])), 0.0])
    best = minimize(nll, start, method="Nelder-Mead",
                    options={"xatol": 1e-6, "fatol": 1e-8, "maxiter": 4000})
    la, lb = best.x
    return HazardFit(rate=float(rate), alpha=float(np.exp(la)), beta=float(np.exp(lb)),
                     aic_exponential=float(2.0 - 2.0 * ll_exp),
                     aic_loglogistic=float(4.0 + 2.0 * best.fun))


def simulate_lives(scenario, lives: int, subjects_per_life: int, *, record: str = "episode",
                   progress: bool = False) -> xr.Dataset:
    """Simulate ``lives`` cohorts of ``subjects_per_life`` people (per arm's share: the arms
    split each), each cohort meeting its own draw of the days of its daily life, and pool
    them (a ``life`` coordinate per subject).

    One run's cohort shares one draw of what its people meet (``world.tasks.daily_life``:
    versions of one person); a population's relapse curve is an average over lives as well
    as brains. Life ``i`` draws its days from the scenario's seed plus ``i`` and its
    subjects from a seed of its own. Episode labels that differ between lives (``trial_type``,
    ``context``, ``scheduled_cues``) are dropped; times, phases and every record are kept."""
    from ..results import drop_differing, simulate
    from ..scenario import load_scenario

    sc = load_scenario(scenario)
    if lives < 1 or subjects_per_life < 1:
        raise ValueError(f"lives and subjects_per_life must be at least 1, got {lives} and "
                         f"{subjects_per_life}")
    base = int(sc.scenario.seed)
    parts = []
    for i in range(lives):
        meta = sc.scenario.model_copy(update={"seed": base + i})
        life = sc.model_copy(update={"scenario": meta})
        ds = simulate(life, subjects=subjects_per_life, seed=base * 7919 + 104729 * (i + 1),
                      record=record, progress=progress)
        parts.append(ds.assign_coords(life=("subject", np.full(ds.sizes["subject"], i))))
    if lives == 1:
        return parts[0]
    parts = drop_differing(parts, ("trial_type", "context", "scheduled_cues"))
    out = xr.concat(parts, dim="subject", coords="minimal", compat="override", join="override")
    out = out.assign_coords(subject=np.arange(out.sizes["subject"]))
    out.attrs.update(parts[0].attrs)
    out.attrs.update(lives=lives, subjects=int(out.sizes["subject"]),
                     seed=base, lives_note=f"{lives} lives (days drawn from seeds {base}-"
                                           f"{base + lives - 1}), pooled")
    return out


def point_prevalence(ds: xr.Dataset, at_day: int, window: int) -> float:
    """The share of subjects at risk with no use in the ``window`` days up to day ``at_day``
    after their return (NaN when the record is shorter)."""
    lapsed, days = use_by_day(ds)
    start = np.asarray(ds.at_risk_from.values, float)
    ok = np.isfinite(start)
    if not ok.any():
        return float("nan")
    first = np.floor(start[ok] + 1e-9).astype(np.int64)
    end = first + at_day - 1
    if end.max() > days[-1]:
        return float("nan")
    rows = lapsed[ok]
    idx = np.arange(rows.shape[0])
    c = np.pad(np.cumsum(rows, axis=1), ((0, 0), (1, 0)))
    hi = end - days[0] + 1
    lo = np.maximum(hi - window, 0)
    return float(np.mean(c[idx, hi] - c[idx, lo] == 0))


def relapse_summary(ds: xr.Dataset, at: tuple[int, ...] = MILESTONES) -> list[dict]:
    """Per arm (and all subjects when there are several): subjects at risk, follow-up days,
    the share that lapsed and relapsed, survival without lapse and without relapse at the
    days ``at`` (Kaplan-Meier; None beyond the follow-up), median days to each, and
    point-prevalence abstinence (7 and 14 days) at the end of follow-up. Empty when the run
    has no days, no lapse record or nobody returned to the drug."""
    if not has_days(ds) or "at_risk_from" not in ds.coords:
        return []
    times = event_times(ds)
    if not times.at_risk.any():
        return []
    arms = np.asarray(ds.arm.values).astype(str) if "arm" in ds.coords else (
        np.full(ds.sizes["subject"], "all"))
    groups = [(a, arms == a) for a in dict.fromkeys(arms)]
    if len(groups) > 1:
        groups.append(("all", np.ones(arms.size, bool)))
    rule = Rule.of(ds)
    rows = []
    for name, sel in groups:
        sel = sel & times.at_risk
        if not sel.any():
            continue
        follow = int(times.follow[sel].min())
        row = {"arm": name, "n_at_risk": int(sel.sum()), "follow_up_days": follow,
               "relapse_rule": f"use on {rule.use_days} days within {rule.within_days}",
               "lapsed_share": float(times.lapse_event[sel].mean()),
               "relapsed_share": float(times.relapse_event[sel].mean())}
        for what in ("lapse", "relapse"):
            t, ev = getattr(times, what)[sel], getattr(times, f"{what}_event")[sel]
            s = kaplan_meier(t, ev, np.asarray(at), follow)
            for day, v in zip(at, s):
                row[f"free_of_{what}_day_{day}"] = None if not np.isfinite(v) else float(v)
            grid = np.arange(1, follow + 1)
            curve = kaplan_meier(t, ev, grid, follow)
            below = np.flatnonzero(curve <= 0.5)
            row[f"median_days_to_{what}"] = int(grid[below[0]]) if below.size else None
        for window in (7, 14):
            sub = ds.isel(subject=np.flatnonzero(sel))
            v = point_prevalence(sub, follow, window)
            row[f"point_prevalence_{window}d_at_end"] = None if not np.isfinite(v) else v
        rows.append(row)
    return rows
