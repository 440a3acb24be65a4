"""Behavioural-economic demand: consumption against price, and the exponential demand equation.

The ``demand`` task (``world.tasks.demand``) runs self-administration sessions of one dose,
each at one price C, the fixed ratio (responses per delivery). Per subject and price the
consumption Q is the number of deliveries earned in a session, averaged over the sessions
at that price. The exponential demand equation of Hursh & Silberberg 2008 (Psychol Rev
115:186, their eq. 2), fitted by Christensen et al. 2008 (Psychopharmacology 198:221) to
rats' cocaine consumption over a series of fixed ratios, is::

    log10 Q = log10 Q0 + k (exp(-alpha Q0 C) - 1)

* ``Q0`` (deliveries per session): demand intensity, the consumption the curve predicts at
  a price of zero;
* ``alpha`` (1 / responses): the rate at which consumption falls as the price rises, in a
  form normalised by ``Q0`` (``alpha Q0 C`` is dimensionless), so subjects and arms with
  different intake can be compared: a higher ``alpha`` is a more elastic demand, a lower
  "essential value" (Hursh & Silberberg 2008);
* ``k``: the range of consumption in log10 units. It is fixed for the whole analysis,
  because ``alpha`` is only comparable at one ``k``: as beezdemand's ``get_k`` does (its
  default, from the mean consumption at each price), ``k`` is the log10 range of the
  non-zero mean consumption plus 0.5, here over the mean curves of every arm of the phase;
* ``Pmax``: the price at which demand becomes elastic (elasticity -1), where responding
  (``C Q``, the expenditure) peaks. With ``x = alpha Q0 C`` the elasticity of the equation is
  ``-k ln(10) x exp(-x)``, which is -1 at ``x = -W0(-1 / (k ln 10))`` (W0 the principal
  branch of the Lambert W function), so ``Pmax = -W0(-1 / (k ln 10)) / (alpha Q0)``: the
  exact solution of Gilroy et al. 2019 (Exp Clin Psychopharmacol 27:588), derived again
  here. It exists only when ``k ln 10 >= e`` (``k >= 1.18``): a narrower range of
  consumption never becomes elastic in the fitted curve, and ``Pmax`` is NaN;
* ``Omax = Pmax Q(Pmax)``: the peak responding the curve predicts (responses per session).

The fit is least squares on log10 Q (``scipy.optimize.least_squares``, bounded, over
log10 Q0 and log10 alpha, started from the best point of a grid over alpha that is
evaluated for every subject at once). A price at which a subject earned nothing cannot be
fitted on a log scale: such zeros are left out of the fit (one of the usual treatments;
Koffarnus et al. 2015 discuss them), and a subject with fewer than three prices with
consumption has NaN throughout. ``alpha`` (and with it ``Pmax`` and ``Omax``) is NaN, with
``Q0`` kept, where the data do not identify it: the fitted curve falls by less than
:data:`MIN_FALL` log10 units over the prices fitted (no decline: any smaller ``alpha`` fits
as well), it has already made 99% of its fall (in log units) at the lowest price fitted
(the whole fall before the first price), or ``alpha`` sits on a bound. ``R^2`` is that of
the fit on log10 Q (NaN when consumption is the same at every price).

Consumption per price comes from the run itself (:func:`demand_data`): the scenario recorded
in ``ds.attrs["scenario_text"]`` says which sessions ran at which price, and the episode or
daily records give the deliveries earned; per-phase (summary) records cannot be split by
price.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike
from scipy.optimize import least_squares
from scipy.special import lambertw

from .stats import median_iqr

LN10 = math.log(10.0)
#: added to the log10 range of the mean consumption to make ``k`` (beezdemand's default)
K_MARGIN = 0.5
#: fewest prices with consumption a subject needs for a fit (two parameters, one left over)
MIN_POINTS = 3
#: the least fall (log10 units) of a fitted curve over the prices fitted that identifies alpha
MIN_FALL = 0.01
#: bounds of the fitted log10 alpha (1 / responses); log10 Q0 may lie this far outside the
#: range of a subject's log10 consumption
LOG_ALPHA_BOUNDS = (-12.0, 3.0)
LOG_Q0_MARGIN = 3.0
_GRID = np.linspace(LOG_ALPHA_BOUNDS[0] + 1.0, LOG_ALPHA_BOUNDS[1] - 1.0, 131)


# ---------------------------------------------------------------- the equation

def demand_curve(price: ArrayLike, q0: ArrayLike, alpha: ArrayLike, k: float) -> np.ndarray:
    """Consumption ``Q0 10^(k (exp(-alpha Q0 C) - 1))`` at ``price`` C (broadcast)."""
    c, q0, alpha = (np.asarray(a, dtype=float) for a in (price, q0, alpha))
    return q0 * 10.0 ** (k * (np.exp(-alpha * q0 * c) - 1.0))


def elasticity(price: ArrayLike, q0: ArrayLike, alpha: ArrayLike, k: float) -> np.ndarray:
    """The point elasticity ``d ln Q / d ln C = -k ln(10) alpha Q0 C exp(-alpha Q0 C)``."""
    x = np.asarray(alpha, dtype=float) * np.asarray(q0, dtype=float) * np.asarray(price,
                                                                                   dtype=float)
    return -k * LN10 * x * np.exp(-x)


def pmax(q0: ArrayLike, alpha: ArrayLike, k: float) -> np.ndarray:
    """The price of unit elasticity, ``-W0(-1 / (k ln 10)) / (alpha Q0)`` (Gilroy et al.
    2019); NaN where ``k ln 10 < e`` (the curve never turns elastic) or the inputs are not
    positive and finite."""
    q0, alpha = np.broadcast_arrays(np.asarray(q0, dtype=float), np.asarray(alpha, dtype=float))
    z = -1.0 / (k * LN10) if k > 0 else -np.inf
    if not (z >= -1.0 / math.e):
        return np.full(q0.shape, np.nan)
    x = -float(np.real(lambertw(z, 0)))
    ok = np.isfinite(q0) & np.isfinite(alpha) & (q0 > 0) & (alpha > 0)
    return np.where(ok, x / np.where(ok, alpha * q0, 1.0), np.nan)


def omax(q0: ArrayLike, alpha: ArrayLike, k: float) -> np.ndarray:
    """Peak responding ``Pmax Q(Pmax)`` (responses per session); NaN where ``Pmax`` is."""
    p = pmax(q0, alpha, k)
    return p * demand_curve(p, q0, alpha, k)


def k_from_means(mean_consumption: ArrayLike, margin: float = K_MARGIN) -> float:
    """``k``: log10 of the largest over the smallest non-zero mean consumption, plus
    ``margin`` (beezdemand ``get_k``); NaN when no mean consumption is positive."""
    q = np.asarray(mean_consumption, dtype=float).ravel()
    q = q[np.isfinite(q) & (q > 0)]
    if q.size == 0:
        return float("nan")
    return float(np.log10(q.max()) - np.log10(q.min()) + margin)


# ---------------------------------------------------------------- fitting

@dataclass(frozen=True)
class DemandFit:
    """Per subject (arrays of one length): the fitted parameters and derived measures.

    ``q0`` deliveries per session, ``alpha`` 1/responses, ``pmax`` responses per delivery,
    ``omax`` responses per session, ``r2`` of the fit on log10 Q, ``n_points`` the prices
    with consumption that entered the fit; ``k`` the range fixed for the analysis."""

    q0: np.ndarray
    alpha: np.ndarray
    pmax: np.ndarray
    omax: np.ndarray
    r2: np.ndarray
    n_points: np.ndarray
    k: float

    def curve(self, price: ArrayLike) -> np.ndarray:
        """The fitted consumption at ``price``: (subjects, prices)."""
        c = np.asarray(price, dtype=float)[None, :]
        return demand_curve(c, self.q0[:, None], self.alpha[:, None], self.k)


def _grid_start(logc: np.ndarray, y: np.ndarray, w: np.ndarray, lq0: np.ndarray,
                k: float) -> np.ndarray:
    """Per subject, the log10 alpha of :data:`_GRID` with the least squared error at the
    starting log10 Q0 (all subjects at once: (subjects, grid, prices))."""
    x = 10.0 ** (_GRID[None, :, None] + lq0[:, None, None] + logc[None, None, :])
    pred = lq0[:, None, None] + k * (np.exp(-x) - 1.0)
    sse = np.sum(w[:, None, :] * (y[:, None, :] - pred) ** 2, axis=-1)
    return _GRID[np.argmin(sse, axis=1)]


def fit_demand(prices: ArrayLike, consumption: ArrayLike, *, k: float) -> DemandFit:
    """Fit the exponential demand equation to each row of ``consumption``.

    Args:
        prices: (P,) positive prices, responses per delivery.
        consumption: (S, P) or (P,) consumption at each price (NaN: not measured). Zeros
            are left out of the fit (log scale).
        k: the fixed range parameter (e.g. :func:`k_from_means` of the mean curves).

    Returns:
        A :class:`DemandFit` with one entry per row; NaN where a row cannot be fitted
        (fewer than :data:`MIN_POINTS` positive values, or ``k`` not finite and positive)
        and, with Q0 and R^2 kept, for ``alpha``, ``Pmax`` and ``Omax`` where the data do
        not identify ``alpha`` (see the module docstring).
    """
    c = np.asarray(prices, dtype=float)
    q = np.atleast_2d(np.asarray(consumption, dtype=float))
    if c.ndim != 1 or q.shape[1] != c.size:
        raise ValueError(f"prices {c.shape} and consumption {q.shape} do not match")
    if np.any(~np.isfinite(c) | (c <= 0)):
        raise ValueError("prices must be positive and finite")
    n = q.shape[0]
    out = {name: np.full(n, np.nan) for name in ("q0", "alpha", "r2")}
    use = np.isfinite(q) & (q > 0)
    n_points = use.sum(axis=1)
    y = np.log10(np.where(use, q, 1.0))
    w = use.astype(float)
    fittable = n_points >= MIN_POINTS
    if not (math.isfinite(k) and k > 0) or not fittable.any():
        nan = np.full(n, np.nan)
        return DemandFit(nan, nan.copy(), nan.copy(), nan.copy(), nan.copy(), n_points, k)
    logc = np.log10(c)
    # start Q0 at the consumption at the lowest price with consumption
    first = np.argmax(use, axis=1)
    lq0_start = y[np.arange(n), first]
    la_start = _grid_start(logc, y, w, lq0_start, k)
    for i in np.flatnonzero(fittable):
        yi, ci = y[i, use[i]], c[use[i]]
        lo_q, hi_q = yi.min() - LOG_Q0_MARGIN, yi.max() + LOG_Q0_MARGIN

        def resid(theta: np.ndarray, yi=yi, ci=ci) -> np.ndarray:
            x = 10.0 ** (theta[1] + theta[0]) * ci
            return theta[0] + k * (np.exp(-x) - 1.0) - yi

        def jac(theta: np.ndarray, ci=ci) -> np.ndarray:
            x = 10.0 ** (theta[1] + theta[0]) * ci
            d1 = -k * LN10 * x * np.exp(-x)          # d resid / d log10 alpha
            return np.stack([1.0 + d1, d1], axis=1)

        x0 = np.array([np.clip(lq0_start[i], lo_q + 1e-6, hi_q - 1e-6),
                       np.clip(la_start[i], LOG_ALPHA_BOUNDS[0] + 1e-6,
                               LOG_ALPHA_BOUNDS[1] - 1e-6)])
        try:
            res = least_squares(resid, x0, jac=jac, bounds=([lo_q, LOG_ALPHA_BOUNDS[0]],
                                                   [hi_q, LOG_ALPHA_BOUNDS[1]]),
                                method="trf", xtol=1e-10, ftol=1e-10, gtol=1e-10,
                                max_nfev=2000)
        except (ValueError, FloatingPointError):
            continue
        if not (res.success and np.all(np.isfinite(res.x))):
            continue
        ss_res = float(np.sum(res.fun ** 2))
        ss_tot = float(np.sum((yi - yi.mean()) ** 2))
        out["q0"][i] = 10.0 ** res.x[0]
        out["r2"][i] = 1.0 - ss_res / ss_tot if ss_tot > 0 else np.nan
        on_bound = min(abs(res.x[1] - b) for b in LOG_ALPHA_BOUNDS) < 1e-3
        x_lo, x_hi = 10.0 ** (res.x[0] + res.x[1]) * np.array([ci.min(), ci.max()])
        flat = k * (np.exp(-x_lo) - np.exp(-x_hi)) < MIN_FALL
        floored = np.exp(-x_lo) < 0.01
        if not (on_bound or flat or floored):
            out["alpha"][i] = 10.0 ** res.x[1]
    p = pmax(out["q0"], out["alpha"], k)
    return DemandFit(out["q0"], out["alpha"], p, p * demand_curve(p, out["q0"], out["alpha"], k),
                     out["r2"], n_points, float(k))


# ---------------------------------------------------------------- from a results Dataset

@dataclass(frozen=True)
class DemandData:
    """One demand phase of a run: per subject (rows) the consumption at each price.

    ``consumption`` (subjects, prices) averages the deliveries earned per session over the
    sessions at that price (NaN where the subject's arm had none, or, in daily records,
    where a day held sessions at more than one price); ``ceiling[arm]`` (prices,) is the
    most the apparatus can deliver in one of that arm's sessions (one response per response
    window, none counted during the time-out)."""

    phase: str
    prices: np.ndarray
    consumption: np.ndarray
    arm: np.ndarray
    ceiling: dict[str, np.ndarray]
    reinforcer: str
    variable: str


def _scenario(ds: xr.Dataset):
    text = ds.attrs.get("scenario_text")
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        from ..scenario import load_scenario

        return load_scenario(text if "\n" in text else text + "\n")
    except (ImportError, ValueError, TypeError):   # ScenarioError is a ValueError
        return None


def _arms(ds: xr.Dataset) -> np.ndarray:
    if "arm" in ds.coords and ds.coords["arm"].dims == ("subject",):
        return np.asarray(ds.coords["arm"].values).astype(str)
    return np.full(ds.sizes.get("subject", 0), "all")


def _session_totals(ds: xr.Dataset, var: str, p: Any, subjects: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray] | None:
    """Deliveries earned per (subject, unit) and the sessions each unit holds at one price,
    as (totals (S, U), price of each unit (U,)): a unit is a session (episode records) or a
    day whose sessions share one price (daily records). None when the records do not
    resolve the phase's sessions."""
    prices = np.asarray(p.session_prices)
    values = ds[var].values[subjects]
    if "episode" in ds[var].dims:
        sel = np.asarray(ds.coords["phase"].values).astype(str) == p.name
        n_ep = max(1, int(round(p.session / p.response_window)))
        if int(sel.sum()) != prices.size * n_ep:
            return None
        totals = values[:, sel].reshape(values.shape[0], prices.size, n_ep).sum(axis=-1)
        return totals.astype(float), prices
    if "day" in ds[var].dims and "phase" in ds.coords and ds.coords["phase"].dims == ("day",):
        sel = np.asarray(ds.coords["phase"].values).astype(str) == p.name
        if int(sel.sum()) != p.days:
            return None
        per_day = values[:, sel].astype(float)
        keep, unit_price, n_sessions = [], [], []
        for j in range(p.days):
            day_prices = prices[j * p.sessions_per_day:(j + 1) * p.sessions_per_day]
            if np.all(day_prices == day_prices[0]):
                keep.append(j)
                unit_price.append(day_prices[0])
                n_sessions.append(day_prices.size)
        if not keep:
            return None
        # a day of n sessions at one price counts as n sessions of its mean consumption
        totals = per_day[:, keep] / np.asarray(n_sessions, dtype=float)[None, :]
        return np.repeat(totals, n_sessions, axis=1), np.repeat(unit_price, n_sessions)
    return None


def _ceiling(p: Any, prices: np.ndarray) -> np.ndarray:
    """The most deliveries one session of ``p`` can give at each price: the ratio's
    responses, one per response window, then the time-out's windows, in cycles."""
    n_ep = max(1, int(round(p.session / p.response_window)))
    timeout_ep = math.ceil(p.timeout / p.response_window - 1e-9) if p.timeout > 0 else 0
    return np.floor((n_ep + timeout_ep) / (prices + timeout_ep))


def demand_data(ds: xr.Dataset) -> list[DemandData]:
    """The consumption of every ``demand`` phase of a run (from the scenario recorded in
    ``ds.attrs["scenario_text"]``), episode or daily records; ``[]`` when there is none,
    the scenario cannot be read, or the records do not resolve sessions (summary
    records)."""
    sc = _scenario(ds)
    if sc is None or "subject" not in ds.dims:
        return []
    from ..pharmacology.reinforcers import REINFORCERS, Kind
    from ..scenario import DemandPhase

    arms = _arms(ds)
    out = []
    for i, base in enumerate(sc.phase):
        if not isinstance(base, DemandPhase):
            continue
        per_arm: dict[str, Any] = {}
        for arm in dict.fromkeys(arms.tolist()):
            name = arm if any(a.name == arm for a in sc.arm) else None
            if name is None and sc.arm:
                break
            per_arm[arm] = sc.phases_for(name)[i]
        if len(per_arm) != len(set(arms.tolist())):
            continue
        reinforcers = {p.reinforcer for p in per_arm.values()}
        kinds = {REINFORCERS[r].kind for r in reinforcers}
        if len(kinds) != 1:
            continue
        var = "drug_taken" if kinds == {Kind.DRUG} else "natural_taken"
        if var not in ds.data_vars:
            continue
        prices = np.array(sorted({x for p in per_arm.values() for x in p.prices}), dtype=float)
        consumption = np.full((arms.size, prices.size), np.nan)
        ceiling: dict[str, np.ndarray] = {}
        ok = True
        for arm, p in per_arm.items():
            subjects = np.flatnonzero(arms == arm)
            got = _session_totals(ds, var, p, subjects)
            if got is None:
                ok = False
                break
            totals, unit_price = got
            for j, price in enumerate(prices):
                cols = unit_price == price
                if cols.any():
                    consumption[subjects, j] = totals[:, cols].mean(axis=1)
            arm_ceiling = np.full(prices.size, np.nan)
            offered = np.isin(prices, p.prices)
            arm_ceiling[offered] = _ceiling(p, prices[offered])
            ceiling[arm] = arm_ceiling
        if ok:
            out.append(DemandData(base.name, prices, consumption, arms, ceiling,
                                  "/".join(sorted(r.value for r in reinforcers)), var))
    return out


@dataclass(frozen=True)
class DemandAnalysis:
    """A demand phase analysed: per-subject fits at one ``k`` (None when not asked for),
    and each arm's mean curve with the fit to it (drawn in the report)."""

    data: DemandData
    k: float
    fits: DemandFit | None
    arms: list[str]
    arm_mean: dict[str, np.ndarray] = field(default_factory=dict)
    arm_sem: dict[str, np.ndarray] = field(default_factory=dict)
    arm_fit: dict[str, DemandFit] = field(default_factory=dict)


def analyse(ds: xr.Dataset, *, per_subject: bool = True) -> list[DemandAnalysis]:
    """Every demand phase of ``ds``: consumption, ``k`` from the arms' mean curves, the fit
    per arm mean and (``per_subject``) per subject (see the module docstring)."""
    out = []
    for d in demand_data(ds):
        arms = list(dict.fromkeys(d.arm.tolist()))
        means, sems = {}, {}
        for arm in arms:
            rows = d.consumption[d.arm == arm]
            n = np.sum(np.isfinite(rows), axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                means[arm] = np.where(n > 0, np.nansum(rows, axis=0) / np.maximum(n, 1), np.nan)
                sd = np.sqrt(np.where(n > 1, np.nansum((rows - means[arm]) ** 2, axis=0)
                                      / np.maximum(n - 1, 1), np.nan))
                sems[arm] = sd / np.sqrt(np.maximum(n, 1))
        k = k_from_means(np.concatenate([means[a] for a in arms]))
        fits = fit_demand(d.prices, d.consumption, k=k) if per_subject else None
        arm_fit = {a: fit_demand(d.prices, means[a][None, :], k=k) for a in arms}
        out.append(DemandAnalysis(d, k, fits, arms, means, sems, arm_fit))
    return out


def summary_rows(analyses: list[DemandAnalysis]) -> list[dict[str, Any]]:
    """JSON-ready rows, one per (demand phase, arm): subjects, how many were fitted, ``k``,
    the median and interquartile range across subjects of Q0, alpha, Pmax, Omax and R^2,
    and the arm's mean consumption at each price."""
    rows = []
    for a in analyses:
        if a.fits is None:
            raise ValueError("summary_rows needs per-subject fits: analyse(ds, per_subject=True)")
        for arm in a.arms:
            sel = a.data.arm == arm
            row: dict[str, Any] = {"phase": a.data.phase, "arm": arm,
                                   "reinforcer": a.data.reinforcer,
                                   "n_subjects": int(sel.sum()),
                                   "n_fitted": int(np.sum(np.isfinite(a.fits.alpha[sel]))),
                                   "k": a.k if math.isfinite(a.k) else None}
            for name in ("q0", "alpha", "pmax", "omax", "r2"):
                row[name] = median_iqr(getattr(a.fits, name)[sel])
            row["prices"] = [float(x) for x in a.data.prices]
            row["mean_consumption"] = [None if not np.isfinite(v) else float(v)
                                       for v in a.arm_mean[arm]]
            rows.append(row)
    return rows


def demand_summary(ds: xr.Dataset) -> list[dict[str, Any]]:
    """:func:`summary_rows` of :func:`analyse` (``[]`` without a demand phase)."""
    return summary_rows(analyse(ds))
