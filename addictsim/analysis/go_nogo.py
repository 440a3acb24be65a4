"""Response inhibition in the go/no-go task (``world.tasks.go_nogo``; Kaufman, Ross, Stein &
Garavan 2003; Smith, Mattick, Jamadar & Iredale 2014): per phase and arm, the commission
rate (presses on no-go trials over no-go trials), the hit rate (presses on go trials over
go trials) and the commission deficit of each arm against a reference arm as a
standardised mean difference (Cohen's d with the pooled standard deviation; positive: more
commission errors than the reference).

Rates are read from daily or per-phase records (``commission``, ``seek``) or, in episode
records, from the presses on trials labelled ``"go"`` and ``"no-go"``.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

REFERENCE_ARM = "control"


def go_nogo_phases(ds: xr.Dataset) -> list[str]:
    """Names of the run's ``go_nogo`` phases that the records resolve, in order."""
    from .criteria import scenario_of

    sc = scenario_of(ds)
    if sc is None:
        return []
    present = set(map(str, ds.phase.values))
    return [p.name for p in sc.phase if str(p.task) == "go_nogo" and p.name in present]


def rates(ds: xr.Dataset, phase: str) -> tuple[np.ndarray, np.ndarray]:
    """Per subject, (commission rate, hit rate) over the go/no-go ``phase``."""
    from .criteria import scenario_of

    sel = ds.phase.values == phase
    if "episode" in ds.dims:
        tt = ds.trial_type.values
        press = ds.action.values == 1
        nogo, go = sel & (tt == "no-go"), sel & (tt == "go")
        return (press[:, nogo].sum(1) / max(nogo.sum(), 1),
                press[:, go].sum(1) / max(go.sum(), 1))
    sc = scenario_of(ds)
    arms = ds.arm.values if "arm" in ds.coords else np.full(ds.sizes["subject"], None)
    n_nogo = np.zeros(ds.sizes["subject"])
    n_go = np.zeros(ds.sizes["subject"])
    named = {a.name for a in sc.arm}
    for arm in dict.fromkeys(arms):
        p = next(x for x in sc.phases_for(arm if arm in named else None) if x.name == phase)
        n = p.days if "day" not in ds.dims else int(sel.sum())
        n_nogo[arms == arm] = p.nogo_trials * n
        n_go[arms == arm] = (p.trials - p.nogo_trials) * n
    commission = ds.commission.values[:, sel].sum(1)
    hits = ds.seek.values[:, sel].sum(1) - commission
    return commission / n_nogo, hits / n_go


def cohens_d(x: np.ndarray, ref: np.ndarray) -> float:
    """Standardised mean difference of ``x`` over ``ref`` (pooled sd; NaN when both are
    constant)."""
    pooled = np.sqrt(((len(x) - 1) * np.var(x, ddof=1) + (len(ref) - 1) * np.var(ref, ddof=1))
                     / (len(x) + len(ref) - 2))
    return float((np.mean(x) - np.mean(ref)) / pooled) if pooled > 0 else float("nan")


def go_nogo_summary(ds: xr.Dataset, reference: str = REFERENCE_ARM) -> list[dict]:
    """Rows per (go/no-go phase, arm): subjects, mean commission and hit rates with their
    standard deviations, and the commission deficit ``d`` against the ``reference`` arm
    (None when the run has no such arm, and for the reference itself)."""
    rows = []
    arms = ds.arm.values if "arm" in ds.coords else np.full(ds.sizes["subject"], "all")
    for phase in go_nogo_phases(ds):
        com, hit = rates(ds, phase)
        ref = com[arms == reference]
        for arm in dict.fromkeys(arms):
            sel = arms == arm
            d = (cohens_d(com[sel], ref) if len(ref) > 1 and arm != reference
                 and sel.sum() > 1 else None)
            rows.append({
                "phase": phase, "arm": str(arm), "subjects": int(sel.sum()),
                "commission_rate": float(np.mean(com[sel])),
                "commission_sd": float(np.std(com[sel])),
                "hit_rate": float(np.mean(hit[sel])),
                "commission_d": d,
            })
    return rows
