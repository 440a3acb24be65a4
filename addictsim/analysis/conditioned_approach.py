"""Pavlovian conditioned approach as the field scores it (Meyer et al. 2012).

Per subject, over the chosen sessions, from the approaches recorded in each response
window of each lever presentation (``world.tasks.conditioned_approach``; slot 1 = the
lever, slot 2 = the food cup):

* response bias: ``(lever - cup) / (lever + cup)`` approaches (0 when neither);
* probability difference: the share of trials with a lever approach minus the share with a
  food-cup approach;
* latency score: ``(cup latency - lever latency) / cue duration``, a latency being the
  start of the first window with that approach (0 for an approach in the first window),
  or the whole cue duration when none;
* the PCA index: the mean of the three, from -1 (every approach to the food cup, at once)
  to +1 (every approach to the lever). Sign-trackers have an index >= 0.5, goal-trackers
  <= -0.5, the rest are intermediate (Meyer et al. 2012's cut-offs).

:func:`dopamine` gives the phasic dopamine response at lever insertion (the first
window's cue response) and at food delivery (the last window's outcome response), per
subject and session, as fast-scan voltammetry in the accumbens core reports them
(Flagel et al. 2011).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

LEVER, CUP = 1, 2
ST_CUTOFF = 0.5
GROUPS = ("sign-tracker", "intermediate", "goal-tracker")


def _windows(ds: xr.Dataset) -> tuple[np.ndarray, int]:
    tt = np.asarray(ds.trial_type.values, dtype=str)
    is_pca = np.char.startswith(tt, "PCA window ")
    if not is_pca.any():
        raise ValueError("the dataset has no conditioned_approach episodes "
                         "(trial_type 'PCA window k')")
    k = np.zeros(tt.shape, int)
    k[is_pca] = [int(s.rsplit(" ", 1)[1]) for s in tt[is_pca]]
    return k, int(k.max())


@dataclass(frozen=True)
class Approaches:
    """Per subject (rows), trial (columns) and window: 1 lever, 2 food cup, 0 neither."""

    action: np.ndarray          # (subjects, trials, windows)
    day: np.ndarray             # (trials,) day index of each trial
    phase: np.ndarray           # (trials,) phase name of each trial
    first: np.ndarray           # (trials,) episode index of each trial's first window
    window_s: float


def approaches(ds: xr.Dataset, window_s: float, phase: str | None = None) -> Approaches:
    """The approach responses of every conditioned_approach trial in ``ds`` (episode records),
    or of one ``phase``. The trials must share one protocol (windows per lever insertion)."""
    if "episode" not in ds.dims:
        raise ValueError("the conditioned-approach analysis needs episode records "
                         "(record = 'episode')")
    k, _ = _windows(ds)
    if phase is not None:
        k = np.where(np.asarray(ds.phase.values) == phase, k, 0)
    first = np.flatnonzero(k == 1)
    if first.size == 0:
        raise ValueError(f"phase {phase!r} has no conditioned_approach trials")
    # windows of each trial: the run of consecutive window numbers from its first
    ends = np.append(first[1:], k.size)
    per_trial = np.array([int(np.argmax(np.append(k[f + 1:e] != np.arange(2, e - f + 1), True)))
                          + 1 for f, e in zip(first, ends)])
    n_win = int(per_trial[0])
    if np.any(per_trial != n_win):
        raise ValueError("the conditioned_approach trials have different numbers of response "
                         f"windows ({sorted(set(per_trial.tolist()))}); analyse one protocol at "
                         "a time (phase=...)")
    act = ds.action.values
    a = np.stack([act[:, first + j] for j in range(n_win)], axis=-1)
    a = np.where((a == LEVER) | (a == CUP), a, 0)
    return Approaches(a, ds.day_index.values[first], np.asarray(ds.phase.values)[first], first,
                      float(window_s))


def scores(ap: Approaches, trials: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Per subject: the three components, the PCA index and the mean approaches per trial."""
    a = ap.action if trials is None else ap.action[:, trials]
    n_win = a.shape[2]
    lever, cup = (a == LEVER).sum(-1), (a == CUP).sum(-1)
    tot_l, tot_c = lever.sum(1), cup.sum(1)
    bias = np.where(tot_l + tot_c > 0, (tot_l - tot_c) / np.maximum(tot_l + tot_c, 1), 0.0)
    pdiff = (lever > 0).mean(1) - (cup > 0).mean(1)
    duration = n_win * ap.window_s

    def latency(code):
        hit = a == code
        t = np.argmax(hit, axis=-1) * ap.window_s
        return np.where(hit.any(-1), t, duration).mean(1)

    lat = (latency(CUP) - latency(LEVER)) / duration
    return {"response_bias": bias, "probability_difference": pdiff, "latency_score": lat,
            "pca_index": (bias + pdiff + lat) / 3.0,
            "lever_per_trial": lever.mean(1), "cup_per_trial": cup.mean(1)}


def groups(index: np.ndarray) -> np.ndarray:
    """``"sign-tracker"``, ``"goal-tracker"`` or ``"intermediate"`` per subject."""
    return np.where(index >= ST_CUTOFF, GROUPS[0],
                    np.where(index <= -ST_CUTOFF, GROUPS[2], GROUPS[1]))


def dopamine(ds: xr.Dataset, ap: Approaches) -> tuple[np.ndarray, np.ndarray]:
    """Per subject (rows) and trial (columns): dopamine at lever insertion and at the food."""
    n_win = ap.action.shape[2]
    cue = ds.da_cue.values[:, ap.first]
    food = ds.da_outcome.values[:, ap.first + n_win - 1]
    return cue, food
