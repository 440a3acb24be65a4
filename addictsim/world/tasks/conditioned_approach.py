"""Pavlovian conditioned approach, the sign- versus goal-tracking test (Flagel et al. 2009;
Meyer et al. 2012).

Each trial a retractable lever (the cue, ``cue``) is inserted for ``cue_duration``; as it
retracts, ``amount`` of ``reinforcer`` (a 45-mg pellet by default) drops into the food
cup, whatever the subject does. ``trials`` trials a day, inter-trial intervals drawn
uniformly from ``iti``, over ``days`` sessions. The lever period is split into response
windows of ``response_window``; in each the subject may approach (contact) the lever,
approach the food cup, or do neither (action slots 1, 2 and 0). Approaching either is a
Pavlovian response: it changes nothing that is delivered (``apparatus``), and its value
is computed by ``brain.control.approach_values``. One lever insertion is one Pavlovian
trial whatever its number of windows (``ScheduleRow.holds``: the critic learns when the
lever retracts and the food arrives at the end of the last window). ``trial_type`` is
``"PCA window k"`` for the k-th window of a trial.

The pellet is the conventional 45-mg banana pellet; the model's serial-compound critic sees
the last window's share of the lever period before the food (its episode spans
``N_BINS * BIN_S`` seconds), so an 8-s cue is represented by its last 2 s there.
``analysis.conditioned_approach`` computes the PCA index (Meyer et al. 2012) and the
tracking groups.
"""

from __future__ import annotations

import math

from ...pharmacology.reinforcers import REINFORCERS
from ..schedule import DAY_S, Builder, bins

SOURCE = ("Flagel et al. 2009 (Pavlovian conditioned approach); Meyer et al. 2012 (PCA index, "
          "sessions of 25 trials, 8-s lever, VI-90 s inter-trial interval)")

#: operandum of the food cup (the lever operandum is named after the cue)
FOOD_CUP = "food cup"


def windows(p) -> int:
    """Response windows per lever insertion."""
    return max(1, math.floor(p.cue_duration / p.response_window + 1e-9))


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    ctx = b.context(p.context)
    cue = b.cue(p.cue)
    slots = [dict(operandum=b.operandum(p.cue), approach=p.cue),
             dict(operandum=b.operandum(FOOD_CUP), approach="goal")]
    amount = REINFORCERS[p.reinforcer].default_amount if p.amount is None else p.amount
    food = b.amounts(p.reinforcer, amount)
    n_win = windows(p)
    us_bin = bins(p.response_window)
    t = start_s
    for day in range(p.days):
        t = max(t, start_s + day * DAY_S)
        for k in range(p.trials):
            t += rng.uniform(*p.iti)
            for e in range(n_win):
                last = e == n_win - 1
                b.add(t_s=t, phase=phase, context=ctx, trial_type=f"PCA window {e + 1}",
                      session_start=(k == 0 and e == 0), cs={cue: 0}, slots=slots,
                      us_amounts=food if last else None, us_prob=1.0 if last else 0.0,
                      us_bin=us_bin if last else -1, holds=not last)
                t += p.response_window
    return t - p.response_window
