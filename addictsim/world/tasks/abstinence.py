"""Abstinence in the home cage: days pass, nothing to respond to, no drug cues.

Slow variables integrate over the elapsed time (later issues: receptor
recovery, incubation); this slice records the days so the timeline is whole.
"""

from __future__ import annotations

from ..schedule import DAY_S, Builder

SOURCE = "forced abstinence, e.g. Grimm et al. 2001 (incubation protocol)"


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    ctx = b.context(p.context)
    t = start_s
    for d in range(p.days):
        for e in range(p.episodes_per_day):
            t = start_s + d * DAY_S + e * (DAY_S / p.episodes_per_day)
            b.add(t_s=t, phase=phase, context=ctx, trial_type="home cage", session_start=True)
    return t
