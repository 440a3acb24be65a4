"""Outcome devaluation, then a test in extinction (Adams 1982; Dickinson, Wood & Smith 2002).

After lever training, the outcome is devalued outside the test context's
contingency, and the trained lever is then tested without any outcome, so only
what the subject already knows can change its responding:

* ``method = "illness"``: on each of ``pairings`` days the outcome is given freely
  (``amount``) and followed by lithium chloride (``illness_dose``), conditioning
  an aversion to it (Garcia & Koelling 1966). With ``devalue = false`` the
  injection comes 12 h after the outcome instead (unpaired control). Both arms have
  the same timeline (an empty episode stands for the other arm's event), so devalued
  and control arms share one dataset at any recording level.
* ``method = "satiety"``: a meal of ``amount`` of the outcome in 10 portions over the
  10 minutes before each test (specific satiety; Balleine & Dickinson 1998). With
  ``devalue = false`` there is no meal.

The test is ``days`` sessions of ``session`` on the trained ``lever`` in
extinction (the response still produces the trained cue, if any). A goal-directed
subject responds less after devaluation; a habitual one does not.
"""

from __future__ import annotations

import numpy as np

from ...pharmacology.reinforcers import REINFORCERS, Kind, Reinforcer
from ..schedule import DAY_S, Builder, bins
from .self_administration import compile_sessions

SOURCE = ("Adams 1982; Dickinson, Wood & Smith 2002 (LiCl devaluation of pellets and "
          "ethanol); Balleine & Dickinson 1998 (specific satiety)")


#: portions of the pre-test meal (satiety), one a minute
MEAL_PORTIONS = 10


def default_amount(p, species: str = "rat") -> float:
    """Free outcome per pairing or pre-feeding when the scenario gives none: for illness,
    a session's worth of a natural reward (30 standard units) or one standard drug dose; for satiety, the amount that halves the
    outcome's value in this species (its satiety half-amount times the species'
    ``satiety_capacity``), twice over: a meal that leaves the outcome worth a third."""
    from ...brain.params import BrainParams

    spec = REINFORCERS[p.reinforcer]
    if p.method == "satiety" and np.isfinite(spec.satiety_half):
        capacity = float(BrainParams.defaults(species).satiety_capacity)
        return 2.0 * float(spec.satiety_half) * capacity
    return spec.default_amount * (1.0 if spec.kind == Kind.DRUG else 30.0)


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    ctx = b.context(p.context)
    amount = default_amount(p, scenario.scenario.species.value) if p.amount is None else p.amount
    food = b.amounts(p.reinforcer, amount)
    licl = b.amounts(Reinforcer.LITHIUM_CHLORIDE, p.illness_dose)
    out_bin = 1
    t = start_s
    if p.method == "illness":
        for k in range(p.pairings):
            t = start_s + k * DAY_S + 3600.0
            if p.devalue:
                b.add(t_s=t, phase=phase, context=ctx, trial_type="devaluation: outcome",
                      session_start=True, us_amounts=food + licl, us_prob=1.0, us_bin=out_bin)
                t = t + 12 * 3600.0     # (the control's injection time: same timeline)
                b.add(t_s=t, phase=phase, context=ctx, trial_type="devaluation: 12 h later",
                      session_start=True)
            else:
                b.add(t_s=t, phase=phase, context=ctx, trial_type="devaluation: outcome",
                      session_start=True, us_amounts=food, us_prob=1.0, us_bin=out_bin)
                t = t + 12 * 3600.0
                b.add(t_s=t, phase=phase, context=ctx, trial_type="devaluation: 12 h later",
                      session_start=True, us_amounts=licl, us_prob=1.0, us_bin=out_bin)
        test0 = start_s + p.pairings * DAY_S
    else:
        test0 = start_s
    slots = [dict(operandum=b.operandum(p.lever), cues=p.cues, ratio=p.ratio)]
    if p.inactive_lever:
        slots.append(dict(operandum=b.operandum("inactive")))
    for d in range(p.days):
        s0 = test0 + d * DAY_S + 3600.0
        if p.method == "satiety":
            # a meal of MEAL_PORTIONS portions a minute apart, ending just before the test
            # (each portion eaten teaches the outcome's sated worth: incentive learning);
            # the control arm waits through the same minutes without food (same timeline)
            portion = food / MEAL_PORTIONS
            for k in range(MEAL_PORTIONS):
                b.add(t_s=s0 - 60.0 * (MEAL_PORTIONS - k), phase=phase, context=ctx,
                      trial_type="devaluation: before test", session_start=(k == 0),
                      us_amounts=portion if p.devalue else None,
                      us_prob=1.0 if p.devalue else 0.0, us_bin=out_bin if p.devalue else -1)
        t = compile_sessions(_OneDay(p), b, phase=phase, start_s=s0, slots=slots,
                             trial_type="devaluation test",
                             slot_bin=1 + max(1, bins(p.delay)))
    return t


class _OneDay:
    """The test settings as one day of one session (what ``compile_sessions`` reads)."""

    def __init__(self, p):
        self.days = 1
        self.sessions_per_day = 1
        self.session = p.session
        self.response_window = p.response_window
        self.context = p.context
