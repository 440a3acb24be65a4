"""Progressive-ratio self-administration (Richardson & Roberts 1996, J Neurosci Methods
66:1).

The sessions are those of ``self_administration`` (response windows, the time-out, the
cue with each delivery, the inactive lever), but the active lever's ratio rises after
each delivery in the session to the next step of a series, by default Richardson &
Roberts's ``round(5 exp(0.2 j) - 5)``: 1, 2, 4, 6, 9, 12, 15, 20, 25, 32, ... The series
restarts each session. The **breakpoint** is the last ratio the subject completed in the
session (:func:`breakpoints`), the measure of how hard it will work for one more delivery
(the progressive-ratio criterion of Deroche-Gamonet et al. 2004). Sessions run for a fixed
``session``; laboratories often end them after an hour without a delivery, which a long
enough fixed session contains.

Each response window offers one response: the default 1-s windows let a subject press
about as fast as a rat can, so the ratios, not the windows, limit what it earns.
"""

from __future__ import annotations

import numpy as np

from ..apparatus import PR_NEVER, PR_STEPS
from ..schedule import Builder
from .self_administration import compile_sessions, operant_setup

SOURCE = "Richardson & Roberts 1996 (progressive ratio); Deroche-Gamonet et al. 2004"


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    setup = operant_setup(p, b, p.dose, ratio=p.series[0])
    n0 = len(b.rows)
    t = compile_sessions(p, b, phase=phase, start_s=start_s, trial_type="PR", **setup)
    series = np.full(PR_STEPS, PR_NEVER, np.int64)
    series[:len(p.series)] = p.series
    for r in b.rows[n0:]:
        r["pr_ratios"] = series
    return t


def breakpoints(series, deliveries) -> np.ndarray:
    """The last ratio completed for each count of ``deliveries`` in a session (0 where none
    was earned): ``series[n - 1]`` for n deliveries."""
    s = np.asarray(series, dtype=float)
    n = np.asarray(deliveries, dtype=float)
    ok = np.isfinite(n)
    n_int = np.clip(np.rint(np.where(ok, n, 0.0)).astype(np.int64), 0, s.size)
    out = np.where(n_int > 0, s[np.maximum(n_int - 1, 0)], 0.0)
    return np.where(ok, out, np.nan)
