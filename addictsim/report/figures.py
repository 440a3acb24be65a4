"""Figures and summary tables for an addictsim results Dataset.

The entry points are :func:`make_figures`, which writes a small set of PNG
figures for a results :class:`xarray.Dataset`, and :func:`summary_tables`,
which condenses the Dataset into per-phase (and per-arm) means that are safe to
serialise as JSON.

The Dataset comes in one of three recording modes, told by
``ds.attrs["record"]``:

``"episode"``
    dims ``(subject, episode)``; coords ``day``, ``phase``, ``trial_type`` and
    ``day_index`` on ``episode``; optionally ``da_phasic`` with dims
    ``(subject, episode, bin)``. The bool ``cue_shown`` marks the episodes
    with a cue: ``cue_value``, ``da_cue`` and ``da_cue_dorsal`` are defined on
    those and 0 elsewhere, so they are averaged over cue episodes only (as the
    daily and summary modes already do, with count ``n_cue_events``); ``craving``
    likewise over ``craving_probe`` episodes (a cue, or a body state that triggers
    it; count ``n_craving_events``). Days or phases without such an episode are
    gaps, not zeros.
``"daily"``
    dims ``(subject, day)``; coord ``phase`` on ``day``.
``"summary"``
    dims ``(subject, phase)``.

Every variable is optional: a figure whose data are missing is skipped, and
all-zero data or a single subject never raise.

Nothing here touches pyplot or the global matplotlib backend: figures are
built as :class:`matplotlib.figure.Figure` objects and saved directly.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

__all__ = ["FigureInfo", "make_figures", "summary_tables", "MAX_EVENTS", "fig_escalation",
           "fig_receptor_availability", "fig_withdrawal_mood", "fig_reward_threshold",
           "fig_habit_attention", "fig_cue_dopamine_by_week", "fig_sign_goal_tracking",
           "fig_dopamine_by_drug", "has_conditioned_approach", "fig_wanting_liking",
           "has_wanting_liking", "fig_demand", "has_demand", "fig_discounting",
           "has_discounting", "fig_criteria", "fig_choice", "fig_go_nogo",
           "fig_place_preference", "fig_relapse", "fig_cue_map", "cue_ablation_rows"]

#: How many events (trials with a cue or an outcome) the dopamine-shift figure shows.
MAX_EVENTS = 300

#: Okabe-Ito palette (colourblind safe).
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow (last: poor contrast on white)
)
CUE_COLOUR = "#0072B2"
OUTCOME_COLOUR = "#D55E00"
#: Fixed colours for well-known arm names (case-insensitive), the same in every figure;
#: other arms take the next unused palette colour in order of appearance.
ARM_COLOURS: dict[str, str] = {
    "sha": "#0072B2",    # short access: blue
    "lga": "#D55E00",    # long access: vermillion
    "saline": "#555555",
    "control": "#555555",
}
#: Background of phases in which no drug was delivered (abstinence, extinction).
NO_DRUG_SHADE = "0.90"
LINESTYLES: tuple[Any, ...] = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 3)))

DPI = 120
_RC = {
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "figure.titlesize": 15,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_BAND_NOTE = (
    "Lines are means across subjects; the shaded band is the 95% confidence "
    "interval of that mean (normal approximation, drawn when at least two "
    "subjects contribute; isolated points carry error bars instead)."
)


@dataclass(frozen=True)
class FigureInfo:
    """One figure written by :func:`make_figures`.

    Attributes:
        path: where the PNG file was written.
        title: short human-readable title.
        caption: a few sentences explaining what the figure shows.
    """

    path: Path
    title: str
    caption: str


# ---------------------------------------------------------------------------
# Small data helpers
# ---------------------------------------------------------------------------


def _record(ds: xr.Dataset) -> str:
    """Return the recording mode, inferring it from the dims if the attr is absent."""
    rec = str(ds.attrs.get("record", "")).strip().lower()
    if rec in {"episode", "daily", "summary"}:
        return rec
    if "episode" in ds.dims:
        return "episode"
    if "day" in ds.dims:
        return "daily"
    return "summary"


def _xdim(mode: str) -> str:
    """The non-subject dimension of a recording mode."""
    return {"episode": "episode", "daily": "day", "summary": "phase"}[mode]


def _var(ds: xr.Dataset, name: str, xdim: str) -> xr.DataArray | None:
    """Return data variable ``name`` if present and indexed by ``xdim``."""
    if name not in ds.data_vars:
        return None
    da = ds[name]
    if xdim not in da.dims:
        return None
    return da


def _n_subjects(ds: xr.Dataset) -> int:
    """Number of subjects (1 when the Dataset has no subject dim)."""
    return int(ds.sizes.get("subject", 1))


def _matrix(da: xr.DataArray, xdim: str, extra: Sequence[str] = ()) -> np.ndarray:
    """Return ``da`` as a float array with dims ``(subject, xdim, *extra)``.

    Booleans become 0/1; a missing subject dim becomes a length-1 axis; any
    other stray dims are averaged away.
    """
    keep = ["subject", xdim, *extra]
    other = [d for d in da.dims if d not in keep]
    if other:
        da = da.astype(float).mean(dim=other, skipna=True)
    if "subject" not in da.dims:
        da = da.expand_dims("subject")
    da = da.transpose("subject", xdim, *extra)
    return np.asarray(da.values, dtype=float)


def _coord(ds: xr.Dataset, name: str, dim: str) -> np.ndarray | None:
    """Return coordinate ``name`` along ``dim`` as a numpy array, or None."""
    if name not in ds.coords:
        return None
    c = ds.coords[name]
    if c.dims != (dim,):
        return None
    return np.asarray(c.values)


def _str_array(values: Iterable[Any]) -> np.ndarray:
    """Coerce values (possibly bytes) to a numpy array of Python strings."""
    out = []
    for v in values:
        if isinstance(v, bytes):
            v = v.decode("utf-8", "replace")
        out.append("" if v is None else str(v))
    return np.asarray(out, dtype=object)


def _phases(ds: xr.Dataset, dim: str) -> np.ndarray | None:
    """Phase names along ``dim`` (``phase`` coord), as strings, or None."""
    if dim == "phase":
        return _str_array(ds["phase"].values) if "phase" in ds.coords else None
    p = _coord(ds, "phase", dim)
    return None if p is None else _str_array(p)


def _unique_in_order(values: Iterable[Any]) -> list[Any]:
    """Unique values, in order of first appearance."""
    seen: dict[Any, None] = {}
    for v in values:
        seen.setdefault(v, None)
    return list(seen)


def _arm_groups(ds: xr.Dataset) -> list[tuple[str | None, np.ndarray]]:
    """Subject index groups, one per arm; ``[(None, all)]`` when there is one arm or none."""
    n = _n_subjects(ds)
    everyone = np.arange(n)
    arms = _coord(ds, "arm", "subject")
    if arms is None:
        return [(None, everyone)]
    arms = _str_array(arms)
    names = _unique_in_order(arms)
    if len(names) <= 1:
        return [(None, everyone)]
    return [(name, np.flatnonzero(arms == name)) for name in names]


def _day_index(ds: xr.Dataset) -> np.ndarray | None:
    """Integer day of each episode (``day_index``, else ``floor(day)``), or None."""
    di = _coord(ds, "day_index", "episode")
    if di is not None:
        try:
            return np.asarray(di, dtype=float).astype(np.int64)
        except (TypeError, ValueError):
            return None
    d = _coord(ds, "day", "episode")
    if d is not None:
        try:
            return np.floor(np.asarray(d, dtype=float)).astype(np.int64)
        except (TypeError, ValueError):
            return None
    return None


def _mean_ci(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean over axis 0 ignoring NaN, with a 95% normal-approximation CI.

    Returns ``(mean, lo, hi, n)``; ``lo``/``hi`` are NaN where fewer than two
    finite values contribute, and ``mean`` is NaN where none do.
    """
    a = np.asarray(a, dtype=float)
    finite = np.isfinite(a)
    n = finite.sum(axis=0)
    s = np.where(finite, a, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, s / np.maximum(n, 1), np.nan)
        dev = np.where(finite, a - mean, 0.0)
        var = np.where(n > 1, (dev**2).sum(axis=0) / np.maximum(n - 1, 1), np.nan)
        half = 1.959964 * np.sqrt(var) / np.sqrt(np.maximum(n, 1))
    return mean, mean - half, mean + half, n


def _mean_sem(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean over axis 0 ignoring NaN, with mean ± 1 standard error of the mean.

    Returns ``(mean, mean - sem, mean + sem, n)``; the bounds are NaN where fewer
    than two finite values contribute.
    """
    mean, lo, hi, n = _mean_ci(a)
    half = (hi - mean) / 1.959964
    return mean, mean - half, mean + half, n


def _nanmax(a: np.ndarray, axis: int | None = None) -> np.ndarray | float:
    """NaN-ignoring max that is NaN (without a warning) where every value is NaN."""
    a = np.asarray(a, dtype=float)
    finite = np.isfinite(a)
    n = finite.sum(axis=axis)
    m = np.where(finite, a, -np.inf).max(axis=axis, initial=-np.inf)
    return np.where(n > 0, m, np.nan)


def _nanmean(a: np.ndarray, axis: int | None = None) -> np.ndarray | float:
    """NaN-ignoring mean that returns NaN (without a warning) for empty slices."""
    a = np.asarray(a, dtype=float)
    finite = np.isfinite(a)
    n = finite.sum(axis=axis)
    s = np.where(finite, a, 0.0).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, s / np.maximum(n, 1), np.nan)


def _nansum(a: np.ndarray, axis: int | None = None) -> np.ndarray | float:
    """NaN-ignoring sum that is NaN where every value is NaN."""
    a = np.asarray(a, dtype=float)
    finite = np.isfinite(a)
    n = finite.sum(axis=axis)
    s = np.where(finite, a, 0.0).sum(axis=axis)
    return np.where(n > 0, s, np.nan)


def _per_day(
    values: np.ndarray, day_index: np.ndarray, how: str
) -> tuple[np.ndarray, np.ndarray]:
    """Aggregate a ``(subject, episode)`` array into ``(subject, day)``.

    Args:
        values: per-episode values, NaN for "not counted".
        day_index: integer day of each episode.
        how: ``"mean"``, ``"sum"`` or ``"max"``.

    Returns:
        ``(days, per_day)`` with the sorted unique days.
    """
    days = np.unique(day_index)
    out = np.full((values.shape[0], days.size), np.nan)
    agg = {"mean": _nanmean, "sum": _nansum, "max": _nanmax}[how]
    for j, d in enumerate(days):
        out[:, j] = agg(values[:, day_index == d], axis=1)
    return days, out


def _day_phases(ds: xr.Dataset, day_index: np.ndarray, days: np.ndarray) -> np.ndarray | None:
    """Phase of each day in episode mode: the phase of the day's first episode."""
    ph = _phases(ds, "episode")
    if ph is None:
        return None
    out = []
    for d in days:
        idx = np.flatnonzero(day_index == d)
        out.append(ph[idx[0]] if idx.size else "")
    return np.asarray(out, dtype=object)


def _first_var(ds: xr.Dataset, names: Sequence[str], xdim: str) -> xr.DataArray | None:
    """The first of ``names`` present along ``xdim``, or None."""
    for name in names:
        da = _var(ds, name, xdim)
        if da is not None:
            return da
    return None


def _units_or(da: xr.DataArray | None, default: str) -> str:
    """The ``units`` attr of ``da``, or ``default`` when absent/empty."""
    if da is not None and da.attrs.get("units"):
        return str(da.attrs["units"])
    return default


def _label(da: xr.DataArray | None, fallback: str, units: str | None = None) -> str:
    """Axis label from a variable's ``long_name``/``units`` attrs."""
    name = fallback
    u = units
    if da is not None:
        name = str(da.attrs.get("long_name") or fallback)
        name = name[:1].upper() + name[1:]
        if u is None:
            u = da.attrs.get("units")
    if u:
        return f"{name} ({u})"
    return name


def _wrap(text: str, width: int = 60) -> str:
    """Wrap long axis labels onto two lines."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) if len(text) > width else text


# ---------------------------------------------------------------------------
# Plot helpers
# ---------------------------------------------------------------------------


def _new_figure(nrows: int = 1, height_ratios: Sequence[float] | None = None,
                width: float = 10.0, height: float | None = None,
                sharex: bool = True) -> tuple[Any, list[Any]]:
    """A constrained-layout :class:`Figure` with ``nrows`` stacked axes."""
    from matplotlib.figure import Figure

    if height is None:
        height = 3.2 + 2.8 * nrows
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    gs_kw = {"height_ratios": list(height_ratios)} if height_ratios else None
    axes = fig.subplots(nrows, 1, sharex=sharex, squeeze=False, gridspec_kw=gs_kw)
    return fig, [ax for ax in axes[:, 0]]


def _save(fig: Any, outdir: Path, name: str) -> Path:
    """Save ``fig`` as PNG atomically: temp file in ``outdir`` then ``os.replace``."""
    final = outdir / name
    tmp = outdir / f".{name}.{os.getpid()}.tmp"
    try:
        fig.savefig(tmp, format="png", dpi=DPI)
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()
    return final


def _plot_band(ax: Any, x: np.ndarray, mat: np.ndarray, *, colour: str, label: str,
               linestyle: Any = "-", categorical: bool = False, spread: str = "ci") -> bool:
    """Plot the mean across rows of ``mat`` against ``x`` with a 95% CI
    (``spread="ci"``) or ± 1 s.e.m. (``spread="sem"``).

    In categorical mode (summary Datasets) points with error bars are drawn
    instead of a line and band. Returns False if nothing finite was plotted.
    """
    if mat.size == 0:
        return False
    mean, lo, hi, _ = (_mean_sem if spread == "sem" else _mean_ci)(mat)
    if not np.any(np.isfinite(mean)):
        return False
    if categorical:
        yerr = np.vstack([mean - lo, hi - mean])
        yerr = np.where(np.isfinite(yerr), yerr, 0.0)
        ax.errorbar(x, mean, yerr=yerr, color=colour, linestyle=linestyle, marker="o",
                    markersize=6, capsize=4, linewidth=1.8, label=label)
        return True
    lw = 1.4 if x.size > 150 else 2.0
    marker = "o" if x.size <= 40 else None
    ax.plot(x, mean, color=colour, linestyle=linestyle, linewidth=lw, marker=marker,
            markersize=4, label=label)
    ok = np.isfinite(lo) & np.isfinite(hi)
    if ok.any():
        ax.fill_between(x, np.where(ok, lo, np.nan), np.where(ok, hi, np.nan),
                        color=colour, alpha=0.2, linewidth=0)
    # Points with no finite neighbour (e.g. a test day after days without data) draw no
    # line segment and no band: show them as markers with error bars instead.
    fin = np.isfinite(mean)
    iso = fin & ~np.r_[False, fin[:-1]] & ~np.r_[fin[1:], False]
    if iso.any():
        yerr = np.vstack([mean - lo, hi - mean])[:, iso]
        yerr = np.where(np.isfinite(yerr), yerr, 0.0)
        ax.errorbar(np.asarray(x, dtype=float)[iso], mean[iso], yerr=yerr, color=colour,
                    linestyle="none", marker="o", markersize=5, capsize=3, linewidth=1.4)
    return True


def _runs(labels: np.ndarray) -> list[tuple[int, int, str]]:
    """Contiguous runs of equal labels as ``(start, stop_inclusive, label)``."""
    out: list[tuple[int, int, str]] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            out.append((start, i - 1, str(labels[start])))
            start = i
    return out


def _draw_phases(ax: Any, x: np.ndarray, phases: np.ndarray | None, *, label: bool,
                 fig_width_in: float = 10.0, line_colour: str = "0.55") -> None:
    """Light vertical lines at phase boundaries, with phase names above the axes."""
    if phases is None or len(x) == 0 or len(phases) != len(x):
        return
    runs = _runs(phases)
    if len(runs) > 40:  # interleaved phases: lines would only be noise
        return
    xs = np.asarray(x, dtype=float)
    step = float(np.median(np.diff(xs))) if xs.size > 1 else 1.0
    edges = [xs[0] - step / 2]
    for start, _, _ in runs[1:]:
        b = 0.5 * (xs[start - 1] + xs[start])
        edges.append(b)
        ax.axvline(b, color=line_colour, linewidth=1.0, alpha=0.8, zorder=0.5)
    edges.append(xs[-1] + step / 2)
    if not label:
        return
    from matplotlib.transforms import blended_transform_factory

    lo, hi = ax.get_xlim()
    span = (hi - lo) or 1.0
    axes_width_pt = 0.82 * fig_width_in * 72.0
    fontsize = 10.0
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    for k, (_, _, name) in enumerate(runs):
        if not name:
            continue
        left, right = max(edges[k], lo), min(edges[k + 1], hi)
        if right <= left:
            continue
        max_chars = int((right - left) / span * axes_width_pt / (0.6 * fontsize))
        if max_chars < 2:
            continue
        text = name if len(name) <= max_chars else name[: max_chars - 1] + "\u2026"
        ax.text(0.5 * (left + right), 1.01, text, transform=trans, ha="center",
                va="bottom", fontsize=fontsize, color="0.3", clip_on=False)


def _legend_cols(fig: Any, labels: list[str], most: int = 4) -> int:
    """Columns for a legend below the axes that fit the figure's width: long arm names
    (e.g. "retrieval 10 min, spontaneous recovery") take fewer columns than short ones."""
    import matplotlib as mpl

    size = mpl.rcParams["legend.fontsize"]
    pts = size if isinstance(size, (int, float)) else mpl.font_manager.FontProperties(
        size=size).get_size_in_points()
    widest = max((len(str(lab)) for lab in labels), default=1)
    per_col = (0.55 * widest + 4.0) * pts          # text plus handle and spacing, in points
    return int(max(1, min(most, len(labels), fig.get_figwidth() * 72.0 // per_col)))


def _finish(fig: Any, axes: list[Any], title: str, *, legend: bool = True) -> None:
    """Add the suptitle, grid and a legend below the axes."""
    for ax in axes:
        if not ax.collections or not any(type(c).__name__ == "QuadMesh" for c in ax.collections):
            ax.grid(True, alpha=0.25)
    fig.suptitle(title, fontweight="bold")
    if legend:
        handles, labels = axes[0].get_legend_handles_labels()
        if handles:
            fig.legend(handles, labels, loc="outside lower center",
                       ncols=_legend_cols(fig, labels), frameon=False)


def _group_label(arm: str | None, base: str | None = None) -> str:
    """Legend label for an arm (and optionally a series name)."""
    if arm is None:
        return base or "all subjects"
    return f"{base}, {arm}" if base else str(arm)


# ---------------------------------------------------------------------------
# Series extraction (mode-aware)
# ---------------------------------------------------------------------------


@dataclass
class _Series:
    """A per-subject series ready for plotting."""

    x: np.ndarray
    values: np.ndarray  # (subject, x)
    phases: np.ndarray | None
    xlabel: str
    categorical: bool = False
    xticklabels: list[str] | None = None


def _summary_series(ds: xr.Dataset, name: str) -> _Series | None:
    """Per-phase values of ``name`` in a summary Dataset."""
    da = _var(ds, name, "phase")
    if da is None:
        return None
    vals = _matrix(da, "phase")
    labels = _phases(ds, "phase")
    if labels is None:
        labels = np.asarray([str(i) for i in range(vals.shape[1])], dtype=object)
    return _Series(x=np.arange(vals.shape[1], dtype=float), values=vals, phases=None,
                   xlabel="Phase", categorical=True, xticklabels=[str(s) for s in labels])


def _daily_series(ds: xr.Dataset, name: str, how: str,
                  mask: np.ndarray | None = None) -> _Series | None:
    """Per-day values of ``name``: aggregated from episodes, or read from a daily Dataset.

    Args:
        ds: the results Dataset.
        name: variable name.
        how: ``"mean"`` or ``"sum"`` (episode mode only).
        mask: optional ``(subject, episode)`` boolean mask of episodes to count
            (episode mode only).
    """
    mode = _record(ds)
    if mode == "summary":
        return _summary_series(ds, name)
    if mode == "daily":
        da = _var(ds, name, "day")
        if da is None:
            return None
        vals = _matrix(da, "day")
        x = _coord(ds, "day", "day")
        x = np.arange(vals.shape[1], dtype=float) if x is None else np.asarray(x, dtype=float)
        return _Series(x=x, values=vals, phases=_phases(ds, "day"), xlabel="Day")
    da = _var(ds, name, "episode")
    di = _day_index(ds)
    if da is None or di is None:
        return None
    vals = _matrix(da, "episode")
    if mask is not None:
        vals = np.where(mask, vals, np.nan)
    days, per_day = _per_day(vals, di, how)
    return _Series(x=days.astype(float), values=per_day,
                   phases=_day_phases(ds, di, days), xlabel="Day")


#: Episode mode: runs spanning at least this many days plot cue value and craving per day
#: (like daily mode); shorter runs plot them per cue trial, to show within-day learning.
MIN_DAYS_PER_DAY = 5


def _stored_event_means(ds: xr.Dataset, name: str, mode: str) -> _Series | None:
    """Daily or summary records: the stored event means of ``name``, blanked (NaN) where the
    day or phase had no event."""
    s = _daily_series(ds, name, "mean")
    if s is None:
        return None
    n = _event_count(ds, name, _xdim(mode))
    if n is not None:
        s.values = np.where(n > 0, s.values, np.nan)
    return s


def _cue_series(ds: xr.Dataset, name: str) -> tuple[_Series, str] | None:
    """Values of a cue-trial variable (``cue_value``, ``craving``) for plotting.

    Means are over the trials with a cue, whatever the record mode, so that the
    figures agree between modes: in episode mode over episodes with ``cue_shown``
    (per day, or per cue trial for runs shorter than :data:`MIN_DAYS_PER_DAY`
    days), in daily/summary mode the stored event means, blanked where
    ``n_cue_events`` is 0. Days (or phases) without a cue trial are gaps (NaN),
    not zeros. Without ``cue_shown`` an episode Dataset falls back to plain
    per-day means over all episodes.

    Returns:
        ``(series, note)`` where ``note`` says what a point is, or None.
    """
    mode = _record(ds)
    if mode != "episode":
        s = _stored_event_means(ds, name, mode)
        if s is None:
            return None
        if mode == "summary":
            return s, "per phase, averaged over the trials with a cue"
        return s, "per day, averaged over each day's trials with a cue"
    da = _var(ds, name, "episode")
    if da is None:
        return None
    shown = _defined_on(ds, name)
    di = _day_index(ds)
    if shown is None:
        s = _daily_series(ds, name, "mean")
        return None if s is None else (s, "averaged over each day")
    if di is not None and np.unique(di).size >= MIN_DAYS_PER_DAY:
        s = _daily_series(ds, name, "mean", mask=shown)
        return None if s is None else (s, "per day, averaged over each day's trials with a cue")
    vals = _matrix(da, "episode")
    re, phases, k = _reindex_events(shown, {name: vals}, _phases(ds, "episode"),
                                    int(ds.sizes["episode"]))
    if k == 0:
        return None
    s = _Series(x=np.arange(1, k + 1, dtype=float), values=re[name], phases=phases,
                xlabel="Cue trial (k-th trial with a cue, counted per subject)")
    return s, "on each trial with a cue (the k-th cue trial of each subject)"


def _event_mask(ds: xr.Dataset) -> tuple[np.ndarray, str] | None:
    """Episodes that count as a dopamine "event", per subject (episode mode).

    An event is an episode with a cue (``cue_shown``, when recorded) or a
    non-zero cue or outcome response. If no subject has any (e.g. all-zero
    data), episodes with a non-empty ``trial_type`` are used, else every episode.
    """
    parts = []
    for name in ("da_cue", "da_outcome"):
        da = _var(ds, name, "episode")
        if da is not None:
            v = _matrix(da, "episode")
            parts.append(np.isfinite(v) & (v != 0))
    phasic = _var(ds, "da_phasic", "episode")
    if not parts and phasic is not None and "bin" in phasic.dims:
        v = _matrix(phasic, "episode", ("bin",))
        parts.append(np.any(np.isfinite(v) & (v != 0), axis=2))
    if not parts:
        return None
    shown = _cue_shown(ds)
    rule = "trials with a non-zero cue or outcome response"
    if shown is not None:
        parts.append(shown)
        rule = "trials with a cue or a non-zero response at the outcome time"
    mask = np.logical_or.reduce(parts)
    if not mask.any():
        tt = _coord(ds, "trial_type", "episode")
        if tt is not None and np.any(_str_array(tt) != ""):
            mask = np.broadcast_to(_str_array(tt) != "", mask.shape).copy()
            rule = "trials with a cue (no dopamine response was recorded)"
        else:
            mask = np.ones_like(mask)
            rule = "all trials (no dopamine response was recorded)"
    return mask, rule


def _defined_on(ds: xr.Dataset, name: str) -> np.ndarray | None:
    """The episodes on which ``name`` is defined (episode mode): craving probes for
    ``craving`` (``craving_probe``; results written before it had internal cues: the cue
    episodes), the cue episodes for the other cue-trial variables."""
    if name == "craving":
        probe = _episode_flag(ds, "craving_probe")
        if probe is not None:
            return probe
    return _cue_shown(ds)


def _cue_shown(ds: xr.Dataset) -> np.ndarray | None:
    """``cue_shown`` as a ``(subject, episode)`` bool array (episode mode), or None if absent.

    ``cue_value``, ``craving`` and ``da_cue`` are defined on these episodes only (they
    are 0 elsewhere), so their means are taken over them.
    """
    da = _var(ds, "cue_shown", "episode")
    if da is None:
        return None
    v = _matrix(da, "episode")
    return np.isfinite(v) & (v != 0)


def _event_count(ds: xr.Dataset, name: str, xdim: str) -> np.ndarray | None:
    """Per-(subject, day|phase) event count behind the event mean ``name``, or None.

    ``da_cue``, ``da_cue_dorsal``, ``cue_value`` and ``wanting`` are means over cue
    episodes (``n_cue_events``), ``craving`` over craving probes (``n_craving_events``: a cue
    shown or a body state that triggers craving), ``da_outcome`` over episodes with an
    outcome time (``n_outcome_events``), ``liking`` over episodes with a delivery
    (``n_deliveries``).
    None when the count is absent or the variable says it is aggregated otherwise
    (``aggregation`` attr other than ``event_mean``).
    """
    count = {"da_cue": "n_cue_events", "da_cue_dorsal": "n_cue_events",
             "cue_value": "n_cue_events", "craving": "n_craving_events",
             "wanting": "n_cue_events", "liking": "n_deliveries",
             "da_outcome": "n_outcome_events"}.get(name)
    if count is None or name not in ds.data_vars:
        return None
    if count == "n_craving_events" and count not in ds.data_vars:
        count = "n_cue_events"      # results written before craving had internal cues
    if str(ds[name].attrs.get("aggregation", "event_mean")) != "event_mean":
        return None
    n = _var(ds, count, xdim)
    return None if n is None else np.nan_to_num(_matrix(n, xdim))


def _reindex_events(mask: np.ndarray, arrays: dict[str, np.ndarray],
                    phases: np.ndarray | None, max_events: int
                    ) -> tuple[dict[str, np.ndarray], np.ndarray | None, int]:
    """Re-index episodes per subject by event order (k-th event).

    Returns arrays shaped ``(subject, K, ...)`` (NaN where a subject had fewer
    than ``k`` events), the most common phase at each event index, and ``K``.
    """
    n_sub = mask.shape[0]
    idx = [np.flatnonzero(mask[s])[:max_events] for s in range(n_sub)]
    k_max = max((i.size for i in idx), default=0)
    out: dict[str, np.ndarray] = {}
    for name, arr in arrays.items():
        res = np.full((n_sub, k_max, *arr.shape[2:]), np.nan)
        for s in range(n_sub):
            res[s, : idx[s].size] = arr[s, idx[s]]
        out[name] = res
    ev_phases = None
    if phases is not None and k_max:
        ev_phases = np.empty(k_max, dtype=object)
        for k in range(k_max):
            c = Counter(phases[i[k]] for i in idx if i.size > k)
            ev_phases[k] = c.most_common(1)[0][0] if c else ""
    return out, ev_phases, k_max


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def _heatmap(fig: Any, ax: Any, x: np.ndarray, mat: np.ndarray, bins: np.ndarray,
             vmax: float, title: str | None) -> Any:
    """Draw a (bin × x) phasic-dopamine heatmap; returns the mesh."""
    from matplotlib.colors import Normalize

    nb = mat.shape[1]
    xs = np.asarray(x, dtype=float)
    step = float(np.median(np.diff(xs))) if xs.size > 1 else 1.0
    xedges = np.concatenate([xs - step / 2, [xs[-1] + step / 2]])
    yedges = np.arange(nb + 1) - 0.5
    mesh = ax.pcolormesh(xedges, yedges, np.ma.masked_invalid(mat.T), cmap="RdBu_r",
                         norm=Normalize(-vmax, vmax), shading="flat")
    ax.set_facecolor("0.85")
    ticks = np.arange(nb)
    if nb > 12:
        ticks = ticks[:: int(math.ceil(nb / 10))]
    labels = []
    for t in ticks:
        if t == nb - 1 and nb > 1:
            labels.append("end")
        else:
            try:
                labels.append(f"{float(bins[t]):g}")
            except (TypeError, ValueError):
                labels.append(str(bins[t]))
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels)
    ax.set_ylabel("Time in trial (s)")
    if title:
        ax.set_title(title, fontsize=11, loc="left")
    return mesh


_DA_SHIFT_TEXT = (
    "Phasic dopamine is the model's temporal-difference reward-prediction error. Early in "
    "training the outcome is unpredicted and evokes a burst at the outcome; as the cue comes "
    "to predict it, the burst transfers to the cue and the response at the (now predicted) "
    "outcome shrinks. When a predicted outcome does not come, dopamine dips below zero at the "
    "time the outcome was due: on omission trials (e.g. Pavlovian extinction or probe trials) "
    "and, for responses that produce the cue in extinction or conditioned-reinforcement tests, "
    "at the time the cue's reinforcer used to arrive."
)


def _da_model_note(ds: xr.Dataset) -> str:
    """A sentence on how the model variant (``attrs["model"]``) treats the drug, or ''."""
    model = str(ds.attrs.get("model", "")).strip().lower()
    if model == "redish2004":
        return (" With the redish2004 variant the error at a drug delivery never falls below the "
                "drug's pharmacological dopamine term, so the burst at a drug outcome does not "
                "vanish with learning.")
    if model == "td":
        return (" With the td variant the drug is an ordinary reinforcer: it adds no "
                "pharmacological term to the error.")
    return ""


def _fig_dopamine_shift(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Phasic dopamine at cue and outcome across learning (plus a heatmap)."""
    mode = _record(ds)
    title = "Phasic dopamine moves from the outcome to the cue"
    groups = _arm_groups(ds)

    if mode == "summary":
        cue, out = _summary_series(ds, "da_cue"), _summary_series(ds, "da_outcome")
        if cue is None and out is None:
            return None
        for name, s in (("da_cue", cue), ("da_outcome", out)):
            n = _event_count(ds, name, "phase")
            if s is not None and n is not None:  # phases without such trials: no mean
                s.values = np.where(n > 0, s.values, np.nan)
        fig, axes = _new_figure(1)
        ax = axes[0]
        plotted = False
        ref = cue or out
        assert ref is not None
        for g, (arm, sub) in enumerate(groups):
            for s, colour, what in ((cue, CUE_COLOUR, "at cue"), (out, OUTCOME_COLOUR, "at outcome")):
                if s is not None:
                    plotted |= _plot_band(ax, s.x + 0.08 * g, s.values[sub], colour=colour,
                                          label=_group_label(arm, what), categorical=True,
                                          linestyle=LINESTYLES[g % len(LINESTYLES)])
        if not plotted:
            return None
        ax.set_xticks(ref.x, ref.xticklabels)
        ax.margins(x=0.08)
        ax.set_xlabel("Phase")
        ax.axhline(0, color="0.3", linewidth=0.8)
        ref_da = _first_var(ds, ("da_cue", "da_outcome"), "phase")
        ax.set_ylabel(f"Phasic dopamine\n({_units_or(ref_da, 'reward units')})")
        _finish(fig, axes, title)
        path = _save(fig, outdir, "dopamine_shift.png")
        caption = ("Mean phasic dopamine at cue onset (over trials with a cue) and at the outcome "
                   "time (over trials on which an outcome was delivered or due), per phase. "
                   f"{_DA_SHIFT_TEXT}{_da_model_note(ds)} Error bars: 95% confidence interval of "
                   "the mean across subjects.")
        return FigureInfo(path, title, caption)

    if mode == "daily":
        series = {}
        for name, count in (("da_cue", "n_cue_events"), ("da_outcome", "n_outcome_events")):
            s = _daily_series(ds, name, "mean")
            if s is None:
                continue
            n = _var(ds, count, "day")
            if n is not None:
                s.values = np.where(_matrix(n, "day") > 0, s.values, np.nan)
            series[name] = s
        if not series:
            return None
        x = next(iter(series.values())).x
        phases = next(iter(series.values())).phases
        xlabel = "Day"
        heat_x = x
        phasic = _var(ds, "da_phasic", "day")
        heat = _matrix(phasic, "day", ("bin",)) if phasic is not None and "bin" in phasic.dims else None
        n_events_note = ("per-day means over the trials with a cue (at cue onset) and over the "
                         "trials on which an outcome was delivered or due (at outcome)")
    else:
        ev = _event_mask(ds)
        if ev is None:
            return None
        mask, rule = ev
        arrays = {n: _matrix(ds[n], "episode") for n in ("da_cue", "da_outcome")
                  if _var(ds, n, "episode") is not None}
        shown = _cue_shown(ds)
        if shown is not None and "da_cue" in arrays:  # da_cue is defined on cue trials only
            arrays["da_cue"] = np.where(shown, arrays["da_cue"], np.nan)
        phasic = _var(ds, "da_phasic", "episode")
        if phasic is not None and "bin" in phasic.dims:
            arrays["da_phasic"] = _matrix(phasic, "episode", ("bin",))
        re, phases, k = _reindex_events(mask, arrays, _phases(ds, "episode"), MAX_EVENTS)
        if k == 0:
            return None
        x = np.arange(1, k + 1, dtype=float)
        heat_x = x
        series = {n: _Series(x=x, values=re[n], phases=phases, xlabel="")
                  for n in ("da_cue", "da_outcome") if n in re}
        heat = re.get("da_phasic")
        xlabel = "Event number (k-th trial with a cue or outcome, counted per subject)"
        n_events_note = (f"the first {k} events of each subject, where an event is one of the "
                         f"{rule}" + ("; the cue line uses only the events with a cue"
                                      if shown is not None else ""))

    heat_groups: list[tuple[str | None, np.ndarray]] = []
    if heat is not None:
        heat_groups = groups if len(groups) <= 3 else [(None, np.arange(_n_subjects(ds)))]
    nrows = 1 + len(heat_groups)
    ratios = [1.6] + [1.0] * len(heat_groups)
    fig, axes = _new_figure(nrows, ratios, height=3.9 + 2.3 * len(heat_groups) + (0.4 if heat_groups else 0))
    ax = axes[0]
    plotted = False
    for g, (arm, sub) in enumerate(groups):
        ls = LINESTYLES[g % len(LINESTYLES)]
        if "da_cue" in series:
            plotted |= _plot_band(ax, series["da_cue"].x, series["da_cue"].values[sub],
                                  colour=CUE_COLOUR, label=_group_label(arm, "at cue onset"), linestyle=ls)
        if "da_outcome" in series:
            plotted |= _plot_band(ax, series["da_outcome"].x, series["da_outcome"].values[sub],
                                  colour=OUTCOME_COLOUR, label=_group_label(arm, "at outcome"), linestyle=ls)
    if not plotted and heat is None:
        return None
    ax.axhline(0, color="0.3", linewidth=0.8, zorder=0.6)
    ref_da = _first_var(ds, ("da_cue", "da_outcome"), _xdim(mode))
    ax.set_ylabel(f"Phasic dopamine\n({_units_or(ref_da, 'reward units')})")
    _set_xrange(ax, x, integer=(mode == "daily"))
    _draw_phases(ax, x, phases, label=True)
    mesh = None
    if heat is not None:
        finite = heat[np.isfinite(heat)]
        vmax = float(np.max(np.abs(finite))) if finite.size else 0.0
        vmax = vmax if vmax > 0 else 1.0
        bins = _coord(ds, "bin", "bin")
        if bins is None:
            bins = np.arange(heat.shape[2])
        for hax, (arm, sub) in zip(axes[1:], heat_groups):
            mean = _nanmean(heat[sub], axis=0)  # (x, bin)
            mesh = _heatmap(fig, hax, heat_x, np.asarray(mean), bins, vmax,
                            f"Mean phasic dopamine within the trial{'' if arm is None else f' — {arm}'}")
            _draw_phases(hax, heat_x, phases, label=False, line_colour="0.2")
        if mesh is not None:
            cb = fig.colorbar(mesh, ax=axes[1:], shrink=0.9, pad=0.01)
            cb.set_label("Phasic DA\n(reward units)")
    axes[-1].set_xlabel(_wrap(xlabel, 70))
    _finish(fig, axes, title)
    path = _save(fig, outdir, "dopamine_shift.png")
    caption = (
        "Phasic dopamine at cue onset (blue) and at the outcome time (vermillion), across "
        f"learning. {_DA_SHIFT_TEXT}{_da_model_note(ds)} Shown: {n_events_note}. {_BAND_NOTE}"
    )
    if len(groups) > 1:
        caption += " Line styles distinguish arms."
    if heat is not None:
        caption += (" Lower panel(s): mean phasic dopamine in each time bin of the trial (rows: "
                    "seconds from the start of the trial; 'end' = the end-of-trial error), red "
                    "for bursts and blue for dips, colour scale centred at zero: the burst "
                    "moving from the outcome time to the cue time.")
    return FigureInfo(path, title, caption)


def _arm_colours(groups: Sequence[tuple[str | None, np.ndarray]]) -> list[str]:
    """One colour per arm: :data:`ARM_COLOURS` for known names, else the next unused
    palette colour (so an arm keeps its colour in every figure of a report)."""
    fixed = [ARM_COLOURS.get(str(arm).lower()) if arm is not None else None for arm, _ in groups]
    free = [c for c in PALETTE if c not in fixed]
    out = []
    for f in fixed:
        out.append(f if f is not None else (free.pop(0) if free else PALETTE[len(out) % len(PALETTE)]))
    return out


def _simple_per_group(ds: xr.Dataset, series: _Series, ax: Any, *,
                      base: str | None = None, spread: str = "ci",
                      linestyle: Any = "-", label: bool = True) -> bool:
    """Plot one line (mean ± CI, or ± s.e.m.) per arm; returns whether anything was drawn."""
    plotted = False
    groups = _arm_groups(ds)
    colours = _arm_colours(groups)
    for g, (arm, sub) in enumerate(groups):
        offset = 0.08 * g if series.categorical else 0.0
        plotted |= _plot_band(ax, series.x + offset, series.values[sub],
                              colour=colours[g], linestyle=linestyle,
                              label=_group_label(arm, base) if label else "_nolegend_",
                              categorical=series.categorical, spread=spread)
    return plotted


def _finish_x(ax: Any, series: _Series, *, label_phases: bool) -> None:
    """X-axis label, categorical ticks or phase lines."""
    if series.categorical:
        ax.set_xticks(series.x, series.xticklabels or [])
        ax.margins(x=0.08)
        return
    _set_xrange(ax, series.x, integer=series.xlabel == "Day")
    _draw_phases(ax, series.x, series.phases, label=label_phases)


def _set_xrange(ax: Any, x: np.ndarray, *, integer: bool = False) -> None:
    """Show the whole x range (even where values are NaN); integer ticks for days."""
    xs = np.asarray(x, dtype=float)
    xs = xs[np.isfinite(xs)]
    if xs.size == 0:
        return
    if xs.size > 1:
        pad = 0.5 * float(np.median(np.diff(xs))) if xs.size <= 60 else 0.01 * float(xs[-1] - xs[0])
    else:
        pad = 0.5
    ax.set_xlim(float(xs.min()) - pad, float(xs.max()) + pad)
    if integer:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _ci_note(mode: str) -> str:
    """The band/error-bar sentence for a figure in ``mode``."""
    if mode == "summary":
        return "Error bars: 95% confidence interval of the mean across subjects."
    return _BAND_NOTE


def _gap_note(mode: str, series: _Series) -> str:
    """'Days without a cue trial are left blank.' when a series has such gaps."""
    if series.categorical:
        what = "Phases"
    elif series.xlabel == "Day":
        what = "Days"
    else:
        return ""
    if np.all(np.isfinite(_mean_ci(series.values)[0])):
        return ""
    return f" {what} without a trial with a cue are left blank."


def _fig_cue_value(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Learned value of the strongest cue present, over trials with a cue."""
    mode = _record(ds)
    if mode == "episode" and _cue_shown(ds) is None:
        # Older Datasets without ``cue_shown``: every episode, as recorded.
        da = _var(ds, "cue_value", "episode")
        if da is None:
            return None
        vals = _matrix(da, "episode")
        s = _Series(x=np.arange(1, vals.shape[1] + 1, dtype=float), values=vals,
                    phases=_phases(ds, "episode"), xlabel="Trial (episode number)")
        unit_note = "on each trial (0 on trials without a cue)"
    else:
        got = _cue_series(ds, "cue_value")
        if got is None:
            return None
        s, unit_note = got
    da = ds["cue_value"]
    title = "Learned cue value"
    fig, axes = _new_figure(1)
    ax = axes[0]
    if not _simple_per_group(ds, s, ax):
        return None
    ax.axhline(0, color="0.3", linewidth=0.8, zorder=0.6)
    ax.set_ylabel(_wrap(_label(da, "Cue value"), 40))
    ax.set_xlabel(_wrap(s.xlabel, 70))
    _finish_x(ax, s, label_phases=True)
    _finish(fig, axes, title, legend=len(_arm_groups(ds)) > 1)
    path = _save(fig, outdir, "cue_value.png")
    caption = (f"The learned value of the strongest cue present on a trial, {unit_note}. Any "
               "cue counts, whatever it predicts (a drug, a natural reward or a shock), so this is "
               "not specifically a drug cue. The value is learned by temporal-difference learning "
               "over a serial compound, separately in each context, and read at the cue's onset "
               "before the trial's own update. It rises as the cue is followed by its outcome "
               "and falls when the cue is presented without it (extinction)."
               f"{_gap_note(mode, s)} {_ci_note(mode)}")
    if len(_arm_groups(ds)) > 1:
        caption += " One line per arm."
    return FigureInfo(path, title, caption)


def _fig_seeking(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Seeking rate and infusions per day (per arm)."""
    mode = _record(ds)
    panels: list[tuple[_Series, str]] = []
    if mode == "episode":
        seek = _daily_series(ds, "seek", "mean")
        if seek is not None:
            panels.append((seek, "Fraction of trials\nwith seeking"))
        inf = _daily_series(ds, "drug_taken", "sum")
        if inf is not None:
            panels.append((inf, "Infusions per day"))
    elif mode == "daily":
        seek = _daily_series(ds, "seek", "sum")
        if seek is not None:
            panels.append((seek, "Seeking responses\nper day"))
        inf = _daily_series(ds, "drug_taken", "sum")
        if inf is not None:
            panels.append((inf, "Infusions per day"))
    else:
        seek = _summary_series(ds, "seek")
        if seek is not None:
            agg = ds["seek"].attrs.get("aggregation", "sum")
            panels.append((seek, "Seeking responses\nin phase" if agg == "sum" else "Seeking (mean)"))
        inf = _summary_series(ds, "drug_taken")
        if inf is not None:
            agg = ds["drug_taken"].attrs.get("aggregation", "sum")
            panels.append((inf, "Infusions in phase" if agg == "sum" else "Infusions (mean)"))
    if not panels:
        return None
    title = "Drug seeking and drug taking"
    fig, axes = _new_figure(len(panels), sharex=True)
    plotted = False
    for i, (ax, (s, ylabel)) in enumerate(zip(axes, panels)):
        plotted |= _simple_per_group(ds, s, ax)
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        _finish_x(ax, s, label_phases=(i == 0))
    if not plotted:
        return None
    axes[-1].set_xlabel(panels[-1][0].xlabel)
    _finish(fig, axes, title, legend=len(_arm_groups(ds)) > 1)
    path = _save(fig, outdir, "seeking.png")
    if mode == "episode":
        what = ("Top: fraction of each day's trials on which the subject sought the drug. "
                "Bottom: drug infusions taken per day.")
    elif mode == "daily":
        what = "Seeking responses and drug infusions per day."
    else:
        what = "Seeking responses and drug infusions in each phase."
    caption = (f"{what} Choices come from cached instrumental values of each lever in each "
               "context, learned from what a response produced: the drug, and the learned value of "
               "any cue it produced (conditioned reinforcement). Seeking rises as the lever's "
               "value is learned and falls when responses stop producing the drug. In a cue test "
               "under extinction, responses still produce the drug-paired cue, whose learned value "
               "keeps responding going for a while without the drug (cue-maintained responding) "
               "until the cue's value extinguishes. Craving does not enter these choices, and "
               f"there is no relapse or reinstatement in this release. {_ci_note(mode)}")
    if len(_arm_groups(ds)) > 1:
        caption += " One line per arm."
    return FigureInfo(path, title, caption)


def _fig_craving(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Craving (0-10) over trials with a cue, per arm."""
    mode = _record(ds)
    got = _cue_series(ds, "craving")
    if got is None:
        return None
    s, unit_note = got
    title = "Craving (cue-triggered wanting)"
    fig, axes = _new_figure(1)
    ax = axes[0]
    if not _simple_per_group(ds, s, ax):
        return None
    ax.set_ylim(-0.2, 10.2)
    ax.set_ylabel(_wrap(_label(ds["craving"], "Craving", _units_or(ds["craving"], "0-10")), 40))
    ax.set_xlabel(_wrap(s.xlabel, 70))
    _finish_x(ax, s, label_phases=True)
    _finish(fig, axes, title, legend=len(_arm_groups(ds)) > 1)
    path = _save(fig, outdir, "craving.png")
    caption = (f"Model craving on a 0-10 scale, {unit_note}. Craving is a read-out of "
               "cue-triggered wanting: the learned value of the cues present (compare the "
               "cue-value figure) recomputed at the current state's incentive gain (raised by "
               "intoxication, sensitisation and incubation in abstinence, lowered by the "
               "withdrawal crash and by the drug's own satiety), counting each cue only as far "
               "as it predicts the drug, so cues for natural rewards give none. The number "
               "itself does not feed into choice; the wanting behind it does, through the "
               f"cue's pull as a conditioned reinforcer.{_gap_note(mode, s)} {_ci_note(mode)}")
    if len(_arm_groups(ds)) > 1:
        caption += " One line per arm."
    return FigureInfo(path, title, caption)


def _fig_extracellular(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Peak accumbens (and, when recorded, dorsal striatal) dopamine (% of baseline) per day."""
    mode = _record(ds)
    mask = None
    sel_note = ""
    if mode == "episode":
        if _var(ds, "da_extracellular_pct", "episode") is None:
            return None
        parts = [_matrix(ds[n], "episode") > 0 for n in ("drug_taken", "natural_taken")
                 if _var(ds, n, "episode") is not None]
        if parts:
            mask = np.logical_or.reduce(parts)
            sel_note = " Each day's value is the mean over trials with a drug or natural-reward outcome."
    s = _daily_series(ds, "da_extracellular_pct", "mean", mask=mask)
    if s is None:
        return None
    dorsal_present = _var(ds, "da_dorsal_pct", _xdim(mode)) is not None
    title = "Accumbens dopamine (% of baseline)"
    if dorsal_present:
        title = "Striatal dopamine (% of baseline)"
    fig, axes = _new_figure(1)
    ax = axes[0]
    base = "accumbens" if dorsal_present else None
    if not _simple_per_group(ds, s, ax, base=base):
        # Nothing finite (e.g. no outcome trials at all): fall back to every trial.
        if mask is None:
            return None
        mask = None
        s = _daily_series(ds, "da_extracellular_pct", "mean")
        sel_note = " No trial had an outcome, so each day's value is the mean over all trials."
        if s is None or not _simple_per_group(ds, s, ax, base=base):
            return None
    dorsal_note = ""
    if dorsal_present:
        d = _daily_series(ds, "da_dorsal_pct", "mean", mask=mask)
        if d is not None and _simple_per_group(ds, d, ax, base="dorsal striatum", linestyle=":"):
            dorsal_note = (" Dotted lines: dorsal striatum, which drugs of abuse raise less than "
                           "the accumbens (Di Chiara & Imperato 1988).")
    ax.axhline(100, color="0.3", linestyle="--", linewidth=1.2, label="baseline (100%)")
    if dorsal_present:
        ax.set_ylabel(_wrap("Peak extracellular dopamine (% of baseline)", 40))
    else:
        ax.set_ylabel(_wrap(_label(ds["da_extracellular_pct"], "Peak accumbens dopamine",
                                    _units_or(ds["da_extracellular_pct"], "% of baseline")), 40))
    ax.set_xlabel(s.xlabel)
    _finish_x(ax, s, label_phases=True)
    _finish(fig, axes, title)
    path = _save(fig, outdir, "dopamine_extracellular.png")
    if _has_body(ds):
        how = ("It follows the drug level in the body (absorption and elimination), so it "
               "builds up within a session, returns towards baseline between sessions and dips "
               "below it in withdrawal; like microdialysis it shows no tolerance of its own "
               "(Rossetti et al. 1993): receptor loss acts downstream of release (see the D2 "
               "receptor figure).")
    else:
        how = ("In this release the rise is a fixed, saturating function of the amount delivered "
               "in the trial: it is not a prediction error, so it does not shrink as the drug "
               "becomes predicted, and with no drug kinetics, tolerance or receptor adaptation "
               "modelled yet it does not change with repeated exposure either.")
    caption = ("Peak extracellular dopamine in the nucleus accumbens within a trial, as a "
               "percentage of the tonic baseline (dashed line, 100%). A drug delivery raises it "
               f"far more than a natural reward. {how}{dorsal_note}{sel_note} {_ci_note(mode)}")
    return FigureInfo(path, title, caption)


# ---------------------------------------------------------------------------
# The addiction cycle: escalation, receptors, withdrawal, allostasis
# ---------------------------------------------------------------------------

#: Variables of the body model (drug kinetics, receptors, withdrawal, allostasis).
BODY_VARS = ("drug_level", "receptor_availability", "withdrawal", "mood", "hedonic_setpoint",
             "reward_threshold", "drug_setpoint", "da_dorsal_pct", "first_hour_intake")

#: Days shown on either side of abstinence in the withdrawal figure.
AROUND_DAYS = 5

_SEM_NOTE = "Lines: mean across subjects; shading: ± 1 s.e.m."


def _has_body(ds: xr.Dataset) -> bool:
    """Whether the Dataset carries any variable of the body model."""
    return any(name in ds.data_vars for name in BODY_VARS)


def _arm_names(ds: xr.Dataset) -> set[str]:
    """Lower-case arm names (empty when there is a single arm or none)."""
    return {str(a).lower() for a, _ in _arm_groups(ds) if a is not None}


def _short_long(ds: xr.Dataset) -> bool:
    """True when the arms include short access (ShA) and long access (LgA)."""
    return {"sha", "lga"} <= _arm_names(ds)


def _drug_free_phases(ds: xr.Dataset) -> set[str]:
    """Phases in which no subject received any drug (abstinence, extinction, cue tests).

    Judged from ``drug_taken`` (else ``dose``); empty when neither is recorded or
    the Dataset has no phase labels along its time axis.
    """
    mode = _record(ds)
    if mode == "summary":
        return set()
    xdim = _xdim(mode)
    da = _first_var(ds, ("drug_taken", "dose"), xdim)
    phases = _phases(ds, xdim)
    if da is None or phases is None:
        return set()
    v = np.nan_to_num(np.abs(_matrix(da, xdim)))
    if not np.any(v > 0):
        return set()  # nothing was ever delivered: no contrast to draw
    taken = v.sum(axis=0) > 0
    return {p for p in _phase_order(phases) if not taken[phases == p].any()}


def _shade_phases(ax: Any, x: np.ndarray, phases: np.ndarray | None, shade: set[str], *,
                  label: str | None) -> None:
    """Grey background over the runs of ``x`` whose phase is in ``shade``."""
    if phases is None or not shade or len(x) == 0 or len(phases) != len(x):
        return
    xs = np.asarray(x, dtype=float)
    step = float(np.median(np.diff(xs))) if xs.size > 1 else 1.0
    first = True
    for start, stop, name in _runs(phases):
        if name not in shade:
            continue
        left = xs[start] - step / 2 if start == 0 else 0.5 * (xs[start - 1] + xs[start])
        right = xs[stop] + step / 2 if stop == len(xs) - 1 else 0.5 * (xs[stop] + xs[stop + 1])
        ax.axvspan(left, right, color=NO_DRUG_SHADE, zorder=0, linewidth=0,
                   label=label if (first and label) else "_nolegend_")
        first = False


def _finish_cycle(fig: Any, axes: list[Any], title: str) -> None:
    """Suptitle, grid and a legend: the arms, reference lines, the grey no-drug
    background, and an entry saying that the shading is ± 1 s.e.m."""
    from matplotlib.patches import Patch

    for ax in axes:
        ax.grid(True, alpha=0.25)
    fig.suptitle(title, fontweight="bold")
    from matplotlib.lines import Line2D

    handles, labels = axes[0].get_legend_handles_labels()
    sem = "line: mean across subjects; band: ± 1 s.e.m."
    handles.append((Patch(facecolor="0.35", alpha=0.25, linewidth=0),
                    Line2D([], [], color="0.35", linewidth=2.0)))
    labels.append(sem)
    if handles:
        fig.legend(handles, labels, loc="outside lower center",
                   ncols=_legend_cols(fig, labels), frameon=False)


def _series_for(ds: xr.Dataset, name: str, how: str) -> _Series | None:
    """Per-day (or per-phase) series of a body variable; ``how`` aggregates episodes."""
    return _daily_series(ds, name, how)


def _restrict(s: _Series, keep: np.ndarray) -> _Series:
    """The series on the x positions where ``keep`` is True."""
    return _Series(x=s.x[keep], values=s.values[:, keep],
                   phases=None if s.phases is None else s.phases[keep], xlabel=s.xlabel,
                   categorical=s.categorical,
                   xticklabels=None if s.xticklabels is None
                   else [t for t, k in zip(s.xticklabels, keep) if k])


def _first_hour_series(ds: xr.Dataset) -> tuple[_Series, str] | None:
    """Drug deliveries in the first hour of each day's session, per day.

    Daily/summary Datasets carry ``first_hour_intake``; episode Datasets use it
    when present, else count ``drug_taken`` in the episodes that start less than
    an hour after the day's first episode (one session a day).
    """
    mode = _record(ds)
    if _var(ds, "first_hour_intake", _xdim(mode)) is not None:
        s = _daily_series(ds, "first_hour_intake", "sum")
        return None if s is None else (s, "")
    if mode != "episode" or _var(ds, "drug_taken", "episode") is None:
        return None
    di = _day_index(ds)
    t = _coord(ds, "day", "episode")
    if di is None or t is None:
        return None
    try:
        t = np.asarray(t, dtype=float)
    except (TypeError, ValueError):
        return None
    start = np.full(t.shape, np.nan)
    for d in np.unique(di):
        sel = di == d
        start[sel] = t[sel].min()
    first = (t - start) * 24.0 < 1.0 - 1e-6
    drug = _matrix(ds["drug_taken"], "episode")
    days, per_day = _per_day(np.where(first[None, :], drug, 0.0), di, "sum")
    s = _Series(x=days.astype(float), values=per_day, phases=_day_phases(ds, di, days),
                xlabel="Day")
    return s, " (counted from the episode times: the hour after each day's first trial)"


def fig_escalation(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Escalation: infusions per session and in its first hour, by day, per arm.

    Drawn over the self-administration days (from the first to the last day of
    the phases in which any drug was delivered; drug-free phases in between are
    grey gaps). Needs ``drug_taken`` per day or per episode and results of the
    body model (``first_hour_intake`` or another of :data:`BODY_VARS`; older
    results show intake in the seeking figure only); skipped for summary
    Datasets and when no drug was ever delivered.
    """
    mode = _record(ds)
    if mode == "summary" or not _has_body(ds):
        return None
    total = _daily_series(ds, "drug_taken", "sum")
    if total is None:
        return None
    if not np.any(np.nan_to_num(total.values) > 0):
        return None
    fh = _first_hour_series(ds)
    free = _drug_free_phases(ds)
    keep = np.ones(total.x.shape, bool)
    if total.phases is not None:
        sa = np.array([p not in free for p in total.phases])
        idx = np.flatnonzero(sa)
        if idx.size:
            keep[:] = False
            keep[idx[0]:idx[-1] + 1] = True
    panels: list[tuple[_Series, str]] = [(_restrict(total, keep), "Infusions per\nsession (count)")]
    fh_note = ""
    if fh is not None and fh[0].values.shape == total.values.shape:
        panels.append((_restrict(fh[0], keep), "Infusions in the\nfirst hour (count)"))
        fh_note = fh[1]
    for s, _ in panels:  # drug-free days inside the window are gaps, not zeros
        if s.phases is not None:
            s.values = np.where(np.array([p in free for p in s.phases])[None, :], np.nan, s.values)
    title = "Escalation of drug intake"
    fig, axes = _new_figure(len(panels), sharex=True)
    plotted = False
    for i, (ax, (s, ylabel)) in enumerate(zip(axes, panels)):
        _shade_phases(ax, s.x, s.phases, free, label="no drug delivered" if i == 0 else None)
        plotted |= _simple_per_group(ds, s, ax, spread="sem")
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        _finish_x(ax, s, label_phases=(i == 0))
    if not plotted:
        return None
    axes[-1].set_xlabel("Day (one session a day)")
    _finish_cycle(fig, axes, title)
    path = _save(fig, outdir, "escalation.png")
    if _short_long(ds):
        caption = ("Long access (LgA, 6-h sessions) escalates intake from session to session, "
                   "in the first hour too, while short access (ShA, 1 h) stays stable "
                   f"(Ahmed & Koob 1998){fh_note}.")
    else:
        caption = ("Drug infusions per daily session (top) and in its first hour (bottom): a "
                   "curve that climbs over sessions is escalation, which long (6-h) but not short "
                   f"(1-h) daily access produces (Ahmed & Koob 1998){fh_note}.")
    return FigureInfo(path, title, caption)


def _body_figure(ds: xr.Dataset, outdir: Path, fname: str, title: str,
                 panels: Sequence[tuple[str, str, str, str]],
                 window: Any = None, refs: dict[str, tuple[float, str]] | None = None,
                 ylims: dict[str, tuple[float, float]] | None = None) -> Path | None:
    """Stacked per-arm time courses (mean ± s.e.m.) of body variables.

    Args:
        panels: ``(variable, how, axis name, units)``; absent variables are left out.
        window: optional callable ``series -> keep mask`` restricting the days shown.
        refs: horizontal reference line per variable: ``(y, legend label)``.
        ylims: fixed y limits per variable.

    Returns:
        The PNG path, or None when nothing could be drawn.
    """
    mode = _record(ds)
    xdim = _xdim(mode)
    got = []
    for name, how, fallback, units in panels:
        if _var(ds, name, xdim) is None:
            continue
        s = _series_for(ds, name, how)
        if s is None:
            continue
        if window is not None and not s.categorical:
            s = _restrict(s, window(s))
            if s.x.size == 0:
                continue
        got.append((name, s, fallback, units))
    if not got:
        return None
    free = _drug_free_phases(ds)
    fig, axes = _new_figure(len(got), sharex=True, height=3.4 + 2.6 * len(got))
    plotted = False
    for i, (ax, (name, s, fallback, units)) in enumerate(zip(axes, got)):
        if not s.categorical:
            _shade_phases(ax, s.x, s.phases, free, label="no drug delivered" if i == 0 else None)
        plotted |= _simple_per_group(ds, s, ax, spread="sem")
        if refs and name in refs:
            y, lab = refs[name]
            ax.axhline(y, color="0.3", linestyle="--", linewidth=1.1,
                       label=lab if i == 0 else "_nolegend_")
        if ylims and name in ylims:
            ax.set_ylim(*ylims[name])
        ax.set_ylabel(_wrap(f"{fallback} ({units})", 30))
        _finish_x(ax, s, label_phases=(i == 0))
    if not plotted:
        return None
    axes[-1].set_xlabel(got[-1][1].xlabel)
    _finish_cycle(fig, axes, title)
    return _save(fig, outdir, fname)


def fig_receptor_availability(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Striatal D2 receptor availability over the whole timeline, per arm.

    When each subject's drug-naive level is known (the ``param_d2_baseline``
    subject coordinate), a second panel shows availability relative to it, which
    separates the drug-induced loss from differences between subjects.
    """
    name = "receptor_availability"
    if name not in ds.data_vars:
        return None
    panels = [(name, "mean", "D2 receptor availability", "1 = population baseline")]
    refs = {name: (1.0, "drug-naive level (1)")}
    own = _coord(ds, "param_d2_baseline", "subject")
    relative = False
    if own is not None:
        try:
            own = np.asarray(own, dtype=float)
        except (TypeError, ValueError):
            own = None
    if own is not None and np.all(np.isfinite(own) & (own > 0)):
        base = xr.DataArray(own, dims=("subject",))
        ds = ds.assign(_d2_relative=ds[name] / base)
        panels.append(("_d2_relative", "mean", "D2 availability relative to the subject's own "
                       "drug-naive level", "1 = own baseline"))
        refs["_d2_relative"] = (1.0, "drug-naive level (1)")
        relative = True
    title = "Dopamine D2 receptor availability"
    path = _body_figure(ds, outdir, "receptor_availability.png", title, panels, refs=refs)
    if path is None:
        return None
    caption = ("Drug taking quickly lowers striatal D2 receptor availability below its "
               "drug-naive level (dashed), which blunts every reward, and it recovers only "
               "slowly in abstinence, as in PET studies (Volkow et al. 1993; Nader et al. 2006)"
               + ("; the lower panel divides out each subject's own starting level."
                  if relative else "."))
    return FigureInfo(path, title, caption)


def _abstinence_window(ds: xr.Dataset) -> Any:
    """``series -> keep`` for abstinence plus :data:`AROUND_DAYS` days either side.

    Abstinence is the phases named like it (abstinence, withdrawal, home cage),
    else the drug-free phases that follow drug taking; without any, every day.
    """
    free = _drug_free_phases(ds)

    def keep(s: _Series) -> np.ndarray:
        everything = np.ones(s.x.shape, bool)
        if s.phases is None:
            return everything
        names = [str(p) for p in s.phases]
        ab = np.array([any(k in p.lower() for k in ("abstinen", "withdraw", "home"))
                       for p in names])
        if not ab.any() and free:
            took = np.array([p not in free for p in names])
            if took.any():
                after = np.arange(len(names)) > np.flatnonzero(took)[0]
                ab = after & ~took
        if not ab.any():
            return everything
        lo, hi = s.x[ab].min() - AROUND_DAYS, s.x[ab].max() + AROUND_DAYS
        return (s.x >= lo) & (s.x <= hi)

    return keep


def fig_withdrawal_mood(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Withdrawal (0-1) and mood (-1..1) through abstinence and the days around it."""
    title = "Withdrawal and mood in abstinence"
    path = _body_figure(ds, outdir, "withdrawal_mood.png", title,
                        [("withdrawal", "mean", "Withdrawal", "0 = none, 1 = maximal"),
                         ("mood", "mean", "Mood", "-1 to 1, 0 = drug-naive")],
                        window=_abstinence_window(ds),
                        refs={"mood": (0.0, "drug-naive mood (0)")},
                        ylims={"withdrawal": (-0.03, 1.03), "mood": (-1.06, 1.06)})
    if path is None:
        return None
    if _short_long(ds):
        caption = ("When the drug stops, withdrawal rises and then fades over days while mood "
                   "drops below the drug-naive level, deeper and longer after long access (LgA) "
                   "than short access (ShA): the negative emotional state of the withdrawal/"
                   "negative-affect stage (Koob & Le Moal 2001).")
    else:
        caption = ("When the drug stops, withdrawal rises and then fades over days while mood "
                   "drops below the drug-naive level (dashed line at 0): the negative emotional "
                   "state of the withdrawal/negative-affect stage (Koob & Le Moal 2001).")
    return FigureInfo(path, title, caption)


def fig_reward_threshold(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Reward threshold (ICSS analogue) and hedonic set point over the whole timeline."""
    title = "Reward threshold and hedonic set point (allostasis)"
    path = _body_figure(ds, outdir, "reward_threshold.png", title,
                        [("reward_threshold", "mean", "Reward threshold, ICSS analogue",
                          "pellets"),
                         ("hedonic_setpoint", "mean", "Hedonic set point rise", "reward units")])
    if path is None:
        return None
    if _short_long(ds):
        caption = ("Under long access (LgA) the reward threshold and the hedonic set point climb "
                   "session after session and stay raised through abstinence, while under short "
                   "access (ShA) they stay flat: hedonic allostasis (Ahmed et al. 2002).")
    else:
        caption = ("A rising reward threshold (more natural reward needed before it is worth "
                   "responding, like a raised ICSS threshold) and hedonic set point that stay "
                   "raised through abstinence mark hedonic allostasis (Ahmed et al. 2002; Koob & "
                   "Le Moal 2001).")
    return FigureInfo(path, title, caption)


def fig_memory(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Which memory drives behaviour: retrieval of the first memory and the memories open,
    per arm; drawn only when some subject opened a second memory (``brain.memory``)."""
    if "memories" not in ds or not np.nanmax(ds["memories"].values) > 1:
        return None
    title = "Memories: extinction is a second memory beside the first"
    panels = [("memory_original", "mean", "Retrieval of the first memory", "0-1"),
              ("memories", "max", "Memories open", "count")]
    labile = "memory_labile" in ds and np.nanmax(ds["memory_labile"].values) > 0.05
    if labile:
        panels.append(("memory_labile", "max", "Lability of the retrieved memory", "0-1"))
    path = _body_figure(ds, outdir, "memory.png", title, panels,
                        ylims={"memory_original": (-0.03, 1.03),
                               "memory_labile": (-0.03, 1.03)})
    if path is None:
        return None
    caption = ("The first panel is the share of the first memory (what was learned in "
               "acquisition) in the retrieval that drives behaviour; the second, how many "
               "memories each subject holds. A run of omitted outcomes that no memory "
               "explains opens a new one (extinction), which is bound to its context and its "
               "time, so the first memory returns in another context (renewal) and after a "
               "rest (spontaneous recovery) (Bouton 2004; Gershman, Blei & Niv 2010; Redish "
               "et al. 2007). Mean ± s.e.m. across subjects.")
    if labile:
        caption += (" The third panel is the lability of the retrieved memory: a retrieval "
                    "whose expected outcome is withheld opens a window of hours in which "
                    "extinction revises the first memory instead of opening a second "
                    "(Monfils et al. 2009; Xue et al. 2012).")
    return FigureInfo(path, title, caption)


# ---------------------------------------------------------------------------
# Incentive salience: wanting vs liking, incubation of craving
# ---------------------------------------------------------------------------

#: Line styles of the wanting-and-liking figure (colour is the arm).
WANTING_STYLE = "-"
LIKING_STYLE = "--"
INCUBATION_STYLE = ":"
#: Panel B names the cue tests when there are at most this many.
MAX_TEST_NAMES = 4


def _episode_flag(ds: xr.Dataset, name: str) -> np.ndarray | None:
    """Bool ``(subject, episode)`` array of episode variable ``name`` (``cue_shown``,
    ``delivered``), or None when it is absent."""
    da = _var(ds, name, "episode")
    if da is None:
        return None
    v = _matrix(da, "episode")
    return np.isfinite(v) & (v != 0)


def _event_means(ds: xr.Dataset, name: str, flag: str) -> _Series | None:
    """Per-day (summary records: per-phase) means of an event variable over its events,
    NaN where there was none: ``wanting`` over the episodes with a cue (``flag``
    ``"cue_shown"``), ``liking`` over those with a delivery (``"delivered"``).

    Episode records average the flagged episodes (without the flag, the non-zero values:
    these variables are 0 off their events); daily and summary records take the stored
    event means, blanked where the event count is 0.
    """
    mode = _record(ds)
    if mode != "episode":
        return _stored_event_means(ds, name, mode)
    da = _var(ds, name, "episode")
    if da is None:
        return None
    mask = _episode_flag(ds, flag)
    if mask is None:
        v = _matrix(da, "episode")
        mask = np.isfinite(v) & (v != 0)
    return _daily_series(ds, name, "mean", mask=mask)


def _has_values(s: _Series | None) -> bool:
    """Whether a series has any finite value."""
    return s is not None and s.values.size > 0 and bool(np.isfinite(s.values).any())


def _wanting_liking_data(ds: xr.Dataset) -> dict[str, Any] | None:
    """The series of :func:`fig_wanting_liking`, or None when it is not drawn.

    Returns ``{"wanting", "liking", "craving", "incubation", "tests"}``: the first three
    event means (see :func:`_event_means`; ``craving`` None when absent), ``incubation``
    the per-day (per-phase) mean or None, and ``tests`` a bool mask over the craving
    series' positions: the days (phases) with a cue after the last one on which any
    subject took the drug, else every day with a cue (None without craving).
    """
    xdim = _xdim(_record(ds))
    if _var(ds, "wanting", xdim) is None or _var(ds, "liking", xdim) is None:
        return None
    wanting = _event_means(ds, "wanting", "cue_shown")
    liking = _event_means(ds, "liking", "delivered")
    if wanting is None or liking is None or not (_has_values(wanting) or _has_values(liking)):
        return None
    craving = _event_means(ds, "craving", "craving_probe"
                           if _var(ds, "craving_probe", "episode") is not None else "cue_shown")
    tests, after_drug = None, False
    if _has_values(craving):
        tests = np.isfinite(craving.values).any(axis=0)
        drug = _daily_series(ds, "drug_taken", "sum")
        if drug is None:
            drug = _daily_series(ds, "dose", "sum")
        if drug is not None and drug.x.shape == craving.x.shape:
            took = np.nan_to_num(np.abs(drug.values)).sum(axis=0) > 0
            if took.any():
                after = tests & (np.arange(took.size) > np.flatnonzero(took)[-1])
                if after.any():
                    tests, after_drug = after, True
    else:
        craving = None
    incubation = _daily_series(ds, "incubation", "mean")
    if not _has_values(incubation) or (
            craving is not None and incubation.x.shape != craving.x.shape):
        incubation = None
    return {"wanting": wanting, "liking": liking, "craving": craving,
            "incubation": incubation, "tests": tests, "after_drug": after_drug}


def has_wanting_liking(ds: xr.Dataset) -> bool:
    """Whether :func:`fig_wanting_liking` draws its figure for ``ds`` (it needs ``wanting``
    and ``liking``, and a trial with a cue or a delivery)."""
    return _wanting_liking_data(ds) is not None


def _panel_b_span(ds: xr.Dataset, s: _Series, tests: np.ndarray | None) -> np.ndarray:
    """Positions of panel B: the abstinence window (:func:`_abstinence_window`), stretched
    to take in every cue test; everything for categorical (summary) series."""
    keep = np.ones(s.x.shape, bool)
    if s.categorical:
        return keep
    keep = _abstinence_window(ds)(s)
    if tests is not None and tests.shape == keep.shape:
        keep = keep | tests
    idx = np.flatnonzero(keep)
    out = np.zeros(s.x.shape, bool)
    out[idx[0]:idx[-1] + 1] = True
    return out


def _sem_points(ax: Any, x: np.ndarray, mat: np.ndarray, *, colour: str,
                label: str) -> bool:
    """Mean ± 1 s.e.m. across the rows of ``mat`` as markers with error bars, joined by a
    thin line (the cue tests of a panel); returns whether anything was drawn."""
    mean, lo, hi, _ = _mean_sem(mat)
    ok = np.isfinite(mean)
    if not ok.any():
        return False
    yerr = np.vstack([mean - lo, hi - mean])[:, ok]
    yerr = np.where(np.isfinite(yerr), yerr, 0.0)
    ax.errorbar(np.asarray(x, dtype=float)[ok], mean[ok], yerr=yerr, color=colour,
                linestyle="-", linewidth=1.2, marker="o", markersize=7, capsize=4,
                label=label, zorder=3)
    return True


def _sem_line(ax: Any, x: np.ndarray, mat: np.ndarray, *, colour: str, linestyle: Any,
              label: str, categorical: bool) -> bool:
    """Mean ± 1 s.e.m. across the rows of ``mat`` as a line without markers and a light
    band (error bars in categorical mode); returns whether anything was drawn."""
    if categorical:
        return _plot_band(ax, x, mat, colour=colour, label=label, linestyle=linestyle,
                          categorical=True, spread="sem")
    mean, lo, hi, _ = _mean_sem(mat)
    if not np.isfinite(mean).any():
        return False
    ax.plot(x, mean, color=colour, linestyle=linestyle, linewidth=2.2, label=label)
    ok = np.isfinite(lo) & np.isfinite(hi)
    if ok.any():
        ax.fill_between(x, np.where(ok, lo, np.nan), np.where(ok, hi, np.nan), color=colour,
                        alpha=0.15, linewidth=0)
    return True


def _name_tests(ax: Any, s: _Series, where: np.ndarray) -> None:
    """Name the cue tests (their phase, else their day) at the top of panel B, once per run
    of consecutive test days, when the phase name above the axes had to be shortened; at
    most :data:`MAX_TEST_NAMES` of them."""
    idx = np.flatnonzero(where)
    runs: list[list[int]] = []
    for i in idx:
        if runs and i == runs[-1][-1] + 1 and (s.phases is None
                                               or s.phases[i] == s.phases[runs[-1][0]]):
            runs[-1].append(int(i))
        else:
            runs.append([int(i)])
    if not runs or len(runs) > MAX_TEST_NAMES:
        return
    from matplotlib.transforms import blended_transform_factory

    trans = blended_transform_factory(ax.transData, ax.transAxes)
    lo, hi = ax.get_xlim()
    span = (hi - lo) or 1.0
    width_pt = 0.82 * ax.figure.get_figwidth() * 72.0  # as in :func:`_draw_phases`
    placed: list[float] = []     # x of the names written so far (close ones go one line down)
    for run in runs:
        i = run[0]
        named = s.phases is not None and bool(s.phases[i])
        name = str(s.phases[i]) if named else f"day {s.x[i]:g}"
        if named and s.phases is not None:
            same = np.flatnonzero(s.phases == s.phases[i])
            width = len(same) * (float(np.median(np.diff(s.x))) if s.x.size > 1 else 1.0)
            if len(name) <= int(width / span * width_pt / 6.0):
                continue  # the phase's own label above the axes shows it in full
        x = float(np.mean(s.x[run]))
        ha = ("left" if x - lo < 0.15 * span else "right" if hi - x < 0.15 * span
              else "center")
        line = sum(abs(x - p) < 0.25 * span for p in placed)
        placed.append(x)
        ax.text(x, 0.97 - 0.06 * line, name, transform=trans, ha=ha, va="top", fontsize=10,
                color="0.25")


def _finish_wanting_liking(fig: Any, groups: Sequence[tuple[str | None, np.ndarray]],
                           colours: Sequence[str], styles: Sequence[tuple[Any, str, str]],
                           shaded: bool) -> None:
    """Legend of the wanting-and-liking figure: one colour per arm, one style per variable
    (``(linestyle, marker, label)``), the grey no-drug background and the band entry."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    arms = [(Line2D([], [], color=c, linewidth=3.0), _group_label(arm))
            for c, (arm, _) in zip(colours, groups)]
    variables = [(Line2D([], [], color="0.3", linestyle=style, marker=marker or None,
                         linewidth=2.0, markersize=6), label) for style, marker, label in styles]
    extra: list[tuple[Any, str]] = []
    if shaded:
        extra.append((Patch(facecolor=NO_DRUG_SHADE, edgecolor="0.7", linewidth=0.5),
                      "no drug delivered"))
    extra.append(((Patch(facecolor="0.35", alpha=0.25, linewidth=0),
                   Line2D([], [], color="0.35", linewidth=2.0)), "mean ± 1 s.e.m."))
    # filled column by column: the arms, then the variables, then background and band,
    # each group starting a new column
    rows = max(2, len(arms))
    entries: list[tuple[Any, str]] = []
    for group in (arms, variables, extra):
        entries += group + [(Patch(visible=False), "")] * (-len(group) % rows)
    fig.legend([h for h, _ in entries], [lab for _, lab in entries], loc="outside lower center",
               ncols=len(entries) // rows, frameon=False, fontsize=10, columnspacing=1.2,
               handlelength=2.4)


def fig_wanting_liking(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Wanting vs liking over the cycle (A) and craving through abstinence (B), per arm.

    A: cue-triggered ``wanting`` (mean over each day's trials with a cue) and ``liking``
    (mean over each day's deliveries) against day, in reward units; colour per arm, line
    style per variable. B: ``craving`` (0-10) at the cue tests (the days with a cue after
    the last drug delivery, else every day with a cue) as markers, and ``incubation`` on a
    second axis, over the abstinence window and the tests. Summary records plot the same
    per phase. Skipped without ``wanting`` or ``liking`` or when no trial had a cue or a
    delivery; panel B is left out without ``craving`` and ``incubation``.
    """
    data = _wanting_liking_data(ds)
    if data is None:
        return None
    mode = _record(ds)
    wanting, liking = data["wanting"], data["liking"]
    craving, incubation, tests = data["craving"], data["incubation"], data["tests"]
    panel_b = craving is not None or incubation is not None
    groups = _arm_groups(ds)
    colours = _arm_colours(groups)
    free = _drug_free_phases(ds)
    title = "Wanting and liking, and the incubation of craving"
    fig, axes = _new_figure(2 if panel_b else 1, sharex=False,
                            height=9.6 if panel_b else 5.6)
    ax = axes[0]
    if not wanting.categorical:
        _shade_phases(ax, wanting.x, wanting.phases, free, label=None)
    plotted = False
    n_lines = 2 * len(groups)
    for g, (arm, sub) in enumerate(groups):
        for k, (s, style) in enumerate(((wanting, WANTING_STYLE), (liking, LIKING_STYLE))):
            offset = 0.08 * (2 * g + k - (n_lines - 1) / 2) if s.categorical else 0.0
            plotted |= _plot_band(ax, s.x + offset, s.values[sub], colour=colours[g],
                                  linestyle=style, label="_nolegend_",
                                  categorical=s.categorical, spread="sem")
    if not plotted:
        return None
    ax.axhline(0, color="0.3", linewidth=0.8, zorder=0.6)
    units = _units_or(ds["wanting"], "reward units")
    ax.set_ylabel(_wrap(f"Wanting and liking ({units})", 20))
    ax.set_xlabel(wanting.xlabel)
    _finish_x(ax, wanting, label_phases=True)
    ax.set_title("A. Wanting vs liking over the cycle", loc="left", pad=22)
    ax.grid(True, alpha=0.25)
    styles: list[tuple[Any, str, str]] = [
        (WANTING_STYLE, "", "wanting (cue trials)"),
        (LIKING_STYLE, "", "liking (deliveries)")]
    if panel_b:
        axb = axes[1]
        ref = craving if craving is not None else incubation
        span = _panel_b_span(ds, ref, tests)
        twin = axb.twinx() if craving is not None and incubation is not None else None
        back = twin if twin is not None else axb
        if not ref.categorical:
            _shade_phases(back, ref.x[span], None if ref.phases is None else ref.phases[span],
                          free, label=None)
        if twin is not None:  # craving in front of the incubation line and the shading
            axb.set_zorder(twin.get_zorder() + 1)
            axb.patch.set_visible(False)
            twin.spines["right"].set_visible(True)
        for g, (arm, sub) in enumerate(groups):
            off = 0.1 * (g - (len(groups) - 1) / 2) if ref.categorical else 0.0
            if craving is not None:
                keep = span & tests
                _sem_points(axb, craving.x[keep] + off, craving.values[sub][:, keep],
                            colour=colours[g], label="_nolegend_")
            if incubation is not None:
                _sem_line(back, incubation.x[span] - off, incubation.values[sub][:, span],
                          colour=colours[g], linestyle=INCUBATION_STYLE, label="_nolegend_",
                          categorical=incubation.categorical)
        if craving is not None:
            axb.set_ylim(-0.2, 10.2)
            axb.set_ylabel(_wrap("Craving at the cue tests (0-10)", 24))
            styles.append(("-", "o", "craving at cue tests"))
        if incubation is not None:
            top = float(_nanmax(incubation.values[:, span]))
            back.set_ylim(0.0, 1.2 * top if top > 0 else 1.0)  # headroom for the test names
            back.set_ylabel(_wrap("Incubation: rise of drug cues' incentive gain", 26))
            styles.append((INCUBATION_STYLE, "",
                           "incubation" + (" (right axis)" if twin is not None else "")))
        sb = _restrict(ref, span)
        axb.set_xlabel(sb.xlabel)
        _finish_x(axb, sb, label_phases=True)
        if twin is not None:
            twin.set_xlim(axb.get_xlim())
        if craving is not None and data["after_drug"] and not ref.categorical:
            _name_tests(axb, ref, span & tests)
        axb.set_title("B. Craving through abstinence (incubation)", loc="left", pad=22)
        axb.grid(True, alpha=0.25)
    fig.suptitle(title, fontweight="bold")
    shaded = bool(free) and not wanting.categorical
    _finish_wanting_liking(fig, groups, colours, styles, shaded)
    path = _save(fig, outdir, "wanting_liking.png")
    caption = _wanting_liking_caption(ds, mode, data, panel_b, shaded)
    return FigureInfo(path, title, caption)


def _wanting_liking_caption(ds: xr.Dataset, mode: str, data: dict[str, Any],
                            panel_b: bool, shaded: bool) -> str:
    """Caption of :func:`fig_wanting_liking`."""
    per = "phase" if mode == "summary" else "day"
    parts = [f"A: cue-triggered wanting, the incentive value of the most wanted cue present "
             f"(its learned value times the incentive gain of the subject's current state), "
             f"averaged over each {per}'s trials with a cue (solid), and liking, the hedonic "
             f"value of the outcome delivered, averaged over each {per}'s deliveries "
             f"(dashed), in the same reward units; {per}s without such trials are blank."]
    if panel_b:
        what = []
        if data["craving"] is not None:
            where = (f"the cue tests, the {per}s with a cue after the last drug delivery"
                     if data["after_drug"] else f"every {per} with a cue")
            what.append(f"craving (0-10) at {where} (markers)")
        if data["incubation"] is not None:
            what.append("the incubation of drug cues' incentive gain (dotted"
                        + ("; right axis" if data["craving"] is not None else "")
                        + "; 0 while the drug is in use)")
        window = "" if mode == "summary" else ", through abstinence"
        parts.append(f"B{window}: {', and '.join(what)}.")
    look = ("What to look for: wanting is not liking (Berridge & Robinson 1998); incentive "
            "sensitisation by repeated, intermittent drug taking (Robinson & Berridge 1993) "
            "and, for drug cues, incubation in abstinence raise cue-triggered wanting, while "
            "the liking of the drug falls with tolerance (D2 receptor loss)")
    if panel_b and data["craving"] is not None:
        tests = ("the day-30 cue test above the day-1 test"
                 if str(ds.attrs.get("scenario_name", "")) == "addiction-cycle"
                 else "a later cue test in abstinence above an early one")
        look += f"; and craving at {tests}, the incubation of craving (Grimm et al. 2001)"
    elif panel_b:
        look += "; and the incubation of craving in abstinence (Grimm et al. 2001)"
    parts.append(look + ".")
    if _short_long(ds):
        parts.append("One colour per arm (ShA: short access, LgA: long access).")
    elif len(_arm_groups(ds)) > 1:
        parts.append("One colour per arm.")
    parts.append("Lines and markers: means across subjects; bands and error bars: "
                 "± 1 s.e.m." + ("; grey background: no drug delivered." if shaded else ""))
    return " ".join(parts)


# ---------------------------------------------------------------------------
# Habit, attention and the ventral-to-dorsal shift of cue dopamine
# ---------------------------------------------------------------------------

#: Variables of the control model (goal-directed vs habit, attention, dorsal cue dopamine).
CONTROL_VARS = ("habit_weight", "attentional_bias", "da_cue_dorsal", "pfc_control")
#: Control-model state variables summarised as phase means of their daily means.
CONTROL_STATE_VARS = ("habit_weight", "attentional_bias")
#: Days per week in the weekly cue-dopamine figure (weeks counted from the first day).
DAYS_PER_WEEK = 7
#: Colours of the two striatal regions when the Dataset has a single arm.
VENTRAL_COLOUR = "#009E73"
DORSAL_COLOUR = "#CC79A7"


def _has_control(ds: xr.Dataset) -> bool:
    """Whether the Dataset carries any variable of the control model."""
    return any(name in ds.data_vars for name in CONTROL_VARS)


def fig_habit_attention(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Habit weight, attentional bias and prefrontal control over the whole timeline, per
    arm.

    Needs ``habit_weight``, ``attentional_bias`` and/or ``pfc_control`` (per episode, per
    day or per phase); daily values are means over the day's episodes.
    """
    xdim = _xdim(_record(ds))
    habit = _var(ds, "habit_weight", xdim) is not None
    attention = _var(ds, "attentional_bias", xdim) is not None
    pfc = _var(ds, "pfc_control", xdim) is not None
    if not (habit or attention or pfc):
        return None
    title = ("Habit weight, attentional bias and prefrontal control" if pfc
             else "Habit weight and attentional bias")
    path = _body_figure(ds, outdir, "habit_attention.png", title,
                        [("habit_weight", "mean", "Habit weight",
                          "0 = goal-directed, 1 = habitual"),
                         ("attentional_bias", "mean", "Attentional bias to drug cues",
                          "share of attention, 0-1"),
                         ("pfc_control", "mean", "Prefrontal control",
                          "veto on punished habits, 0-1")],
                        refs={"habit_weight": (0.5, "habit = goal-directed (0.5)")},
                        ylims={"habit_weight": (-0.03, 1.03),
                               "attentional_bias": (-0.03, 1.03),
                               "pfc_control": (-0.03, 1.03)})
    if path is None:
        return None
    parts = []
    if habit:
        faster = (", faster under long access (LgA) than short access (ShA)" if _short_long(ds)
                  else "")
        parts.append("Habit weight is the habit system's share of control of the seeking lever "
                     "(0 goal-directed, 1 habitual): it grows with reinforced responding, more "
                     f"so when the drug raises dorsal striatal dopamine{faster}, and is not "
                     "unlearned in abstinence (Daw, Niv & Dayan 2005; Everitt & Robbins 2005).")
    if attention:
        parts.append("Attentional bias, a dot-probe analogue, is the share of attention that "
                     "drug-predicting cues capture in the current context: it follows their "
                     "learned value, so it is lower where they have little (Field & Cox 2008).")
    if pfc:
        parts.append("Prefrontal control is the strength of the veto that brings a response's "
                     "predicted punishment to bear on the habit: drugs toxic to the prefrontal "
                     "cortex (stimulants, alcohol, nicotine) erode it with hours of use, "
                     "steeply in vulnerable subjects, and it recovers slowly in abstinence; a "
                     "phase's prefrontal gain (stimulation, inhibition) shows as a step "
                     "(Chen et al. 2013).")
    return FigureInfo(path, title, " ".join(parts))


def _cue_day_values(ds: xr.Dataset, name: str) -> _Series | None:
    """Per-day means of a cue-trial variable (``da_cue``, ``da_cue_dorsal``) over each day's
    trials with a cue, NaN on days without one.

    Episode records average the episodes with ``cue_shown`` (every episode when it is
    absent); daily records take the stored event means, blanked where ``n_cue_events`` is 0
    (without the count, NaN values alone mark such days). None for summary records.
    """
    mode = _record(ds)
    if mode == "daily":
        s = _daily_series(ds, name, "mean")
        if s is None:
            return None
        n = _event_count(ds, name, "day")
        if n is not None:
            s.values = np.where(n > 0, s.values, np.nan)
        return s
    if mode == "episode":
        return _daily_series(ds, name, "mean", mask=_cue_shown(ds))
    return None


def _weekly(s: _Series, days_per_week: int = DAYS_PER_WEEK
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Weekly means per subject of a per-day series, ignoring NaN days.

    Week 1 holds the first ``days_per_week`` days from the first day of the series, and so
    on; a week without a finite day is NaN. Returns ``(weeks, values (subject, week),
    phases)``, the phase of a week being the one that fills most of its days.
    """
    x = np.asarray(s.x, dtype=float)
    week = np.floor((x - np.nanmin(x)) / days_per_week).astype(np.int64) + 1
    weeks = np.arange(1, int(week.max()) + 1)
    vals = np.full((s.values.shape[0], weeks.size), np.nan)
    phases = None if s.phases is None else np.empty(weeks.size, dtype=object)
    for j, w in enumerate(weeks):
        sel = week == w
        if sel.any():
            vals[:, j] = _nanmean(s.values[:, sel], axis=1)
        if phases is not None:
            c = Counter(str(p) for p in s.phases[sel])
            phases[j] = c.most_common(1)[0][0] if c else ""
    return weeks, vals, phases


def _weekly_cue_dopamine(ds: xr.Dataset) -> dict[str, Any] | None:
    """Weekly means of cue-evoked phasic dopamine, ventral (``da_cue``) and dorsal
    (``da_cue_dorsal``), per subject over the days with a cue trial.

    Each subject's per-day means over its trials with a cue (see :func:`_cue_day_values`)
    are averaged over the week's days with a cue, each day weighing the same; weeks
    without one are NaN. Returns ``{"weeks", "phases", "ventral", "dorsal"}`` (the last
    two ``(subject, week)`` arrays, ``ventral`` None when ``da_cue`` is absent), or None
    without ``da_cue_dorsal`` or for summary records.
    """
    dorsal = _cue_day_values(ds, "da_cue_dorsal")
    if dorsal is None or dorsal.x.size == 0:
        return None
    weeks, d_vals, phases = _weekly(dorsal)
    ventral = _cue_day_values(ds, "da_cue")
    v_vals = None
    if ventral is not None and np.array_equal(ventral.x, dorsal.x):
        v_vals = _weekly(ventral)[1]
    return {"weeks": weeks, "phases": phases, "ventral": v_vals, "dorsal": d_vals}


def _finish_weekly(fig: Any, ax: Any, title: str, *, rows: int) -> None:
    """Like :func:`_finish_cycle`, with the legend in columns of ``rows`` entries: one
    column per arm (its regions), then the background and band entries."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ax.grid(True, alpha=0.25)
    fig.suptitle(title, fontweight="bold")
    handles, labels = ax.get_legend_handles_labels()
    lines = [(h, lab) for h, lab in zip(handles, labels) if isinstance(h, Line2D)
             or type(h).__name__ == "ErrorbarContainer"]
    extra = [(h, lab) for h, lab in zip(handles, labels) if (h, lab) not in lines]
    extra.append(((Patch(facecolor="0.35", alpha=0.25, linewidth=0),
                   Line2D([], [], color="0.35", linewidth=2.0)),
                  "line: mean across subjects; band: ± 1 s.e.m."))
    entries = lines + extra
    rows = max(1, rows)
    entries += [(Patch(visible=False), "")] * (-len(entries) % rows)
    fig.legend([h for h, _ in entries], [lab for _, lab in entries], loc="outside lower center",
               ncols=max(1, len(entries) // rows), frameon=False)


def fig_cue_dopamine_by_week(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Cue-evoked phasic dopamine by week, ventral vs dorsal striatum, per arm.

    Needs ``da_cue_dorsal`` (and ``da_cue`` for the ventral line) per episode or per
    day; skipped for summary records and when no week has a cue trial.
    """
    got = _weekly_cue_dopamine(ds)
    if got is None:
        return None
    weeks = got["weeks"].astype(float)
    groups = _arm_groups(ds)
    colours = _arm_colours(groups)
    regions = [(got["ventral"], "ventral (accumbens)", "-", VENTRAL_COLOUR),
               (got["dorsal"], "dorsolateral", "--", DORSAL_COLOUR)]
    regions = [r for r in regions if r[0] is not None]
    title = "Cue-evoked dopamine by week: ventral vs dorsal striatum"
    fig, axes = _new_figure(1)
    ax = axes[0]
    _shade_phases(ax, weeks, got["phases"], _drug_free_phases(ds), label="no drug delivered")
    plotted = False
    for g, (arm, sub) in enumerate(groups):
        for vals, what, style, own in regions:
            plotted |= _plot_band(ax, weeks, vals[sub], colour=own if arm is None else colours[g],
                                  linestyle=style, label=_group_label(arm, what), spread="sem")
    if not plotted:
        return None
    ax.axhline(0, color="0.3", linewidth=0.8, zorder=0.6)
    units = _units_or(ds["da_cue_dorsal"], "reward units")
    ax.set_ylabel(_wrap(f"Cue-evoked phasic dopamine ({units})", 32))
    ax.set_xlabel("Week (7-day blocks from the first day)")
    _set_xrange(ax, weeks, integer=True)
    _draw_phases(ax, weeks, got["phases"], label=True)
    _finish_weekly(fig, ax, title, rows=len(regions))
    path = _save(fig, outdir, "cue_dopamine_by_week.png")
    caption = ("Weekly means of the phasic dopamine response at cue onset in the ventral "
               "striatum (solid) and relayed to the dorsolateral striatum (dashed), over the "
               "days with a cue trial (weeks without one are blank; phase names: the phase "
               "filling most of each week). The ventral response comes first; the dorsal one "
               "grows as the habit system takes control of seeking, the ventral-to-dorsal "
               "shift of cue dopamine over weeks of self-administration (Willuhn et al. 2012).")
    return FigureInfo(path, title, caption)


# ---------------------------------------------------------------------------
# Pavlovian conditioned approach: sign- and goal-tracking
# ---------------------------------------------------------------------------

#: trial_type of the k-th response window of a conditioned_approach trial: "PCA window k".
PCA_TRIAL_PREFIX = "PCA window "
#: The conditioned_approach task's default response window (s), used when the scenario
#: text cannot be read.
PCA_DEFAULT_WINDOW_S = 2.0
#: Colours of the tracking groups (Okabe-Ito), the same in every panel.
TRACKING_COLOURS: dict[str, str] = {
    "sign-tracker": "#D55E00",   # vermillion
    "intermediate": "#777777",
    "goal-tracker": "#0072B2",   # blue
}


def has_conditioned_approach(ds: xr.Dataset) -> bool:
    """Whether ``ds`` is recorded per episode and holds conditioned_approach trials
    (``trial_type`` ``"PCA window k"``) with their ``action``, ``phase`` and ``day_index``:
    whether :func:`fig_sign_goal_tracking` draws its figure."""
    if "episode" not in ds.dims or _record(ds) != "episode":
        return False
    if _var(ds, "action", "episode") is None or any(
            _coord(ds, c, "episode") is None for c in ("phase", "day_index")):
        return False
    tt = _coord(ds, "trial_type", "episode")
    if tt is None or tt.size == 0:
        return False
    return any(t.startswith(PCA_TRIAL_PREFIX) for t in _str_array(tt))


def _pca_window_s(ds: xr.Dataset) -> float:
    """The first conditioned_approach phase's ``response_window`` (s), read from the scenario
    text in ``ds.attrs["scenario_text"]``; :data:`PCA_DEFAULT_WINDOW_S` when it cannot be."""
    text = ds.attrs.get("scenario_text")
    if not isinstance(text, str) or not text.strip():
        return PCA_DEFAULT_WINDOW_S
    try:
        from ..scenario import load_scenario

        sc = load_scenario(text if "\n" in text else text + "\n")
    except (ImportError, ValueError, TypeError):  # ScenarioError is a ValueError
        return PCA_DEFAULT_WINDOW_S  # an old, foreign or unparseable scenario
    for p in sc.phase:
        if str(getattr(p.task, "value", p.task)) == "conditioned_approach":
            w = float(getattr(p, "response_window", PCA_DEFAULT_WINDOW_S))
            return w if math.isfinite(w) and w > 0 else PCA_DEFAULT_WINDOW_S
    return PCA_DEFAULT_WINDOW_S


def _sessions_range(first: int, last: int) -> str:
    return f"session {first}" if first == last else f"sessions {first}\u2013{last}"


def fig_sign_goal_tracking(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Sign- and goal-tracking in Pavlovian conditioned approach (the ``conditioned_approach``
    task), over the first conditioned_approach phase.

    A: histogram of the PCA index (Meyer et al. 2012) per subject over the phase's last two
    sessions, one per arm, with the cut-offs at +-0.5 and each group's share; B: lever and
    food-cup approaches per trial by session for each tracking group of the first arm; C:
    phasic dopamine at lever insertion and at the food by session for its sign- and
    goal-trackers (Flagel et al. 2011). Needs episode records with conditioned_approach
    episodes (``trial_type`` ``"PCA window k"``) and ``action``; ``da_cue`` and
    ``da_outcome`` for panel C.
    """
    if not has_conditioned_approach(ds):
        return None
    try:
        from ..analysis import conditioned_approach as pca
    except ImportError:  # the report package loaded on its own, without addictsim
        return None

    # The first conditioned_approach phase only: phases may differ in their number of
    # response windows per trial, and approaches() analyses one protocol at a time.
    tt = _str_array(_coord(ds, "trial_type", "episode"))
    ep_phase = _str_array(_coord(ds, "phase", "episode"))
    is_pca = np.asarray([t.startswith(PCA_TRIAL_PREFIX) for t in tt], dtype=bool)
    first_phase = str(ep_phase[np.flatnonzero(is_pca)[0]])
    ds = ds.isel(episode=np.flatnonzero(is_pca & (ep_phase == first_phase)))
    window_s = _pca_window_s(ds)
    try:
        ap = pca.approaches(ds, window_s)
    except (ValueError, IndexError):
        return None
    if ap.action.shape[1] == 0:
        return None
    days = np.unique(ap.day)
    late = np.isin(ap.day, days[-2:])
    index = pca.scores(ap, late)["pca_index"]
    group = pca.groups(index)
    n_days = days.size
    sessions = np.arange(1, n_days + 1, dtype=float)
    late_label = _sessions_range(max(1, n_days - 1), n_days)

    # per subject and session: approaches per trial, dopamine at the cue and at the food
    lever = np.full((index.size, n_days), np.nan)
    cup = np.full_like(lever, np.nan)
    for j, d in enumerate(days):
        s = pca.scores(ap, ap.day == d)
        lever[:, j], cup[:, j] = s["lever_per_trial"], s["cup_per_trial"]
    has_da = all(_var(ds, v, "episode") is not None for v in ("da_cue", "da_outcome"))
    if has_da:
        cue_da, food_da = (np.asarray(a, dtype=float) for a in pca.dopamine(ds, ap))
        da_cue_s = np.full_like(lever, np.nan)
        da_food_s = np.full_like(lever, np.nan)
        for j, d in enumerate(days):
            sel = ap.day == d
            da_cue_s[:, j] = _nanmean(cue_da[:, sel], axis=1)
            da_food_s[:, j] = _nanmean(food_da[:, sel], axis=1)

    arms = _arm_groups(ds)
    arm_colours = _arm_colours(arms)
    first_arm, first_sub = arms[0]
    n_win = ap.action.shape[2]

    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    title = "Sign- and goal-tracking (Pavlovian conditioned approach)"
    fig = Figure(figsize=(11.0, 9.6), dpi=DPI, layout="constrained")
    gs = fig.add_gridspec(2, 2, height_ratios=[1.0, 1.15])
    ax_a = fig.add_subplot(gs[0, :])
    ax_b = fig.add_subplot(gs[1, 0])
    ax_c = fig.add_subplot(gs[1, 1], sharex=ax_b)

    # A: PCA index histogram, per arm
    bins = np.linspace(-1.0, 1.0, 21)
    ax_a.axvspan(-1.05, -0.5, color=TRACKING_COLOURS["goal-tracker"], alpha=0.08, linewidth=0,
                 zorder=0)
    ax_a.axvspan(0.5, 1.05, color=TRACKING_COLOURS["sign-tracker"], alpha=0.08, linewidth=0,
                 zorder=0)
    top = 0.0
    shares: dict[str, list[str]] = {g: [] for g in pca.GROUPS}
    for g, (arm, sub) in enumerate(arms):
        x = index[sub]
        x = x[np.isfinite(x)]
        counts, _ = np.histogram(np.clip(x, -1.0, 1.0), bins=bins)
        top = max(top, float(counts.max(initial=0)))
        if len(arms) == 1:  # bars in the colour of the group their bin falls in
            centre = 0.5 * (bins[:-1] + bins[1:])
            colours = [TRACKING_COLOURS[str(k)] for k in pca.groups(centre)]
            ax_a.bar(centre, counts, width=np.diff(bins), color=colours, edgecolor="white",
                     linewidth=0.8, zorder=2)
        else:
            ax_a.hist(np.clip(x, -1.0, 1.0), bins=bins, histtype="step", linewidth=2.2,
                      color=arm_colours[g], linestyle=LINESTYLES[g % len(LINESTYLES)],
                      label=f"{arm} (n = {x.size})", zorder=2)
        n = max(int(sub.size), 1)
        for name in pca.GROUPS:
            pct = 100.0 * float(np.sum(group[sub] == name)) / n
            shares[name].append(f"{pct:.0f}%" if arm is None else f"{arm}: {pct:.0f}%")
    for xv in (-pca.ST_CUTOFF, pca.ST_CUTOFF):
        ax_a.axvline(xv, color="0.2", linestyle="--", linewidth=1.3, zorder=3)
    # headroom (axes fractions) for the group labels and, with several arms, their legend
    text_h = 0.04 + 0.075 * (len(arms) + 1)
    legend_h = 0.0 if len(arms) == 1 else 0.05 + 0.075 * math.ceil(len(arms) / 2)
    ax_a.set_ylim(0, max(top, 1.0) / max(0.3, 0.95 - text_h - legend_h))
    for name, xpos, ha in (("goal-tracker", -0.98, "left"), ("intermediate", 0.0, "center"),
                           ("sign-tracker", 0.98, "right")):
        head = "intermediate" if name == "intermediate" else name + "s"
        ax_a.text(xpos, 0.97, "\n".join([head, *shares[name]]),
                  transform=ax_a.get_xaxis_transform(), ha=ha, va="top",
                  fontsize=11 if len(arms) == 1 else 10, color=TRACKING_COLOURS[name],
                  fontweight="bold", zorder=4,
                  bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1.5})
    ax_a.set_xlim(-1.05, 1.05)
    ax_a.set_xlabel("PCA index (\u22121 = food cup only, at once; +1 = lever only, at once)")
    ax_a.set_ylabel("Subjects (count)")
    ax_a.set_title(f"A   PCA index per subject, {late_label} of \u201c{first_phase}\u201d",
                   loc="left", fontweight="bold")
    if len(arms) > 1:
        ax_a.legend(loc="upper center", bbox_to_anchor=(0.5, 1.0 - text_h), frameon=False,
                    ncols=min(len(arms), 2), borderaxespad=0.2)

    # B: approaches per trial by session, per tracking group of the first arm
    who = "" if first_arm is None else f", arm \u201c{first_arm}\u201d"
    counts_by_group = {name: int(np.sum(group[first_sub] == name)) for name in pca.GROUPS}
    for name in pca.GROUPS:
        sub = first_sub[group[first_sub] == name]
        if sub.size == 0:
            continue
        c = TRACKING_COLOURS[name]
        _plot_band(ax_b, sessions, lever[sub], colour=c, label="_nolegend_")
        _plot_band(ax_b, sessions, cup[sub], colour=c, linestyle="--", label="_nolegend_")
    ax_b.set_ylim(bottom=0)
    ax_b.set_ylabel(f"Approaches per trial\n({window_s:g}-s windows, {n_win} per trial)")
    ax_b.set_xlabel("Session (day)")
    ax_b.set_title(f"B   Approaches{who}", loc="left", fontweight="bold")

    # C: dopamine at lever insertion and at the food, sign- vs goal-trackers of the first arm
    if has_da:
        for name in (pca.GROUPS[0], pca.GROUPS[2]):
            sub = first_sub[group[first_sub] == name]
            if sub.size == 0:
                continue
            c = TRACKING_COLOURS[name]
            _plot_band(ax_c, sessions, da_cue_s[sub], colour=c, label="_nolegend_")
            _plot_band(ax_c, sessions, da_food_s[sub], colour=c, linestyle="--",
                       label="_nolegend_")
        ax_c.axhline(0, color="0.3", linewidth=0.8, zorder=0.6)
        units = _units_or(ds["da_cue"], "reward units")
        ax_c.set_ylabel(_wrap(f"Phasic dopamine ({units})", 34))
    else:
        ax_c.text(0.5, 0.5, "phasic dopamine\nnot recorded", transform=ax_c.transAxes,
                  ha="center", va="center", color="0.4")
        ax_c.set_yticks([])
    ax_c.set_xlabel("Session (day)")
    ax_c.set_title(f"C   Dopamine{who}", loc="left", fontweight="bold")
    for ax in (ax_b, ax_c):
        _set_xrange(ax, sessions, integer=True)
    for ax in (ax_a, ax_b, ax_c):
        ax.grid(True, alpha=0.25)

    groups_h = [Line2D([], [], color=TRACKING_COLOURS[n], linewidth=2.5, marker="o",
                       label=f"{n}s (n = {counts_by_group[n]})"
                       if n != "intermediate" else f"intermediate (n = {counts_by_group[n]})")
                for n in pca.GROUPS]
    styles_h = [Line2D([], [], color="0.25", linewidth=2.0,
                       label="solid: lever (B), at lever insertion (C)"),
                Line2D([], [], color="0.25", linewidth=2.0, linestyle="--",
                       label="dashed: food cup (B), at the food (C)"),
                Patch(facecolor="0.35", alpha=0.25, linewidth=0,
                      label="band: 95% CI of the mean")]
    # three columns filled top to bottom: the groups on the first row, the styles below
    handles = [h for pair in zip(groups_h, styles_h) for h in pair]
    fig.suptitle(title, fontweight="bold")
    fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
    path = _save(fig, outdir, "sign_goal_tracking.png")

    n_trials = int(np.sum(late))
    arms_note = " One histogram per arm." if len(arms) > 1 else ""
    whom = "all subjects" if first_arm is None else f"arm \u201c{first_arm}\u201d"
    caption = (
        f"Pavlovian conditioned approach in the phase \u201c{first_phase}\u201d (a lever "
        f"inserted for {n_win} \u00d7 {window_s:g}-s response windows, then food whatever the "
        f"subject does). A: each subject's PCA index over {late_label} ({n_trials} trials), "
        "the mean of response bias, probability difference and latency score, from \u22121 "
        "(all approaches to the food cup) to +1 (all to the lever); the dashed lines are Meyer "
        "et al. (2012)'s cut-offs, sign-trackers at +0.5 or above, goal-trackers at \u22120.5 "
        f"or below, with each group's share of the subjects.{arms_note} B: approaches to the "
        "lever (solid) and to the food cup (dashed) per trial in each session, by tracking "
        "group. C: phasic dopamine (TD error) at lever insertion (solid) and at the food "
        "(dashed) in sign- and goal-trackers: as Flagel et al. (2011, Nature 469:53) found "
        "with voltammetry in the accumbens core, the cue response should grow across sessions "
        f"in sign-trackers while their food response shrinks. B and C: {whom}; lines are "
        "means across the group's subjects of their per-session means, bands the 95% "
        "confidence interval.")
    return FigureInfo(path, title, caption)


#: Columns of the dopamine-by-drug table.
DA_TABLE_COLUMNS = ("reinforcer", "kind", "peak_pct", "dorsal_pct", "band_low", "band_high")


def _da_table(table: Any) -> Any:
    """The dopamine-by-drug table as a clean DataFrame (numbers coerced, NaN for gaps)."""
    import pandas as pd

    if isinstance(table, str):
        import json

        table = json.loads(table)
    df = pd.DataFrame(table).copy() if not isinstance(table, pd.DataFrame) else table.copy()
    if "reinforcer" not in df.columns:
        raise ValueError("the dopamine-by-drug table needs a 'reinforcer' column")
    for col in ("peak_pct", "dorsal_pct", "band_low", "band_high"):
        df[col] = pd.to_numeric(df[col], errors="coerce") if col in df.columns else np.nan
    if "kind" not in df.columns:
        df["kind"] = "drug"
    df["kind"] = df["kind"].fillna("drug").astype(str).str.lower()
    df["reinforcer"] = df["reinforcer"].astype(str)
    return df.reset_index(drop=True)


def fig_dopamine_by_drug(table: Any, path: Path) -> FigureInfo | None:
    """Bars of simulated peak dopamine per reinforcer against the literature bands.

    Args:
        table: a :class:`pandas.DataFrame` (or records / a JSON string of records)
            with columns ``reinforcer``, ``kind`` ("drug"/"natural"), ``peak_pct``
            (simulated peak accumbens dopamine, % of baseline), ``dorsal_pct``
            (dorsal striatum, % of baseline), ``band_low``, ``band_high`` (the
            literature range for the accumbens, % of baseline; NaN when unknown).
        path: the PNG file to write (its directory is created).

    Returns:
        The :class:`FigureInfo`, or None when the table has no finite value.
    """
    import matplotlib
    from matplotlib.patches import Patch

    df = _da_table(table)
    values = df[["peak_pct", "dorsal_pct"]].to_numpy(dtype=float)
    if df.empty or not np.isfinite(values).any():
        return None
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # drugs first, then natural rewards, keeping the given order within each
    order = sorted(range(len(df)), key=lambda i: (df.loc[i, "kind"] != "drug", i))
    df = df.loc[order].reset_index(drop=True)
    n = len(df)
    top = np.nanmax(np.r_[df[["peak_pct", "dorsal_pct", "band_high"]].to_numpy(float).ravel(),
                          100.0])
    title = "Dopamine by drug: simulation against the literature"
    with matplotlib.rc_context(_RC):
        fig, axes = _new_figure(1, width=max(8.0, 1.1 * n + 3.0), height=6.2, sharex=False)
        ax = axes[0]
        x = np.arange(n, dtype=float)
        w = 0.36
        kind_colour = {"drug": "#D55E00", "natural": "#009E73"}
        for i, row in df.iterrows():
            c = kind_colour.get(row["kind"], "#0072B2")
            lo, hi = row["band_low"], row["band_high"]
            if np.isfinite(lo) or np.isfinite(hi):
                lo, hi = (lo if np.isfinite(lo) else hi), (hi if np.isfinite(hi) else lo)
                lo, hi = min(lo, hi), max(lo, hi)
                # behind the accumbens (solid) bar: the band is an accumbens range
                left, right = x[i] - w - 0.05, x[i] + 0.05
                ax.fill_between([left, right], lo, hi, color="0.55", alpha=0.35,
                                linewidth=0, zorder=0.5)
                ax.hlines([lo, hi], left, right, color="0.25", linewidth=1.2, zorder=2.5)
            for dx, col, kw in ((-w / 2, "peak_pct", {}),
                                (w / 2, "dorsal_pct", {"hatch": "//", "alpha": 0.55})):
                v = row[col]
                if not np.isfinite(v):
                    continue
                ax.bar(x[i] + dx, v, width=w, color=c, edgecolor=c, zorder=2, **kw)
                ax.text(x[i] + dx, v, f"{v:.0f}", ha="center", va="bottom", fontsize=9,
                        color="0.2", zorder=3)
        ax.axhline(100, color="0.3", linestyle="--", linewidth=1.1, zorder=1)
        ax.set_xticks(x, list(df["reinforcer"]), rotation=30 if n > 6 else 0,
                      ha="right" if n > 6 else "center")
        ax.set_xlim(-0.6, n - 0.4)
        ax.set_ylim(0, top * 1.12)
        ax.set_ylabel("Peak dopamine (% of baseline)")
        ax.set_xlabel("Reinforcer")
        ax.grid(True, axis="y", alpha=0.25)
        handles = [Patch(facecolor="#D55E00", label="drug: accumbens (ventral)"),
                   Patch(facecolor="#D55E00", alpha=0.55, hatch="//", label="drug: dorsal striatum")]
        if (df["kind"] == "natural").any():
            handles += [Patch(facecolor="#009E73", label="natural: accumbens"),
                        Patch(facecolor="#009E73", alpha=0.55, hatch="//",
                              label="natural: dorsal striatum")]
        handles.append(Patch(facecolor="0.55", alpha=0.3, edgecolor="0.35",
                             label="literature range, accumbens (microdialysis)"))
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], color="0.3", linestyle="--", label="baseline (100%)"))
        fig.suptitle(title, fontweight="bold")
        fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
        final = _save(fig, path.parent, path.name)
    caption = ("Drugs of abuse raise accumbens dopamine far more than natural rewards do, and "
               "less in the dorsal than in the ventral striatum; each solid bar should sit "
               "inside its grey literature range (Di Chiara & Imperato 1988).")
    return FigureInfo(final, title, caption)


# ---------------------------------------------------------------------------
# Behavioural economics: the demand curve
# ---------------------------------------------------------------------------

#: a price's mean consumption within this fraction of the apparatus limit counts as "on the
#: limit" in the demand figure's caption
CEILING_TOLERANCE = 0.05


def has_demand(ds: xr.Dataset) -> bool:
    """Whether ``ds`` holds a ``demand`` phase whose sessions the records resolve (episode or
    daily records, the scenario text in ``attrs``), i.e. whether :func:`fig_demand` draws."""
    try:
        from ..analysis.demand import demand_data
    except ImportError:  # the report package loaded on its own, without addictsim
        return False
    return any(np.isfinite(d.consumption).any() for d in demand_data(ds))


def _demand_arm_colours(arms: Sequence[str]) -> list[str]:
    return _arm_colours([(None if a == "all" else a, np.empty(0)) for a in arms])


def fig_demand(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """The demand curve of each ``demand`` phase (one row of panels per phase).

    A: consumption (deliveries per session) against price (responses per delivery), both
    on log axes: each arm's mean (± 1 s.e.m.) with the exponential demand equation fitted
    to that mean (Hursh & Silberberg 2008), and the apparatus limit (one response per
    response window) dotted. B: responding (price x consumption, the expenditure) with the
    fitted curve and its peak, Pmax. Needs ``has_demand(ds)``; prices whose mean is 0 are
    not drawn on the log axes.
    """
    if not has_demand(ds):
        return None
    from ..analysis.demand import analyse

    analyses = [a for a in analyse(ds, per_subject=False)
                if np.isfinite(a.data.consumption).any()]
    if not analyses:
        return None
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    title = "Demand: consumption against price"
    fig = Figure(figsize=(11.0, 1.2 + 4.6 * len(analyses)), dpi=DPI, layout="constrained")
    axes = fig.subplots(len(analyses), 2, squeeze=False)
    on_limit: list[str] = []
    fit_text: list[str] = []
    for row, a in enumerate(analyses):
        ax_q, ax_e = axes[row]
        c = a.data.prices
        grid = np.geomspace(c.min(), c.max(), 200)
        colours = _demand_arm_colours(a.arms)
        limits = {tuple(np.nan_to_num(v, nan=-1.0)): v for v in a.data.ceiling.values()}
        for lim in limits.values():
            ok = np.isfinite(lim) & (lim > 0)
            ax_q.plot(c[ok], lim[ok], color="0.45", linestyle=":", linewidth=1.5)
            ax_e.plot(c[ok], (c * lim)[ok], color="0.45", linestyle=":", linewidth=1.5)
        for arm, colour in zip(a.arms, colours):
            mean, sem = a.arm_mean[arm], a.arm_sem[arm]
            shown = np.isfinite(mean) & (mean > 0)
            ax_q.errorbar(c[shown], mean[shown], yerr=np.nan_to_num(sem[shown]), fmt="o",
                          color=colour, capsize=3, markersize=6)
            ax_e.errorbar(c[shown], (c * mean)[shown], yerr=np.nan_to_num((c * sem)[shown]),
                          fmt="o", color=colour, capsize=3, markersize=6)
            fit = a.arm_fit[arm]
            if np.isfinite(fit.q0[0]) and np.isfinite(fit.alpha[0]):
                curve = fit.curve(grid)[0]
                ax_q.plot(grid, curve, color=colour, linewidth=2)
                ax_e.plot(grid, grid * curve, color=colour, linewidth=2)
                p = float(fit.pmax[0])
                if np.isfinite(p) and c.min() <= p <= c.max():
                    ax_e.axvline(p, color=colour, linestyle="--", linewidth=1.2)
                fit_text.append(
                    (f"{a.data.phase}, " if len(analyses) > 1 else "")
                    + f"{'all subjects' if arm == 'all' else arm}: Q0 {fit.q0[0]:.3g}, "
                    f"alpha {fit.alpha[0]:.3g}, Pmax "
                    + (f"{p:.3g}" if np.isfinite(p) else "not reached"))
            lim = a.data.ceiling.get(arm)
            if lim is not None:
                hit = shown & np.isfinite(lim) & (mean >= (1 - CEILING_TOLERANCE) * lim)
                if hit.any():
                    name = "all subjects" if arm == "all" else arm
                    on_limit.append(f"{name} from FR{int(c[hit].min())}")
        where = f" ({a.data.phase})" if len(analyses) > 1 else ""
        ax_q.set_xscale("log")
        ax_q.set_yscale("log")
        ax_q.set_xlabel("Price (responses per delivery, FR)")
        ax_q.set_ylabel(f"Consumption (deliveries per session){where}")
        ax_q.set_title("A  Demand curve", loc="left")
        ax_e.set_xscale("log")
        ax_e.set_xlabel("Price (responses per delivery, FR)")
        ax_e.set_ylabel("Responses per session (price × consumption)")
        ax_e.set_title("B  Responding, peak at Pmax", loc="left")
        for ax in (ax_q, ax_e):
            ax.grid(True, which="both", alpha=0.25)
    arms = analyses[0].arms
    handles = [Line2D([], [], color=col, marker="o", linewidth=2,
                      label="all subjects" if arm == "all" else arm)
               for arm, col in zip(arms, _demand_arm_colours(arms))]
    handles.append(Line2D([], [], color="0.45", linestyle=":", linewidth=1.5,
                          label="apparatus limit (one response per window)"))
    fig.suptitle(title, fontweight="bold")
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4),
               frameon=False)
    path = _save(fig, Path(outdir), "demand.png")
    a0 = analyses[0]
    caption = (
        f"Each session offered {a0.data.reinforcer} at one price, the number of lever presses "
        "per delivery (a fixed ratio), in rising order. A: deliveries earned per session at each "
        "price (log axes; means ± 1 s.e.m. across subjects, per arm), with the exponential "
        "demand equation of Hursh & Silberberg (2008) fitted to each arm's mean, "
        f"log10 Q = log10 Q0 + k (exp(-alpha Q0 C) - 1) with k = {a0.k:.3g} fixed for the "
        "analysis (the log10 range of the mean consumption plus 0.5). Q0 is the consumption "
        "when deliveries are nearly free; alpha how fast consumption falls as the price rises. "
        "B: the responses made per session (price × consumption); the dashed line marks "
        "Pmax, the price at which the fitted responding peaks (demand turns elastic). "
        "Mean-curve fits: " + "; ".join(fit_text) + ". "
        "The dotted line is the most the apparatus can deliver in a session (one response "
        "per response window, none counted during the time-out): where the points sit on "
        "it, the time it takes to respond, not the subjects' choice, limits consumption"
        + (f" (means on the limit: {', '.join(on_limit)})." if on_limit else
           " (no mean reaches it here).")
        + " The per-subject fits are summarised in the demand table below.")
    return FigureInfo(path, title, caption)


def has_discounting(ds: xr.Dataset) -> bool:
    """Whether ``ds`` holds delay-discounting choices with episode records, i.e. whether
    :func:`fig_discounting` draws."""
    try:
        from ..analysis.discounting import phases
    except ImportError:  # the report package loaded on its own, without addictsim
        return False
    return bool(phases(ds))


def fig_choice(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Discrete-trial choice (``analysis.choice``): per choice phase and arm, the share of
    subjects preferring the drug and the alternative, and the mean share of drug choices."""
    from matplotlib.figure import Figure

    from ..analysis.choice import choice_summary

    rows = choice_summary(ds)
    if not rows:
        return None
    phases = list(dict.fromkeys(r["phase"] for r in rows))
    arms = list(dict.fromkeys(r["arm"] for r in rows))
    colours = _demand_arm_colours(arms)
    title = "Choice between the drug and a natural reward"
    fig = Figure(figsize=(max(7.5, 1.6 * len(phases) * len(arms) + 2.5), 5.0), dpi=DPI,
                 layout="constrained")
    ax = fig.subplots()
    x = np.arange(len(phases))
    width = 0.8 / len(arms)
    for j, (arm, colour) in enumerate(zip(arms, colours)):
        sel = [next(r for r in rows if r["phase"] == ph and r["arm"] == arm) for ph in phases]
        pos = x - 0.4 + width * (j + 0.5)
        ax.bar(pos, [100 * r["prefer_drug"] for r in sel], width, color=colour,
               label=f"{'all subjects' if arm == 'all' else arm}: prefer the drug")
        ax.plot(pos, [100 * (r["drug_choice_share"] or np.nan) for r in sel], "kD",
                markersize=6)
    ax.plot([], [], "kD", label="mean share of choices for the drug")
    ax.set_xticks(x, phases)
    ax.set_ylim(0, 105)
    ax.set_ylabel("Subjects preferring the drug (%)")
    ax.grid(True, axis="y", alpha=0.25)
    fig.suptitle(title, fontweight="bold")
    fig.legend(loc="outside lower center", ncols=min(len(arms) + 1, 3), frameon=False)
    path = _save(fig, Path(outdir), "choice.png")
    r0 = rows[0]
    caption = (
        f"Each session offered {r0['drug']} and {r0['alternative']} alone on sampling trials, "
        "then on choice trials both, one press choosing one (Lenoir, Serre, Cantin & Ahmed "
        "2007). Bars: the share of subjects that chose the drug on more than half of their "
        "choices over the phase's last sessions; diamonds: the mean share of choices that "
        "went to the drug. In Lenoir et al. 2007 most rats preferred saccharin, even after "
        "escalated cocaine use; compare the model's answer here.")
    return FigureInfo(path, title, caption)


def fig_place_preference(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Conditioned place preference (``analysis.place_preference``): the preference score
    (seconds in the paired compartment minus the unpaired one, mean and standard error
    across subjects) at each test, in order, per arm."""
    from matplotlib.figure import Figure

    from ..analysis.place_preference import place_preference_summary

    rows = place_preference_summary(ds)
    if not rows:
        return None
    tests = list(dict.fromkeys((r["phase"], r["test"]) for r in rows))
    many = {ph for ph, k in tests if k is not None and k > 1}
    labels = [f"{ph} {k}" if ph in many else ph for ph, k in tests]
    arms = list(dict.fromkeys(r["arm"] for r in rows))
    colours = _demand_arm_colours(arms)
    title = "Conditioned place preference"
    fig = Figure(figsize=(max(7.5, 0.45 * len(tests) + 3.0), 5.0), dpi=DPI,
                 layout="constrained")
    ax = fig.subplots()
    x = np.arange(len(tests))
    for arm, colour in zip(arms, colours):
        by = {(r["phase"], r["test"]): r for r in rows if r["arm"] == arm}
        mean = np.array([by[t]["score_s"] for t in tests])
        sem = np.array([by[t]["score_sem_s"] or 0.0 for t in tests])
        ax.fill_between(x, mean - sem, mean + sem, color=colour, alpha=0.2, linewidth=0)
        ax.plot(x, mean, "o-", color=colour, label="all subjects" if arm == "all" else arm)
    ax.axhline(0.0, color="0.4", linewidth=0.8)
    ax.set_xticks(x, labels, rotation=45 if len(tests) > 6 else 0,
                  ha="right" if len(tests) > 6 else "center")
    ax.set_ylabel("Preference score (s per test):\npaired minus unpaired compartment")
    ax.grid(True, axis="y", alpha=0.25)
    fig.suptitle(title, fontweight="bold")
    fig.legend(loc="outside lower center", ncols=_legend_cols(fig, arms), frameon=False)
    path = _save(fig, Path(outdir), "place_preference.png")
    caption = (
        "Each test lets the subject, drug-free, go into either compartment of a three-chamber "
        "box or stay in the centre (Mueller & Stewart 2000). The score is the time spent in "
        "the drug-paired compartment minus the time in the vehicle-paired one; line and band: "
        "mean and standard error across subjects. A score above 0 after the pairings is a "
        "place preference; drug-free tests extinguish it; a prime or stress before a test may "
        "bring it back.")
    return FigureInfo(path, title, caption)


def fig_relapse(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Survival after the return to the drug (``analysis.relapse``): Kaplan-Meier curves of
    the share still free of a lapse and of relapse, per arm, over the days since the
    subjects' return (episode and daily records)."""
    from matplotlib.figure import Figure

    from ..analysis import relapse

    if not relapse.has_days(ds) or "at_risk_from" not in ds.coords:
        return None
    times = relapse.event_times(ds)
    if not times.at_risk.any():
        return None
    arms = (np.asarray(ds.arm.values).astype(str) if "arm" in ds.coords
            else np.full(ds.sizes["subject"], "all"))
    names = [a for a in dict.fromkeys(arms) if (times.at_risk & (arms == a)).any()]
    colours = _demand_arm_colours(names)
    rule = relapse.Rule.of(ds)
    title = "Lapse and relapse after the return to the drug"
    fig = Figure(figsize=(11.0, 4.8), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    for ax, what, label in ((axes[0], "lapse", "Free of any use (no lapse)"),
                            (axes[1], "relapse", f"Free of relapse (use on {rule.use_days} "
                                                 f"days within {rule.within_days})")):
        for name, colour in zip(names, colours):
            sel = times.at_risk & (arms == name)
            follow = int(times.follow[sel].min())
            grid = np.arange(0, follow + 1)
            s = relapse.kaplan_meier(getattr(times, what)[sel],
                                     getattr(times, f"{what}_event")[sel], grid, follow)
            s[0] = 1.0
            ax.step(grid, 100.0 * s, where="post", color=colour,
                    label=("all subjects" if name == "all" else name) + f" (n = {sel.sum()})")
        ax.set_title(label)
        ax.set_xlabel("Days since the return to the drug")
        ax.set_ylim(-2, 102)
        ax.grid(True, alpha=0.25)
    axes[0].set_ylabel("Subjects (%)")
    fig.suptitle(title, fontweight="bold")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
               ncols=_legend_cols(fig, names), frameon=False)
    path = _save(fig, Path(outdir), "relapse.png")
    caption = (
        "Kaplan-Meier estimates (scipy.stats.ecdf) of the share of subjects still free of any "
        "use (left) and of relapse (right), counted from the first day the drug was at hand "
        "again after abstinence began (leaving a detox, re-access), censored at the end of "
        "the record. A lapse is any self-taken use; relapse is a return to regular use as "
        "the scenario's [relapse] rule defines it. Cessation studies report such curves as "
        "steep at first and flattening (Hunt, Barnett & Branch 1971; Kirshenbaum, Olsen & "
        "Bickel 2009).")
    return FigureInfo(path, title, caption)


def cue_ablation_rows(ds: xr.Dataset) -> list[dict]:
    """The cue-map ablation rows a run carries (``ds.attrs["cue_ablation"]``, JSON written by
    ``addictsim run``: ``analysis.cue_map.ablate``); empty when it has none."""
    raw = ds.attrs.get("cue_ablation")
    if not raw:
        return []
    try:
        rows = json.loads(raw) if isinstance(raw, str) else list(raw)
    except (ValueError, TypeError):
        return []
    return [r for r in rows if isinstance(r, dict) and "cue" in r]


def fig_cue_map(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Where the relapse sequence starts (``analysis.cue_map``): each cue's share of the
    relapse risk by ablation, with its 95% interval, ranked (when the run carries the
    ablation); and the share of first lapses at which each cue was present (episode
    records)."""
    from matplotlib.figure import Figure

    from ..analysis.cue_map import first_lapse_chain

    rows = cue_ablation_rows(ds)
    chain = first_lapse_chain(ds)
    present = (chain or {}).get("cues_at_first_lapse") or {}
    if not rows and not present:
        return None
    panels = int(bool(rows)) + int(bool(present))
    title = "Where the relapse sequence starts"
    cues = [r["cue"] for r in rows] or list(present)
    fig = Figure(figsize=(5.5 * panels + 1.5, 0.45 * len(cues) + 2.6), dpi=DPI,
                 layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, panels, sharey=True))
    y = np.arange(len(cues))[::-1]
    k = 0
    if rows:
        ax = axes[k]
        k += 1
        share = np.array([np.nan if r["risk_share"] is None else 100 * r["risk_share"]
                          for r in rows])
        ci = np.array([[np.nan, np.nan] if r.get("risk_share_ci") is None
                       else [100 * v for v in r["risk_share_ci"]] for r in rows])
        err = np.abs(np.vstack([share - ci[:, 0], ci[:, 1] - share]))
        ax.barh(y, np.nan_to_num(share), xerr=np.nan_to_num(err), color="#c0392b",
                alpha=0.85, capsize=3)
        ax.axvline(0.0, color="0.4", linewidth=0.8)
        ax.set_xlabel("Share of relapse risk (%):\nfall in relapse without the cue")
        ax.set_title("Ablation: the same subjects without each cue")
        ax.grid(True, axis="x", alpha=0.25)
    if present:
        ax = axes[k]
        ax.barh(y, [100 * present.get(c, 0.0) for c in cues], color="#2c7fb8", alpha=0.85)
        ax.set_xlim(0, 100)
        ax.set_xlabel("First lapses with the cue present (%)")
        ax.set_title(f"At the first lapse ({chain['subjects']} subjects)")
        ax.grid(True, axis="x", alpha=0.25)
    axes[0].set_yticks(y, cues)
    fig.suptitle(title, fontweight="bold")
    path = _save(fig, Path(outdir), "cue_map.png")
    caption = (
        "Left (when the run ranked its cue map): each cue's share of the relapse risk, the "
        "relative fall in the share of subjects who relapse when the same subjects (same "
        "brains, same random draws) meet everything but that cue after abstinence began; "
        "bars are 95% intervals from a paired bootstrap over subjects; a body cue's ablation "
        "cuts the insula's route from the body. Right: the share of first lapses at which "
        "each cue was present (a cue present at most lapses is not necessarily one that "
        "causes them: the ablation tells them apart).")
    return FigureInfo(path, title, caption)


def fig_go_nogo(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Go/no-go (``analysis.go_nogo``): per phase and arm, the commission rate (mean and
    standard deviation across subjects) and the hit rate, with each arm's deficit d."""
    from matplotlib.figure import Figure

    from ..analysis.go_nogo import go_nogo_summary

    rows = go_nogo_summary(ds)
    if not rows:
        return None
    phases = list(dict.fromkeys(r["phase"] for r in rows))
    title = "Response inhibition: commission errors in the go/no-go task"
    fig = Figure(figsize=(max(7.5, 1.1 * len(rows) + 3.0), 5.0), dpi=DPI, layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(phases), squeeze=False)[0])
    for ax, ph in zip(axes, phases):
        sel = [r for r in rows if r["phase"] == ph]
        arms = [("all subjects" if r["arm"] == "all" else r["arm"]) for r in sel]
        colours = _demand_arm_colours(arms)
        x = np.arange(len(sel))
        ax.bar(x, [100 * r["commission_rate"] for r in sel], 0.7, color=colours,
               yerr=[100 * r["commission_sd"] for r in sel], capsize=3)
        for xi, r in zip(x, sel):
            if r["commission_d"] is not None:
                ax.annotate(f"d {r['commission_d']:+.2f}", (xi, 100 * (r["commission_rate"]
                                                                       + r["commission_sd"])),
                            xytext=(0, 4), textcoords="offset points", ha="center",
                            fontsize=9)
        hits = ax.twinx()
        (marker,) = hits.plot(x, [100 * r["hit_rate"] for r in sel], "kD", markersize=6)
        hits.set_ylim(0, 105)
        hits.set_ylabel("Hits on go trials (%)")
        ax.set_xticks(x, arms, rotation=30, ha="right")
        top = max(100 * (r["commission_rate"] + r["commission_sd"]) for r in sel)
        ax.set_ylim(0, 1.35 * top if top > 0 else 1.0)
        ax.set_ylabel("Commission errors on no-go trials (%)")
        ax.set_title(ph)
        ax.grid(True, axis="y", alpha=0.25)
    fig.suptitle(title, fontweight="bold")
    fig.legend([marker], ["hits on go trials (right axis)"], loc="outside lower center",
               frameon=False)
    path = _save(fig, Path(outdir), "go_nogo.png")
    caption = (
        "Bars: the share of no-go trials on which subjects pressed (mean and standard "
        "deviation across subjects), with each group's deficit d against the control group "
        "(positive: more errors); diamonds: the share of go trials pressed. The press is "
        "prepotent (the habit keys it to the task, not to the stimulus) and the prefrontal "
        "veto must hold it back on no-go trials, so commission errors rise as drug exposure "
        "erodes prefrontal control (Smith, Mattick, Jamadar & Iredale 2014: d about 0.3-0.5 "
        "for stimulants, alcohol and tobacco, none for opioids and cannabis).")
    return FigureInfo(path, title, caption)


def fig_criteria(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Shares of subjects meeting 0, 1, 2 and 3 addiction-like criteria at each assessment
    (``analysis.criteria``), beside the shares independent criteria would give."""
    from matplotlib.figure import Figure

    from ..analysis.criteria import criteria_summary

    rows = criteria_summary(ds)
    if not rows:
        return None
    title = "Addiction-like criteria: how many each subject meets"
    fig = Figure(figsize=(7.5, 5.0), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    k = np.arange(4)
    width = 0.8 / len(rows)
    colours = _demand_arm_colours([r["timepoint"] for r in rows])
    for j, (r, colour) in enumerate(zip(rows, colours)):
        ax.bar(k - 0.4 + width * (j + 0.5), 100 * np.asarray(r["score_shares"]), width,
               color=colour, label=f"{r['timepoint']} ({r['subjects']} subjects)")
    ax.plot(k, 100 * np.asarray(rows[0]["independent_shares"]), "k_", markersize=28,
            markeredgewidth=2.5, label="if the criteria were independent")
    top = max(max(max(r["score_shares"]) for r in rows), max(rows[0]["independent_shares"]))
    ax.set_ylim(0, 100 * top * 1.35)          # room for the legend above the bars
    ax.set_xticks(k, ["0", "1", "2", "3"])
    ax.set_xlabel("Criteria met (persistence, motivation, resistance to punishment)")
    ax.set_ylabel("Subjects (%)")
    ax.grid(True, axis="y", alpha=0.25)
    fig.suptitle(title, fontweight="bold")
    ax.legend(frameon=False, loc="upper right")
    path = _save(fig, Path(outdir), "criteria.png")
    last = rows[-1]
    strongest = sorted(last.get("parameter_score_correlations", {}).items(),
                       key=lambda kv: -abs(kv[1]))[:3]
    rel = "; ".join(f"{name} {rho:+.2f}" for name, rho in strongest)
    caption = (
        "Each subject is positive on a criterion when it is in the cohort's top third on it: "
        "seeking presses while the drug is signalled as unavailable (persistence), the "
        "progressive-ratio breakpoint (motivation), and intake kept when each infusion comes "
        "with a footshock (resistance to punishment; Deroche-Gamonet, Belin & Piazza 2004). "
        "Bars: the share of subjects meeting 0, 1, 2 or 3 criteria at each assessment; black "
        "marks: the shares if the three were independent (8, 12, 6 and 1 in 27). More subjects "
        "at 0 and at 3 than the marks means the criteria go together in the same subjects."
        + (f" At {last['timepoint']}, the individual differences most related to the count "
           f"(Spearman's rho): {rel}." if rel else ""))
    return FigureInfo(path, title, caption)


def fig_discounting(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """Indifference points against delay, one panel per ``delay_discounting`` phase: each
    arm's median (interquartile range as bars) with the hyperbola at the arm's median
    ``k`` (Mazur 1987). Needs ``has_discounting(ds)``."""
    if not has_discounting(ds):
        return None
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from ..analysis.discounting import discounting_summary

    rows = discounting_summary(ds)
    phase_names = list(dict.fromkeys(r["phase"] for r in rows))
    arms = list(dict.fromkeys(r["arm"] for r in rows))
    colours = _demand_arm_colours(arms)
    title = "Delay discounting: what a later amount is worth now"
    fig = Figure(figsize=(max(7.5, 5.2 * len(phase_names) + 0.6), 5.2), dpi=DPI,
                 layout="constrained")
    axes = fig.subplots(1, len(phase_names), squeeze=False)[0]
    k_text: list[str] = []
    for ax, ph in zip(axes, phase_names):
        for arm, colour in zip(arms, colours):
            r = next((x for x in rows if x["phase"] == ph and x["arm"] == arm), None)
            if r is None:
                continue
            d = np.asarray(r["delays_d"])
            med = np.asarray(r["points_median"])
            err = np.vstack([med - np.asarray(r["points_q25"]),
                             np.asarray(r["points_q75"]) - med])
            ax.errorbar(d, med, yerr=err, fmt="o", color=colour, capsize=3, markersize=6)
            k = r["k"]["median"]
            if k is not None:
                grid = np.geomspace(d.min(), d.max(), 200)
                ax.plot(grid, 1.0 / (1.0 + k * grid), color=colour, linewidth=2)
                name = "all subjects" if arm == "all" else arm
                k_text.append((f"{ph}, " if len(phase_names) > 1 else "") +
                              f"{name}: k {k:.3g}/d")
        ax.set_xscale("log")
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("Delay to the later amount (days, log scale)")
        ax.set_ylabel("Indifference point (fraction of the later amount)")
        ax.set_title(ph, loc="left")
        ax.grid(True, which="both", alpha=0.25)
    handles = [Line2D([], [], color=c, marker="o", linewidth=2,
                      label="all subjects" if a == "all" else a)
               for a, c in zip(arms, colours)]
    fig.suptitle(title, fontweight="bold")
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4),
               frameon=False)
    path = _save(fig, Path(outdir), "discounting.png")
    share = np.mean([r["hyperbolic_better_share"] for r in rows])
    caption = (
        "Each point is the amount now worth as much as the full amount after that delay, as a "
        "fraction of the later amount: the indifference point the adjusting-amount choices "
        "converged on (median across the arm's subjects; bars: the middle half of the "
        "subjects). Lines: the hyperbola V = 1 / (1 + k D) at the arm's median k "
        "(" + "; ".join(k_text) + "). A steeper curve is a steeper discounter: a later "
        "reward loses its value sooner. The hyperbola fitted each subject better than an "
        f"exponential for {100 * share:.0f}% of subjects. The choices were described, not "
        "delivered, and valued by a population of exponential discounters whose mean is "
        "hyperbolic (Kurth-Nelson & Redish 2009).")
    return FigureInfo(path, title, caption)


def _fig_dopamine_by_drug_attr(ds: xr.Dataset, outdir: Path) -> FigureInfo | None:
    """The dopamine-by-drug figure from ``ds.attrs["dopamine_by_drug"]`` (JSON records)."""
    raw = ds.attrs.get("dopamine_by_drug")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        table = _da_table(raw)
    except (ValueError, TypeError):
        return None
    return fig_dopamine_by_drug(table, outdir / "dopamine_by_drug.png")


_FIGURES = (
    ("dopamine_shift.png", _fig_dopamine_shift),
    ("cue_value.png", _fig_cue_value),
    ("seeking.png", _fig_seeking),
    ("craving.png", _fig_craving),
    ("dopamine_extracellular.png", _fig_extracellular),
    ("escalation.png", fig_escalation),
    ("receptor_availability.png", fig_receptor_availability),
    ("withdrawal_mood.png", fig_withdrawal_mood),
    ("wanting_liking.png", fig_wanting_liking),
    ("reward_threshold.png", fig_reward_threshold),
    ("memory.png", fig_memory),
    ("habit_attention.png", fig_habit_attention),
    ("cue_dopamine_by_week.png", fig_cue_dopamine_by_week),
    ("sign_goal_tracking.png", fig_sign_goal_tracking),
    ("demand.png", fig_demand),
    ("discounting.png", fig_discounting),
    ("criteria.png", fig_criteria),
    ("choice.png", fig_choice),
    ("go_nogo.png", fig_go_nogo),
    ("place_preference.png", fig_place_preference),
    ("relapse.png", fig_relapse),
    ("cue_map.png", fig_cue_map),
    ("dopamine_by_drug.png", _fig_dopamine_by_drug_attr),
)


def make_figures(ds: xr.Dataset, outdir: Path) -> list[FigureInfo]:
    """Write the report figures for a results Dataset as PNG files.

    Figures (each skipped when its data are missing): ``dopamine_shift.png``,
    ``cue_value.png``, ``seeking.png``, ``craving.png``,
    ``dopamine_extracellular.png``; with the body model ``escalation.png``
    (``drug_taken``, ``first_hour_intake``), ``receptor_availability.png``,
    ``withdrawal_mood.png`` (``withdrawal``, ``mood``); ``wanting_liking.png``
    (``wanting`` and ``liking``, with ``craving`` and ``incubation``; see
    :func:`fig_wanting_liking`); ``reward_threshold.png`` (``reward_threshold``,
    ``hedonic_setpoint``); ``memory.png`` (``memory_original``, ``memories``) when a
    subject opened a second memory; with the control model
    ``habit_attention.png`` (``habit_weight``, ``attentional_bias``) and
    ``cue_dopamine_by_week.png`` (``da_cue_dorsal`` with ``da_cue``; episode and
    daily records); ``sign_goal_tracking.png`` for episode records of the
    ``conditioned_approach`` task (see :func:`fig_sign_goal_tracking`); ``demand.png``
    for runs with a ``demand`` phase (see :func:`fig_demand`); ``discounting.png`` for
    episode records of ``delay_discounting`` choices (see :func:`fig_discounting`);
    ``criteria.png`` for runs that assess the addiction-like criteria (see
    :func:`fig_criteria`); ``choice.png`` for runs with a ``choice`` phase (see
    :func:`fig_choice`); ``go_nogo.png`` for runs with a ``go_nogo`` phase (see
    :func:`fig_go_nogo`); ``place_preference.png`` for runs with ``place_preference``
    tests (see :func:`fig_place_preference`); ``relapse.png`` for runs in which subjects
    returned to the drug after abstinence (see :func:`fig_relapse`); ``cue_map.png`` for runs
    with a cue map and lapses (see :func:`fig_cue_map`); and ``dopamine_by_drug.png``
    when ``ds.attrs["dopamine_by_drug"]`` holds a JSON string of records (see
    :func:`fig_dopamine_by_drug`). Files are written atomically (temp file
    in ``outdir`` then :func:`os.replace`).

    Args:
        ds: the Dataset returned by ``simulate()`` (``attrs["record"]`` one of
            ``"episode"``, ``"daily"``, ``"summary"``).
        outdir: directory to write into (created if needed).

    Returns:
        One :class:`FigureInfo` per figure written, in the order above.
    """
    import matplotlib

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    infos: list[FigureInfo] = []
    with matplotlib.rc_context(_RC):
        for _, builder in _FIGURES:
            info = builder(ds, outdir)
            if info is not None:
                infos.append(info)
    return infos


# ---------------------------------------------------------------------------
# Summary tables
# ---------------------------------------------------------------------------


def _round(v: Any) -> float | None:
    """Round to 4 significant digits as a plain float; None for NaN/inf."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(f):
        return None
    return float(f"{f:.4g}")


def _phase_order(labels: np.ndarray) -> list[str]:
    """Phase names in order of first appearance (empty names dropped)."""
    return [p for p in _unique_in_order(labels) if p != ""]


def _has_lapses(ds: xr.Dataset, dim: str) -> bool:
    """Whether ``ds`` records lapses along ``dim`` and some subject lapsed (the share of
    subjects who lapsed is left out of runs where none could or did)."""
    da = _var(ds, "lapse", dim)
    return da is not None and bool(np.nansum(_matrix(da, dim)) > 0)


def _metrics_episode(ds: xr.Dataset) -> tuple[list[str], dict[str, np.ndarray]]:
    """Per-subject, per-phase metrics in episode mode: name -> (subject, phase)."""
    phases = _phases(ds, "episode")
    n_ep = int(ds.sizes["episode"])
    if phases is None:
        phases = np.asarray(["all"] * n_ep, dtype=object)
    order = _phase_order(phases)
    di = _day_index(ds)
    ev = _event_mask(ds)
    out: dict[str, np.ndarray] = {}

    def per_phase(vals: np.ndarray, fn: Any) -> np.ndarray:
        res = np.full((vals.shape[0], len(order)), np.nan)
        for j, p in enumerate(order):
            sel = phases == p
            res[:, j] = fn(vals[:, sel], sel)
        return res

    def n_days(sel: np.ndarray) -> float:
        return float(np.unique(di[sel]).size) if di is not None else float("nan")

    if _var(ds, "drug_taken", "episode") is not None:
        v = _matrix(ds["drug_taken"], "episode")
        if di is not None:
            out["infusions_per_day"] = per_phase(v, lambda a, sel: _nansum(a, 1) / n_days(sel))
        else:
            out["infusions_total"] = per_phase(v, lambda a, sel: _nansum(a, 1))
    if _var(ds, "seek", "episode") is not None:
        v = _matrix(ds["seek"], "episode")
        out["seeking_rate"] = per_phase(v, lambda a, sel: _nanmean(a, 1))
    if _has_lapses(ds, "episode"):
        v = _matrix(ds["lapse"], "episode")
        out["lapsed_share"] = per_phase(v, lambda a, sel: (_nansum(a, 1) > 0).astype(float))
        if di is not None:
            out["seeks_per_day"] = per_phase(v, lambda a, sel: _nansum(a, 1) / n_days(sel))
    shown = _cue_shown(ds)
    for name in ("da_cue", "da_cue_dorsal", "da_outcome"):
        if _var(ds, name, "episode") is not None:
            v = _matrix(ds[name], "episode")
            if name in ("da_cue", "da_cue_dorsal") and shown is not None:
                v = np.where(shown, v, np.nan)   # defined on cue trials only
            elif ev is not None:
                v = np.where(ev[0], v, np.nan)
            out[name] = per_phase(v, lambda a, sel: _nanmean(a, 1))
    for name in ("cue_value", "craving"):
        if _var(ds, name, "episode") is not None:
            v = _matrix(ds[name], "episode")
            on = _defined_on(ds, name)
            if on is not None:  # defined on cue trials (craving: probes); else plain means
                v = np.where(on, v, np.nan)
            out[name] = per_phase(v, lambda a, sel: _nanmean(a, 1))
    for name in CONTROL_STATE_VARS:
        if _var(ds, name, "episode") is not None:
            v = _matrix(ds[name], "episode")
            if di is None:
                out[name] = per_phase(v, lambda a, sel: _nanmean(a, 1))
            else:  # per day first, as daily records make them, then over the phase's days
                days, per_day = _per_day(v, di, "mean")
                out[name] = _phase_of_days(per_day, _day_phases(ds, di, days), order, _nanmean)
    _body_metrics_episode(ds, order, out)
    return order, out


#: Body-model state variables summarised as phase means of their daily means.
STATE_VARS = ("receptor_availability", "withdrawal", "mood", "hedonic_setpoint",
              "reward_threshold", "drug_setpoint")


def _phase_of_days(day_values: np.ndarray, day_phases: np.ndarray, order: Sequence[str],
                   fn: Any) -> np.ndarray:
    """``(subject, day)`` -> ``(subject, phase)`` by applying ``fn(a, axis=1)`` per phase."""
    res = np.full((day_values.shape[0], len(order)), np.nan)
    for j, p in enumerate(order):
        sel = day_phases == p
        if sel.any():
            res[:, j] = fn(day_values[:, sel], axis=1)
    return res


def _body_metrics_from_days(days: dict[str, np.ndarray], day_phases: np.ndarray,
                            order: Sequence[str], out: dict[str, np.ndarray]) -> None:
    """Add the body-model columns from per-day ``(subject, day)`` arrays.

    ``days`` maps a variable to its per-day values (mean per day for state
    variables, deliveries per day for ``first_hour_intake``, daily peak for
    ``drug_level``, ``da_extracellular_pct`` and ``da_dorsal_pct``).
    """
    if "first_hour_intake" in days:
        out["first_hour_infusions_per_day"] = _phase_of_days(days["first_hour_intake"],
                                                             day_phases, order, _nanmean)
    for name in STATE_VARS:
        if name in days:
            out[name] = _phase_of_days(days[name], day_phases, order, _nanmean)
    if "withdrawal" in days:
        out["withdrawal_peak"] = _phase_of_days(days["withdrawal"], day_phases, order, _nanmax)
    if "drug_level" in days:
        out["drug_level_peak"] = _phase_of_days(days["drug_level"], day_phases, order, _nanmean)
    if "da_dorsal_pct" in days:
        if "da_extracellular_pct" in days:
            out["da_accumbens_peak_pct"] = _phase_of_days(days["da_extracellular_pct"],
                                                          day_phases, order, _nanmean)
        out["da_dorsal_peak_pct"] = _phase_of_days(days["da_dorsal_pct"], day_phases, order,
                                                   _nanmean)


def _body_metrics_episode(ds: xr.Dataset, order: Sequence[str],
                          out: dict[str, np.ndarray]) -> None:
    """Body-model columns in episode mode, via per-day values (as daily records make them)."""
    di = _day_index(ds)
    if di is None or not _has_body(ds):
        return
    days: dict[str, np.ndarray] = {}
    day_ph = None
    for name in (*STATE_VARS, "drug_level", "da_extracellular_pct", "da_dorsal_pct",
                 "first_hour_intake"):
        if _var(ds, name, "episode") is None:
            continue
        how = "sum" if name == "first_hour_intake" else ("mean" if name in STATE_VARS else "max")
        dd, v = _per_day(_matrix(ds[name], "episode"), di, how)
        days[name] = v
        day_ph = _day_phases(ds, di, dd)
    if "first_hour_intake" not in days and "drug_taken" in ds.data_vars:
        fh = _first_hour_series(ds)
        if fh is not None:
            days["first_hour_intake"] = fh[0].values
            day_ph = fh[0].phases
    if not days:
        return
    if day_ph is None:
        day_ph = np.asarray(["all"] * next(iter(days.values())).shape[1], dtype=object)
    _body_metrics_from_days(days, np.asarray(day_ph, dtype=object), order, out)


def _metrics_daily(ds: xr.Dataset) -> tuple[list[str], dict[str, np.ndarray]]:
    """Per-subject, per-phase metrics in daily mode: name -> (subject, phase)."""
    phases = _phases(ds, "day")
    n_day = int(ds.sizes["day"])
    if phases is None:
        phases = np.asarray(["all"] * n_day, dtype=object)
    order = _phase_order(phases)
    out: dict[str, np.ndarray] = {}

    def per_phase(vals: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        res = np.full((vals.shape[0], len(order)), np.nan)
        for j, p in enumerate(order):
            sel = phases == p
            a = vals[:, sel]
            if weights is None:
                res[:, j] = _nanmean(a, 1)
            else:
                # Event-count weighted mean; days without events carry no weight.
                w = np.where(np.isfinite(a), weights[:, sel], 0.0)
                tot = w.sum(axis=1)
                num = np.where(w > 0, a * w, 0.0).sum(axis=1)
                res[:, j] = np.where(tot > 0, num / np.where(tot > 0, tot, 1.0), np.nan)
        return res

    for name, key in (("drug_taken", "infusions_per_day"), ("seek", "seeks_per_day")):
        if _var(ds, name, "day") is not None:
            out[key] = per_phase(_matrix(ds[name], "day"))
    if _has_lapses(ds, "day"):
        # a day with a lapse makes the phase's share of such days > 0
        days = (np.nan_to_num(_matrix(ds["lapse"], "day")) > 0).astype(float)
        out["lapsed_share"] = (np.nan_to_num(per_phase(days)) > 0).astype(float)
    for name, count in (("da_cue", "n_cue_events"), ("da_cue_dorsal", "n_cue_events"),
                        ("da_outcome", "n_outcome_events")):
        if _var(ds, name, "day") is not None:
            n = _var(ds, count, "day")
            out[name] = per_phase(_matrix(ds[name], "day"),
                                  None if n is None else np.nan_to_num(_matrix(n, "day")))
    for name in ("cue_value", "craving"):
        if _var(ds, name, "day") is not None:
            # Event means over cue trials: weight each day by its cue trials, as for da_cue,
            # so that the phase mean is the mean over the phase's cue trials (= episode mode).
            out[name] = per_phase(_matrix(ds[name], "day"), _event_count(ds, name, "day"))
    for name in CONTROL_STATE_VARS:
        if _var(ds, name, "day") is not None:
            out[name] = per_phase(_matrix(ds[name], "day"))
    days = {name: _matrix(ds[name], "day") for name in
            (*STATE_VARS, "drug_level", "da_extracellular_pct", "da_dorsal_pct",
             "first_hour_intake") if _var(ds, name, "day") is not None}
    if _has_body(ds) and days:
        _body_metrics_from_days(days, phases, order, out)
    return order, out


def _metrics_summary(ds: xr.Dataset) -> tuple[list[str], dict[str, np.ndarray]]:
    """Per-subject, per-phase metrics in summary mode: name -> (subject, phase)."""
    labels = _phases(ds, "phase")
    n_ph = int(ds.sizes.get("phase", 0))
    order = list(labels) if labels is not None else [str(i) for i in range(n_ph)]
    n_days = None
    for cand in ("n_days", "days"):
        if cand in ds.variables and ds[cand].dims == ("phase",):
            try:
                n_days = np.asarray(ds[cand].values, dtype=float)
            except (TypeError, ValueError):
                n_days = None
            break
    out: dict[str, np.ndarray] = {}
    for name, per_day_key, total_key in (("drug_taken", "infusions_per_day", "infusions_total"),
                                          ("seek", "seeks_per_day", "seeks_total")):
        da = _var(ds, name, "phase")
        if da is None:
            continue
        v = _matrix(da, "phase")
        if da.attrs.get("aggregation", "sum") != "sum":
            out[f"{name}_mean"] = v
        elif n_days is not None:
            with np.errstate(invalid="ignore", divide="ignore"):
                out[per_day_key] = np.where(n_days > 0, v / np.where(n_days > 0, n_days, 1), np.nan)
        else:
            out[total_key] = v
    if _has_lapses(ds, "phase"):
        out["lapsed_share"] = (np.nan_to_num(_matrix(ds["lapse"], "phase")) > 0).astype(float)
    for name in ("da_cue", "da_cue_dorsal", "da_outcome", "cue_value", "craving"):
        da = _var(ds, name, "phase")
        if da is not None:
            v = _matrix(da, "phase")
            n = _event_count(ds, name, "phase")
            if n is not None:  # phases without such trials have no mean
                v = np.where(n > 0, v, np.nan)
            out[name] = v
    da = _var(ds, "first_hour_intake", "phase")
    if da is not None:
        v = _matrix(da, "phase")
        if n_days is not None:
            with np.errstate(invalid="ignore", divide="ignore"):
                out["first_hour_infusions_per_day"] = np.where(
                    n_days > 0, v / np.where(n_days > 0, n_days, 1), np.nan)
        else:
            out["first_hour_infusions_total"] = v
    for name in (*CONTROL_STATE_VARS, *STATE_VARS):
        da = _var(ds, name, "phase")
        if da is not None and da.attrs.get("aggregation", "mean") == "mean":
            out[name] = _matrix(da, "phase")
    return order, out


def summary_tables(ds: xr.Dataset) -> dict[str, list[dict]]:
    """Per-phase (and per-arm) means of the main variables, JSON-serialisable.

    Each value is first averaged within a subject over the phase, then across
    subjects. Columns (those whose variables are present):

    * ``infusions_per_day`` — drug infusions per day (``infusions_total`` in
      summary mode unless the Dataset carries ``n_days`` per phase);
    * ``seeking_rate`` — fraction of trials with seeking (episode mode only);
    * ``seeks_per_day`` — seeking responses per day (``seeks_total`` likewise);
    * ``lapsed_share`` — the share of subjects with at least one lapse in the phase (a
      drug self-taken after abstinence began); only in runs where some subject lapsed;
    * ``da_cue`` — mean phasic dopamine at cue onset over the trials with a cue
      (``cue_shown`` in episode mode; event-count weighted in daily mode);
    * ``da_outcome`` — mean phasic dopamine at the outcome time over the trials
      with a cue or outcome response (event-count weighted in daily mode);
    * ``cue_value``, ``craving`` — means over the trials with a cue, like
      ``da_cue`` (episode Datasets without ``cue_shown``: plain means over all
      episodes). A phase without cue trials gives ``None``, not 0.

    With the control model:

    * ``da_cue_dorsal`` — phasic dopamine at cue onset relayed to the dorsal
      striatum, a mean over the trials with a cue like ``da_cue``;
    * ``habit_weight``, ``attentional_bias`` — phase means of their daily means
      (summary records: the stored phase means).

    With the body model (episode and daily records; each value is first made
    per day, as daily recording does, then averaged over the phase's days):

    * ``first_hour_infusions_per_day`` — drug deliveries in the first hour of
      each day's session (escalation studies report it: it compares arms
      with different session lengths);
    * ``receptor_availability``, ``withdrawal``, ``mood``, ``hedonic_setpoint``,
      ``reward_threshold``, ``drug_setpoint`` — phase means (summary records:
      the stored phase means);
    * ``withdrawal_peak`` — the highest daily mean withdrawal in the phase;
    * ``drug_level_peak`` — the daily peak drug level, averaged over the phase;
    * ``da_accumbens_peak_pct``, ``da_dorsal_peak_pct`` — daily peak
      extracellular dopamine (% of baseline) in the accumbens and the dorsal
      striatum, averaged over the phase (when ``da_dorsal_pct`` is recorded).

    The cue-trial means agree between record modes: an episode Dataset and its
    daily or summary aggregation give the same values.

    Returns:
        ``{"by_phase": [...]}`` plus ``"by_arm_and_phase"`` when the Dataset
        has more than one arm. Each row is a dict with ``phase`` (and ``arm``),
        ``n_subjects`` and the metrics; numbers are plain floats rounded to 4
        significant digits, ``None`` where undefined.
    """
    mode = _record(ds)
    if mode == "episode" and "episode" in ds.dims:
        order, metrics = _metrics_episode(ds)
    elif mode == "daily" and "day" in ds.dims:
        order, metrics = _metrics_daily(ds)
    elif "phase" in ds.dims:
        order, metrics = _metrics_summary(ds)
    else:
        return {"by_phase": []}

    def rows(groups: list[tuple[str | None, np.ndarray]]) -> list[dict]:
        table: list[dict] = []
        for arm, sub in groups:
            for j, phase in enumerate(order):
                row: dict[str, Any] = {"phase": str(phase)}
                if arm is not None:
                    row["arm"] = str(arm)
                row["n_subjects"] = int(sub.size)
                for key, m in metrics.items():
                    row[key] = _round(_nanmean(m[sub, j]) if sub.size else float("nan"))
                table.append(row)
        return table

    everyone = np.arange(_n_subjects(ds))
    result: dict[str, list[dict]] = {"by_phase": rows([(None, everyone)])}
    groups = _arm_groups(ds)
    if len(groups) > 1:
        result["by_arm_and_phase"] = rows(groups)
    return result
