"""Discrete-trial choice between a drug and a natural reward (``world.tasks.choice``; Lenoir,
Serre, Cantin & Ahmed 2007): per phase and arm, the share of choices that went to the drug
and the shares of subjects preferring each option.

A subject prefers an option when it chose it on more than half of its completed choice
trials over the phase's last ``last_days`` sessions (Lenoir et al. 2007 used the stable
last sessions); choices are counted from daily or per-phase records (the sampling trials
are taken once each: ``seek - sampling``, ``alternative - sampling`` per session).
"""

from __future__ import annotations

import numpy as np
import xarray as xr


def choice_phases(ds: xr.Dataset) -> list:
    """The run's ``choice`` phases (their models, from the scenario the results carry), in
    order, that the records resolve."""
    from .criteria import scenario_of

    sc = scenario_of(ds)
    if sc is None or ("day" not in ds.dims and "phase" not in ds.dims):
        return []
    present = set(map(str, ds.phase.values))
    return [p for p in sc.phase if str(p.task) == "choice" and p.name in present]


def choice_summary(ds: xr.Dataset, last_days: int = 3) -> list[dict]:
    """Rows per (choice phase, arm): subjects, the phase's drug and alternative, the mean share
    of completed choices that went to the drug, the shares of subjects preferring the drug,
    the alternative, or neither (exactly half), and omitted choice trials per session."""
    rows = []
    arms = ds.arm.values if "arm" in ds.coords else np.full(ds.sizes["subject"], "all")
    for p in choice_phases(ds):
        cols = np.flatnonzero(ds.phase.values == p.name)
        per_day = "day" in ds.dims
        cols = cols[-last_days:] if per_day else cols
        sessions = len(cols) if per_day else p.days
        drug = ds.seek.values[:, cols].sum(axis=1) - p.sampling * sessions
        alt = ds.alternative.values[:, cols].sum(axis=1) - p.sampling * sessions
        done = drug + alt
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(done > 0, drug / done, np.nan)
        for arm in dict.fromkeys(arms):
            sel = arms == arm
            s = share[sel]
            rows.append({
                "phase": p.name, "arm": str(arm), "subjects": int(sel.sum()),
                "drug": p.reinforcer.value, "dose": float(p.dose) if p.dose is not None
                else None, "alternative": p.alternative.value,
                "sessions": int(sessions),
                "drug_choice_share": float(np.nanmean(s)) if np.isfinite(s).any() else None,
                "prefer_drug": float(np.mean(s > 0.5)),
                "prefer_alternative": float(np.mean(s < 0.5)),
                "indifferent": float(np.mean(s == 0.5)),
                "omissions_per_session": float(np.mean(
                    p.choices - done[sel] / max(sessions, 1))),
            })
    return rows
