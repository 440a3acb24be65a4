"""Shared helpers for the reference experiments."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import xarray as xr

from ...brain.params import Model
from ...results import simulate
from ...scenario import Scenario, load_scenario


def scenario(name: str, model: str) -> Scenario:
    """A shipped reference scenario with its model variant replaced."""
    sc = load_scenario(f"reference/{name}")
    meta = sc.scenario.model_copy(update={"model": Model(model)})
    return sc.model_copy(update={"scenario": meta})


#: the last few reference runs, so that measures and checks reading the same run (in one
#: process: the tests, `validate`) simulate it once; results are read, never modified
_RECENT: OrderedDict[tuple, xr.Dataset] = OrderedDict()
_KEEP = 2


def run(name: str, model: str, *, quick: bool, quick_subjects: int, **kw) -> xr.Dataset:
    sc = scenario(name, model)
    n = quick_subjects if quick else sc.total_subjects()
    key = (name, str(model), n, tuple(sorted((k, repr(v)) for k, v in kw.items())))
    if key in _RECENT:
        _RECENT.move_to_end(key)
        return _RECENT[key]
    ds = simulate(sc, subjects=n, progress=False, **kw)
    _RECENT[key] = ds
    while len(_RECENT) > _KEEP:
        _RECENT.popitem(last=False)
    return ds


def per_window(ds: xr.Dataset, var: str, arm: str, phase: str, hours: float,
               window_s: float) -> float:
    """An arm's mean count of ``var`` in ``phase`` (``hours`` long) per response window of
    ``window_s`` seconds, from a per-phase (summary) record."""
    p = list(ds.phase.values).index(phase)
    return float(ds[var].values[ds.arm.values == arm, p].mean() / (hours * 3600.0 / window_s))


def first_event(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per subject (rows), the value at the first column where ``mask`` is true (NaN if none)."""
    has = mask.any(axis=1)
    idx = np.argmax(mask, axis=1)
    out = values[np.arange(values.shape[0]), idx].astype(float)
    return np.where(has, out, np.nan)


def spearman(x, y) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(x, y).statistic)


def ratio(a: float, b: float) -> float:
    return float(a / b) if b != 0 else float("inf")


def variant(name: str, model: str, phases: dict[str, dict] | None = None,
            cohort: dict | None = None, arms: list[str] | None = None) -> Scenario:
    """A shipped reference scenario with some phases' settings replaced (e.g. the number of
    training days), validated again as a whole, with its model variant replaced."""
    import tomllib

    from ...scenario import shipped_scenarios

    data = tomllib.loads(shipped_scenarios()[f"reference/{name}"].read_text(encoding="utf-8"))
    for p in data["phase"]:
        p.update((phases or {}).get(p["name"], {}))
    data["scenario"]["model"] = str(Model(model))
    data.setdefault("cohort", {}).update(cohort or {})
    if arms is not None:
        data["arm"] = [a for a in data.get("arm", []) if a["name"] in arms]
    return Scenario.model_validate(data)
