"""Dose-response of self-administration: fixed-ratio sessions, each at one dose.

The sessions are those of ``self_administration`` (response windows, the ratio,
the time-out, the cue, the inactive lever), with one dose from ``doses`` per
session, ``sessions_per_dose`` sessions of each, in the order given (an
increasing series), ``sessions_per_day`` sessions a day. The lever is the same
throughout, so the subject carries what it learned from one dose to the next. The
escalated rats of Ahmed & Koob 1999 (Psychopharmacology 146:303) took more
cocaine than short-access rats at every dose: the dose-response curve shifted
upwards.
"""

from __future__ import annotations

from ..schedule import DAY_S, Builder
from .self_administration import compile_session, operant_setup

SOURCE = "Ahmed & Koob 1999 (dose-response after escalation)"


def dose_label(x: float, unit: str) -> str:
    return f"{x:.4g} {unit}"


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    labels = [dose_label(x, p.dose_unit) for x in p.doses]
    if len(set(labels)) < len(labels):           # doses closer than 4 digits
        labels = [f"{x:.10g} {p.dose_unit}" for x in p.doses]
    setups = [operant_setup(p, b, x) for x in p.doses]
    t = start_s
    for k in range(p.n_sessions):
        i = k // p.sessions_per_dose
        day, s = divmod(k, p.sessions_per_day)
        s0 = start_s + day * DAY_S + s * (DAY_S / p.sessions_per_day)
        t = compile_session(p, b, phase=phase, s0=s0, trial_type=f"FR{p.ratio} {labels[i]}",
                            **setups[i])
    return t
