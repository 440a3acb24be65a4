"""`homeostatic_rl_keramati`: reward as drive reduction around a drifting setpoint.

Keramati & Gutkin 2014, eLife 3:e04811 [C abstract]; Keramati et al. 2017, Psychol Rev
124:130 [C abstract]; the authors' HRRL-Addiction code [C]. In the default model the value
of a drug-seeking response includes the drive reduction its expected dose would bring now,
``D(H) - D(H + dose)`` with ``D(H) = h* |1 - H/h*|^(4/3)`` over the brain drug level
(``brain.receptors``), and the allostatic load raises the setpoint ``h*``.

Checks (REFERENCES.md entry 12): (a) within-session titration: doubling the unit dose
(0.75 -> 1.5 mg/kg, last session of each; ``scenarios/reference/homeostatic_titration``)
lengthens the interval between infusions after the first 10 min (per-subject median,
mean over subjects) by 1.6-2.0x [R] — declared xfail: the model gives about 2.0 (see
``_TITRATION_XFAIL``), on either side of the edge depending on the cohort; (b) long
access escalates (LgA first-hour intake, sessions 18-22 over session 1, >= 1.5; the
``escalation_long_access`` cohort); (c) a priming dose after extinction restores >= 2x
extinction responding: the same rats, after 6 daily 1-h extinction sessions, are tested 1
min after a non-contingent 1 mg/kg intravenous cocaine prime; active presses in the test
over those in the last extinction session (means over subjects); (d) no responding at or
above the setpoint during self-administration: responses per opportunity with the drug
level at or above ``h*`` are <= 5% of those below it; (e) the setpoint drifts upward only
in LgA (ShA change within +-1%, LgA > +5% over the 22 access sessions).

What brings the primed rats back is not the drive reduction (a prime raises the level and
so lowers it): the drug on board is a body state that retrieves the memory formed while the
drug was taken (``brain.interoception``, ``brain.memory``). With the insula's route cut
(``insula_gain = 0``) the ratio falls to about 1.4 (40 rats).
"""

from __future__ import annotations

import numpy as np

from ...pharmacology.reinforcers import REINFORCERS, Reinforcer
from ..scorecard import Check, Expectation, Result
from . import _common
from ._access import access_run, arm, phase_days
from .escalation_long_access import measures

SPECIES = "rat"
SOURCE = "Keramati & Gutkin 2014, eLife 3:e04811"
MODELS = {"default": Expectation(note="homeostatic drive reduction with an allostatic setpoint")}


_TITRATION_XFAIL = (
    "at the band's edge (about 2.0): the drive reduction D(H) - D(H + dose) changes sign half a "
    "unit dose below the setpoint, so the next dose comes when the level has fallen that far "
    "and intervals grow a little faster than the dose; a fixed satiety threshold (Tsibulsky & "
    "Norman 1999) would give about 1.8")


def _intervals(ds, phase: str) -> float:
    idx = np.flatnonzero(ds.phase.values == phase)
    last = idx[ds.day_index.values[idx] == ds.day_index.values[idx].max()]
    t_min = (ds.day.values[last] - ds.day.values[last][0]) * 1440.0
    late = last[t_min >= 10.0]
    out = []
    taken = ds.drug_taken.values[:, late]
    tt = (ds.day.values[late] * 1440.0)
    for s in range(taken.shape[0]):
        times = tt[taken[s]]
        if times.size >= 3:
            out.append(np.median(np.diff(times)))
    return float(np.mean(out)) if out else float("nan")


def _presses(ds, phase: str) -> float:
    """Active presses in ``phase`` (one session), the mean over subjects."""
    sel = ds.phase.values == phase
    return float(ds.seek.values[:, sel].sum(axis=1).mean())


def run(model: str, *, quick: bool = False) -> Result:
    ep = _common.run("homeostatic_titration", model, quick=quick, quick_subjects=40,
                     record="episode")
    ratio = _intervals(ep, "unit dose 1.5") / _intervals(ep, "unit dose 0.75")
    ed50 = REINFORCERS[Reinforcer.COCAINE].ed50
    above = ep.drug_level.values >= ep.drug_setpoint.values * ed50
    can = ep.trial_type.values.astype(str) != ""
    taking = np.char.startswith(ep.phase.values.astype(str), "unit dose")
    seek = ep.seek.values[:, taking] & can[None, taking]
    above = above[:, taking]
    rate_above = seek[above].mean() if above.any() else 0.0
    rate_below = seek[~above].mean()
    primed = _presses(ep, "prime test") / _presses(ep, "last extinction session")
    acc = access_run(quick)
    days = phase_days(acc, "access")
    drift = {}
    for name in ("ShA", "LgA"):
        sp = arm(acc, name).drug_setpoint.values
        drift[name] = float(np.mean(sp[:, days[-1]] / sp[:, days[0]]) - 1.0)
    m = measures(quick)
    checks = [
        Check("interval_ratio_double_dose", ratio, 1.6, 2.0, xfail=_TITRATION_XFAIL),
        Check("lga_first_hour_18_22_over_session_1", m["lga_first_hour_18_22_over_session_1"],
              1.5, None),
        Check("priming_dose_over_extinction_responding", primed, 2.0, None),
        Check("responding_at_or_above_setpoint_over_below", float(rate_above / rate_below),
              None, 0.05),
        Check("sha_setpoint_change", drift["ShA"], -0.01, 0.01),
        Check("lga_setpoint_change", drift["LgA"], 0.05, None),
    ]
    return Result(checks=checks, subjects=ep.sizes["subject"] + acc.sizes["subject"],
                  seed=int(ep.attrs["seed"]))
