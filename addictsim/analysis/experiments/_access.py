"""The short- vs long-access cocaine experiment shared by three entries.

``escalation_long_access``, ``hedonic_allostasis_icss`` and
``homeostatic_rl_keramati`` read the same simulated cohort of
``scenarios/reference/escalation_long_access.toml`` (Ahmed & Koob 1998, 1999;
Ahmed et al. 2002), run once per process and cohort size.
"""

from __future__ import annotations

import functools

import numpy as np
import xarray as xr

from . import _common


@functools.lru_cache(maxsize=4)
def access_run(quick: bool) -> xr.Dataset:
    return _common.run("escalation_long_access", "default", quick=quick, quick_subjects=60,
                       record="daily")


def arm(ds: xr.Dataset, name: str) -> xr.Dataset:
    return ds.isel(subject=np.flatnonzero(ds.arm.values == name))


def phase_days(ds: xr.Dataset, phase: str) -> np.ndarray:
    return np.flatnonzero(ds.phase.values == phase)


def sem(x: np.ndarray) -> float:
    x = np.asarray(x, float)
    return float(x.std(ddof=1) / np.sqrt(len(x))) if len(x) > 1 else float("nan")
