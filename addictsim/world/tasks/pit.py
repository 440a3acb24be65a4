"""Pavlovian-instrumental transfer test (Corbit & Balleine 2005; LeBlanc et al. 2012).

After separate Pavlovian training (cue -> outcome) and instrumental training (lever ->
outcome), the trained ``levers`` (one or two) are available in extinction while each of
``cues`` is presented, response-independently, for ``cue_duration`` every so often,
with ``baseline`` periods without a cue before each presentation. Each episode is one
response window. A cue that raises pressing on the lever whose outcome it predicts, more
than on the other, shows outcome-specific transfer; a drug cue raising drug seeking is
the addiction-relevant case. A presentation is one Pavlovian trial however many
response windows it spans (the critic learns at its end: ``ScheduleRow.holds``), so a
test of a few presentations extinguishes the cues only a little, as in the
experiments. ``trial_type`` is ``"PIT baseline"`` or ``"PIT <cue>"``.
The order of the cues within each round is shuffled with the scenario's seed.
"""

from __future__ import annotations

import math

from ..schedule import Builder

SOURCE = "Corbit & Balleine 2005; LeBlanc, Ostlund & Maidment 2012 (cocaine PIT)"


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    ctx = b.context(p.context)
    slots = [dict(operandum=b.operandum(lever)) for lever in p.levers]
    n_cue = max(1, math.floor(p.cue_duration / p.response_window + 1e-9))
    n_base = max(1, math.floor(p.baseline / p.response_window + 1e-9))
    t = start_s
    first = True
    for _ in range(p.presentations):
        for k in rng.permutation(len(p.cues)):
            cue = p.cues[int(k)]
            for label, n, cs in (("PIT baseline", n_base, None),
                                 (f"PIT {cue}", n_cue, {b.cue(cue): 0})):
                for e in range(n):
                    # one presentation spans several response windows: it ends with its last
                    b.add(t_s=t, phase=phase, context=ctx, trial_type=label,
                          session_start=first, cs=cs, slots=slots,
                          holds=cs is not None and e < n - 1)
                    first = False
                    t += p.response_window
    return t - p.response_window
