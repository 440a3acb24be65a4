"""`hedonic_allostasis_icss`: long access raises brain-reward thresholds persistently.

Ahmed, Kenny, Koob & Markou 2002, Nat Neurosci 5:625 [C abstract]; Markou & Koob 1991
[R]. Uses the short- vs long-access cohort of ``escalation_long_access``. The threshold
analogue is the model's own ``reward_threshold``: the natural-reward magnitude whose value,
after the allostatic hedonic set point, beats the other activities and the response cost
(``brain.receptors.reward_threshold``). The behavioural ``reward_threshold`` task measures
a threshold of the same kind from responses, in the reinforcer's own units and including
the outcome delay's discount and choice noise (drug-naive rats: 0.37 sucrose accesses by
responses, 0.35 pellets by the analytic threshold). Receptor loss scales every natural value alike, so it
leaves this threshold almost where it was; the allostatic set point raises it.

Checks (REFERENCES.md entry 8): the threshold before the last LgA session is above the
one before the first (rise > 0, in % of the pre-access threshold) and within +-5% for ShA;
across LgA subjects corr(threshold rise, escalation of first-hour intake) >= 0.5; 7 days
into abstinence at least half of the LgA rise remains; the hedonic value (liking) of the
0.75 mg/kg dose, g * r(dose) - set point, falls by >= 20% in LgA from the drug-naive
value (after the last access session).
"""

from __future__ import annotations

import numpy as np

from ...pharmacology.reinforcers import REINFORCERS, Reinforcer
from ..scorecard import Check, Expectation, Result
from ._access import access_run, arm, phase_days

SPECIES = "rat"
SOURCE = "Ahmed, Kenny, Koob & Markou 2002, Nat Neurosci 5:625"
MODELS = {"default": Expectation(note="threshold = the allostatic hedonic set point over the "
                                      "receptor gain")}


def _liking(d2, setpoint):
    s = REINFORCERS[Reinforcer.COCAINE]
    r = s.value * 0.75 / (0.75 + s.ed50)
    return d2 * r - setpoint


def run(model: str, *, quick: bool = False) -> Result:
    ds = access_run(quick)
    acc = phase_days(ds, "access")
    abst = phase_days(ds, "abstinence")
    out = {}
    for name in ("ShA", "LgA"):
        a = arm(ds, name)
        thr = a.reward_threshold.values
        out[name] = 100.0 * (thr[:, acc[-1]] - thr[:, acc[0]]) / thr[:, acc[0]]
    lga = arm(ds, "LgA")
    thr = lga.reward_threshold.values
    rise = thr[:, acc[-1]] - thr[:, acc[0]]
    fh = lga.first_hour_intake.values[:, acc]
    escalation = fh[:, 17:22].mean(1) - fh[:, 0]
    corr = float(np.corrcoef(rise, escalation)[0, 1])
    kept = float(np.mean(thr[:, abst[6]] - thr[:, acc[0]]) / np.mean(rise))
    like0 = _liking(lga.param_d2_baseline.values, 0.0)          # drug-naive
    like1 = _liking(lga.receptor_availability.values[:, acc[-1]],
                    lga.hedonic_setpoint.values[:, acc[-1]])
    checks = [
        Check("lga_threshold_rise_pct", float(out["LgA"].mean()), 0.0, None),
        Check("sha_threshold_change_pct", float(out["ShA"].mean()), -5.0, 5.0),
        Check("corr_threshold_rise_escalation_lga", corr, 0.5, None),
        Check("lga_rise_remaining_after_7_days_abstinence", kept, 0.5, None),
        Check("lga_liking_of_cocaine_change", float(like1.mean() / like0.mean() - 1.0), None, -0.2),
    ]
    return Result(checks=checks, subjects=ds.sizes["subject"], seed=int(ds.attrs["seed"]))
