"""Delay discounting as the field reports it.

* :func:`indifference_points` replays each adjusting-amount series of a
  ``delay_discounting`` phase from the recorded choices: the final fraction of the
  later amount is the indifference point at that delay (Richards et al. 1997; Du,
  Green & Myerson 2002).
* :func:`fit` fits, per subject, the hyperbolic ``V = 1 / (1 + k D)`` (Mazur 1987)
  and the exponential ``V = exp(-k D)`` to the indifference points (as fractions of the
  later amount, so ``A = 1``) by least squares, each with its one free parameter, so
  the smaller residual sum of squares names the better model (Bickel, Odum & Madden 1999
  compared them the same way). The fit is a search over ``log k`` on a fine grid,
  refined once around the best point: it cannot stop in a local minimum.
* :func:`area_under_curve`: the model-free area under the discounting curve (Myerson,
  Green & Warusawitharana 2001), delays scaled to the longest, trapezoids from (0, 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..world.tasks import delay_discounting as task
from .stats import median_iqr

_LABEL = re.compile(r"^now vs (\S+) d$")


def indifference_points(ds: xr.Dataset, phase: str | None = None
                        ) -> tuple[np.ndarray, np.ndarray]:
    """``(delays_d, points)`` of a ``delay_discounting`` phase of ``ds`` (episode records):
    the delays in days, in the order run, and per subject (rows) the indifference point at
    each, as a fraction of the later amount. A withheld choice (never, in a forced task)
    leaves the fraction where it was."""
    if "episode" not in ds.dims:
        raise ValueError("the discounting analysis needs episode records (record = 'episode')")
    tt = ds.trial_type.values
    keep = np.ones(tt.shape, bool) if phase is None else ds.phase.values == phase
    labels: list[str] = []
    for lab in tt[keep]:
        if _LABEL.match(str(lab)) and lab not in labels:
            labels.append(str(lab))
    if not labels:
        raise ValueError(f"no delay_discounting choices in {'the run' if phase is None else phase}")
    action = ds.action.values
    points = np.empty((action.shape[0], len(labels)))
    for j, lab in enumerate(labels):
        a = action[:, keep & (tt == lab)]
        f = np.full(a.shape[0], 0.5)
        for i, step in enumerate(task.steps(a.shape[1])):
            f = np.clip(f - step * (a[:, i] == 1) + step * (a[:, i] == 2), 0.0, 1.0)
        points[:, j] = f
    delays = np.array([float(_LABEL.match(lab).group(1)) for lab in labels])
    return delays, points


@dataclass(frozen=True)
class Fit:
    """Per subject: each model's rate (1/d) and residual sum of squares, R^2 and the winner."""

    k_hyperbolic: np.ndarray
    k_exponential: np.ndarray
    sse_hyperbolic: np.ndarray
    sse_exponential: np.ndarray
    r2_hyperbolic: np.ndarray
    r2_exponential: np.ndarray

    @property
    def hyperbolic_better(self) -> np.ndarray:
        return self.sse_hyperbolic < self.sse_exponential


def _hyperbolic(k, d):
    return 1.0 / (1.0 + k * d)


def _exponential(k, d):
    return np.exp(-k * d)


def _search(curve, delays: np.ndarray, points: np.ndarray, lo: float, hi: float,
            n: int = 481) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares ``k`` per subject over a log grid on [lo, hi], refined once."""
    def sse(grid):                                  # grid: (G,) or (N, G)
        g = np.broadcast_to(grid, (points.shape[0], np.shape(grid)[-1]))
        pred = curve(g[:, :, None], delays[None, None, :])
        return np.sum((pred - points[:, None, :]) ** 2, axis=-1)

    logk = np.linspace(np.log(lo), np.log(hi), n)
    e = sse(np.exp(logk))
    best = np.argmin(e, axis=1)
    h = logk[1] - logk[0]
    fine = logk[best][:, None] + np.linspace(-h, h, 41)[None, :]
    e2 = sse(np.exp(fine))
    b2 = np.argmin(e2, axis=1)
    rows = np.arange(points.shape[0])
    return np.exp(fine[rows, b2]), e2[rows, b2]


def fit(delays_d, points, *, k_range: tuple[float, float] = (1e-7, 1e3)) -> Fit:
    """Hyperbolic and exponential least-squares fits per subject (rows of ``points``)."""
    d = np.asarray(delays_d, float)
    y = np.atleast_2d(np.asarray(points, float))
    if y.shape[-1] != d.size:
        raise ValueError(f"points' last axis must match the delays: {y.shape} vs {d.shape}")
    kh, eh = _search(_hyperbolic, d, y, *k_range)
    ke, ee = _search(_exponential, d, y, *k_range)
    sst = np.sum((y - y.mean(axis=1, keepdims=True)) ** 2, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2h = np.where(sst > 0, 1.0 - eh / sst, np.nan)
        r2e = np.where(sst > 0, 1.0 - ee / sst, np.nan)
    return Fit(kh, ke, eh, ee, r2h, r2e)


def area_under_curve(delays_d, points) -> np.ndarray:
    """Area under the discounting curve per subject (0 = all value lost at once, 1 = no
    discounting): delays as fractions of the longest, the curve starting at (0, 1)."""
    d = np.concatenate([[0.0], np.asarray(delays_d, float)]) / float(np.max(delays_d))
    y = np.atleast_2d(np.asarray(points, float))
    y = np.concatenate([np.ones((y.shape[0], 1)), y], axis=1)
    return np.sum(np.diff(d)[None, :] * (y[:, 1:] + y[:, :-1]) / 2.0, axis=1)


def phases(ds: xr.Dataset) -> list[str]:
    """The phases of ``ds`` (episode records) that hold delay-discounting choices, in order."""
    if "episode" not in ds.dims or "phase" not in ds.coords or "trial_type" not in ds.coords:
        return []
    out: list[str] = []
    for ph, tt in zip(ds.phase.values, ds.trial_type.values):
        if ph not in out and _LABEL.match(str(tt)):
            out.append(str(ph))
    return out


def discounting_summary(ds: xr.Dataset) -> list[dict]:
    """Per (discounting phase, arm): subjects, the delays, the median and quartiles of the
    indifference points at each delay, of the hyperbolic ``k`` (1/d) and of the area under
    the curve, and the share of subjects the hyperbola fits better than the exponential.
    Empty when ``ds`` has no discounting phase or no episode records (JSON-ready)."""
    rows: list[dict] = []
    arms = (np.asarray(ds.arm.values, str) if "arm" in ds.coords
            else np.full(ds.sizes.get("subject", 0), "all"))
    for ph in phases(ds):
        delays, points = indifference_points(ds, phase=ph)
        f = fit(delays, points)
        auc = area_under_curve(delays, points)
        for arm in dict.fromkeys(arms):
            m = arms == arm
            q25, med, q75 = np.percentile(points[m], [25, 50, 75], axis=0)
            rows.append({
                "phase": ph, "arm": str(arm), "n_subjects": int(m.sum()),
                "delays_d": [float(d) for d in delays],
                "points_median": [float(x) for x in med],
                "points_q25": [float(x) for x in q25],
                "points_q75": [float(x) for x in q75],
                "k": median_iqr(f.k_hyperbolic[m]), "auc": median_iqr(auc[m]),
                "hyperbolic_better_share": float(f.hyperbolic_better[m].mean()),
            })
    return rows
