"""Conditioned place preference (``world.tasks.place_preference``; Tzschentke 1998; Mueller &
Stewart 2000): per test, arm and phase, the time spent in the drug-paired compartment, in
the unpaired one and in the centre, and the preference score the field reports (time in
paired minus time in unpaired, seconds per test).

Time is counted in response windows: each test window the subject spends in the paired
compartment is a ``seek`` and each in the unpaired one an ``alternative`` in the records
(the task's action slots 1 and 2). Works on episode and daily records (one row per test)
and on per-phase records (the phase's tests averaged).
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from ..world.tasks.place_preference import TEST


def place_preference_phases(ds: xr.Dataset) -> list:
    """The run's ``place_preference`` phases with tests (their models, from the scenario
    the results carry), in order, that the records resolve."""
    from .criteria import scenario_of

    sc = scenario_of(ds)
    if sc is None or not ({"episode", "day"} & set(ds.dims) or "phase" in ds.dims):
        return []
    present = set(map(str, ds.phase.values))
    return [p for p in sc.phase
            if str(p.task) == "place_preference" and p.tests > 0 and p.name in present]


def _tests(ds: xr.Dataset, p) -> list[tuple[int | None, np.ndarray, np.ndarray, int]]:
    """(test number, windows in the paired compartment and in the unpaired one per subject,
    tests they add up) for phase ``p``: one per test in episode and daily records, one for
    the whole phase in per-phase records."""
    phase = np.asarray(ds.phase.values) == p.name
    if "episode" in ds.dims:
        test = phase & (np.asarray(ds.trial_type.values) == TEST)
        days = np.asarray(ds.day_index.values)
        out = []
        for k, d in enumerate(dict.fromkeys(days[test].tolist())):
            a = ds.action.values[:, test & (days == d)]
            out.append((k + 1, (a == 1).sum(axis=1), (a == 2).sum(axis=1), 1))
        return out
    cols = np.flatnonzero(phase)
    if "day" not in ds.dims:
        return [(None, ds.seek.values[:, cols].sum(axis=1),
                 ds.alternative.values[:, cols].sum(axis=1), p.tests)]
    # the pairing days come first; the phase's last days are its tests
    return [(k + 1, ds.seek.values[:, c], ds.alternative.values[:, c], 1)
            for k, c in enumerate(cols[-p.tests:])]


def place_preference_summary(ds: xr.Dataset) -> list[dict]:
    """Rows per (place_preference phase, test, arm): subjects, the drug and dose the phase
    pairs (none for a test-only phase), the prime and stress before the test, and the mean
    seconds per test in the paired compartment, the unpaired one and the centre, the
    preference score (paired minus unpaired; its standard error across subjects) and the
    share of compartment time spent in the paired one."""
    from .criteria import scenario_of

    rows = []
    arms = ds.arm.values if "arm" in ds.coords else np.full(ds.sizes["subject"], "all")
    sc = scenario_of(ds)
    # each arm's own settings of a phase (its dose, prime, stress)
    as_run = {arm: {q.name: q for q in sc.phases_for(None if arm == "all" else str(arm))}
              for arm in dict.fromkeys(arms)} if sc is not None else {}
    for p in place_preference_phases(ds):
        windows = max(1, math.floor(p.test / p.response_window + 1e-9))
        for k, in_paired, in_unpaired, n in _tests(ds, p):
            paired = in_paired / n * p.response_window
            unpaired = in_unpaired / n * p.response_window
            centre = windows * p.response_window - paired - unpaired
            score = paired - unpaired
            inside = paired + unpaired
            with np.errstate(invalid="ignore", divide="ignore"):
                share = np.where(inside > 0, paired / inside, np.nan)
            for arm in dict.fromkeys(arms):
                sel = arms == arm
                m = int(sel.sum())
                s = score[sel]
                q = as_run[arm][p.name]
                rows.append({
                    "phase": p.name, "test": k,
                    "tests": int(n), "arm": str(arm), "subjects": m,
                    "paired": p.paired, "unpaired": p.unpaired,
                    "drug": q.reinforcer.value if q.pairings else None,
                    "dose": float(q.dose) if q.pairings and q.dose is not None else None,
                    "prime": float(q.prime) if q.prime is not None else None,
                    "stress_ma": float(q.stress) if q.stress is not None else None,
                    "paired_s": float(paired[sel].mean()),
                    "unpaired_s": float(unpaired[sel].mean()),
                    "centre_s": float(centre[sel].mean()),
                    "score_s": float(s.mean()),
                    "score_sem_s": float(s.std(ddof=1) / math.sqrt(m)) if m > 1 else None,
                    "paired_share": (float(np.nanmean(share[sel]))
                                     if np.isfinite(share[sel]).any() else None),
                })
    return rows
