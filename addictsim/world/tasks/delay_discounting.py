"""Delay discounting: described choices between an amount now and a larger amount later.

The adjusting-amount procedure (Richards et al. 1997 in rats; in people, Madden et al.
1997 and Du, Green & Myerson 2002): for each delay in turn (shortest first), a series of
``trials_per_delay`` forced choices between the later amount ``amount`` after the delay
(slot 2, "later") and a fraction of it now (slot 1, "sooner"). The fraction starts at
1/2; after a sooner choice it falls and after a later choice it rises, by 1/4, then
1/8, ... (bisection), so the final fraction is the indifference point: the share of the
later amount that is worth as much now. The outcomes are described, not delivered
(hypothetical choices, as in the Monetary Choice Questionnaire of Kirby, Petry & Bickel
1999 and Madden's titration); the subject values them with its goal-directed worth and
the micro-agents' delay factor (``brain.discounting``). One choice every ``iti``, in one
sitting. :func:`addictsim.analysis.discounting.indifference_points` replays the series
from the recorded choices.
"""

from __future__ import annotations

from ..schedule import Builder

SOURCE = ("Richards et al. 1997; Madden et al. 1997; Du, Green & Myerson 2002 "
          "(adjusting amount); Kirby, Petry & Bickel 1999")


def label(delay_d: float) -> str:
    """The trial type of the choices at one delay."""
    return f"now vs {delay_d:.6g} d"


def steps(n: int) -> list[float]:
    """The bisection steps applied after each of ``n`` choices: 1/4, 1/8, ..."""
    return [0.25 / 2 ** j for j in range(n)]


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    ctx = b.context(p.context)
    full = b.amounts(p.reinforcer, p.later_amount)
    sooner, later = b.operandum("sooner"), b.operandum("later")
    t = start_s
    i = 0
    for d in p.delays:
        for j, step in enumerate(steps(p.trials_per_delay)):
            t = start_s + i * p.iti
            slots = [dict(operandum=sooner, offer=full, offer_delay=0.0),
                     dict(operandum=later, offer=full, offer_delay=d)]
            b.add(t_s=t, phase=phase, context=ctx, trial_type=label(d),
                  session_start=(i == 0), slots=slots, forced=True, titrate_step=step,
                  titrate_start=(j == 0))
            i += 1
    return t
