"""Conditioned place preference (Tzschentke 1998, 2007; Mueller & Stewart 2000).

A three-chamber box: two compartments that differ in their floor and walls (two cues,
``paired`` and ``unpaired``) joined by a centre. Conditioning: on alternate days the
subject is given ``dose`` of ``reinforcer`` and confined to the paired compartment, or given
the vehicle and confined to the unpaired one; ``pairings`` of each, one a day, the drug
first. The model's critic sees each confinement as one Pavlovian trial: the compartment at
the start of the episode and the drug's effect ``PAIRING_DELAY_S`` later (a vehicle
confinement: the compartment and nothing). Test, drug-free, on each of the ``tests`` days
after the pairings: for ``test``, one choice per ``response_window`` between going into
the paired compartment (action slot 1), the unpaired one (slot 2) or staying in the centre
(slot 0). Going into a compartment is a Pavlovian approach response, valued by the
compartment's incentive value (``brain.control.approach_values``: a drug-paired place
becomes attractive, as a drug-paired cue does); being there shows its cue, with no drug:
time spent in the paired compartment drug-free is extinction (Mueller & Stewart 2000
extinguished the preference by 12 such tests). A prime or stress before a test retrieves
the memory formed with the drug, as it does for lever pressing, and brings the preference
back (Mueller & Stewart 2000: cocaine 5 mg/kg; Wang, Luo, Zhang & Han 2000: footshock or a
morphine prime after morphine conditioning).

The windows spent in each compartment are the ``seek`` (paired) and ``alternative``
(unpaired) counts of the run; ``analysis.place_preference`` turns them into seconds and
the preference score (time in paired minus time in unpaired).
"""

from __future__ import annotations

import math

from ...brain.params import BIN_S
from ..schedule import DAY_S, Builder, bins
from .self_administration import before_session

SOURCE = ("Tzschentke 1998 (conditioned place preference); Mueller & Stewart 2000 (four "
          "20-min pairings with cocaine 10 mg/kg and four with saline on alternate days, "
          "15-min drug-free tests; extinction by repeated tests; reinstatement by a cocaine "
          "prime)")

#: seconds from a compartment's onset to the drug's effect in a pairing trial: one bin, the
#: shortest delay the critic represents, since the drug given before the confinement acts
#: while the subject is in the compartment (with the pavlovian task's default 1.5 s, the
#: compartment's value would creep back over the bins of the delay and four pairings would
#: teach it almost nothing)
PAIRING_DELAY_S = BIN_S

#: ``trial_type`` of a test window
TEST = "place preference test"


def compartment(cue: str) -> str:
    """The operandum name of the compartment marked by ``cue``."""
    return f"{cue} compartment"


def compile(p, scenario, b: Builder, *, phase: int, start_s: float, rng) -> float:
    ctx = b.context(p.context)
    paired, unpaired = b.cue(p.paired), b.cue(p.unpaired)
    delay = max(1, bins(PAIRING_DELAY_S))
    t = start_s
    for i in range(p.pairings):
        drug_day = start_s + 2 * i * DAY_S
        b.add(t_s=drug_day, phase=phase, context=ctx, trial_type="pairing drug",
              session_start=True, cs={paired: 0}, us_amounts=b.amounts(p.reinforcer, p.dose),
              us_prob=1.0, us_bin=delay)
        t = drug_day + DAY_S
        b.add(t_s=t, phase=phase, context=ctx, trial_type="pairing vehicle",
              session_start=True, cs={unpaired: 0}, us_prob=0.0, us_bin=delay)
    slots = [dict(operandum=b.operandum(compartment(p.paired)), approach=p.paired,
                  cues=[p.paired]),
             dict(operandum=b.operandum(compartment(p.unpaired)), approach=p.unpaired,
                  cues=[p.unpaired])]
    n_win = max(1, math.floor(p.test / p.response_window + 1e-9))
    first_test = start_s + 2 * p.pairings * DAY_S
    for k in range(p.tests):
        s0 = before_session(p, b, phase=phase, s0=first_test + k * DAY_S,
                            window=p.response_window)
        for e in range(n_win):
            t = s0 + e * p.response_window
            b.add(t_s=t, phase=phase, context=ctx, trial_type=TEST,
                  session_start=(e == 0), slots=slots, slot_bin=1 + delay)
    return t
