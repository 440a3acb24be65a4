"""`ventral_to_dorsal_shift`: cue-evoked dopamine is recruited in the dorsolateral striatum
over weeks of cocaine use, and that recruitment depends on the ventral striatum.

Willuhn, Burgeno, Everitt & Phillips 2012, PNAS 109:20703 [C abstract]. Protocol
(``scenarios/reference/ventral_to_dorsal_shift.toml``): six weeks of 1-h FR1 cocaine
self-administration (0.5 mg/kg, a light with each infusion), intact or with the ventral
striatum lesioned throughout; ``da_cue`` (ventral) and ``da_cue_dorsal`` are read per
day (mean over infusions). The escalation clamp reruns
``scenarios/reference/escalation_long_access.toml`` with the dorsolateral striatum
inactivated during the 22 access sessions.

Checks (REFERENCES.md entry 18): the dorsal signal in week 1 is <= 25% of its asymptote
(mean of week 6; "about 0") and >= 50% of it in week 3; the ventral signal is lower in
week 3 than in week 1 (week 3 / week 1 < 1); with the ventral striatum lesioned the
dorsal signal in week 3 is <= 20% of the intact one; clamping the dorsal signal (DLS
inactivated) changes long-access escalation (first hour, sessions 18-22 over session 1)
by <= 10%.

Mechanism under test (``brain.subject`` / ``brain.control``): the dorsal cue signal is
the ventral critic's cue error relayed as the habit system takes control (ventral to
dorsal spiral); escalation comes from the allostatic setpoint, not from the habit.
"""

from __future__ import annotations

import numpy as np

from ...results import simulate
from ..scorecard import Check, Expectation, Result
from . import _common
from ._access import access_run, arm, phase_days

SPECIES = "rat"
SOURCE = "Willuhn, Burgeno, Everitt & Phillips 2012, PNAS 109:20703"
MODELS = {"default": Expectation(note="ventral cue error relayed to the dorsal striatum as "
                                      "habit takes control")}
QUICK_SUBJECTS = 60
VENTRAL_XFAIL = ("the ventral cue signal is the cue's learned value: it rises through week 1 "
                 "while the cue is learned and then holds under 1-h access; in the model it "
                 "declines only under long access, where the allostatic reward rate rises "
                 "(as Willuhn et al. 2014 found with escalation)")


def _week(x: np.ndarray, w: int) -> float:
    return float(np.nanmean(x[:, 7 * (w - 1): 7 * w]))


def _escalation(ds) -> float:
    """LgA first-hour intake, access sessions 18-22 over session 1."""
    fh = arm(ds, "LgA").first_hour_intake.values[:, phase_days(ds, "access")]
    return float(fh[:, 17:22].mean() / fh[:, 0].mean())


def measures(model: str = "default", *, quick: bool = False) -> dict[str, float]:
    ds = _common.run("ventral_to_dorsal_shift", model, quick=quick,
                     quick_subjects=QUICK_SUBJECTS, record="daily")
    group = ds.arm.values
    ven = ds.da_cue.values[group == "intact"]
    dor = ds.da_cue_dorsal.values[group == "intact"]
    dor_lesion = ds.da_cue_dorsal.values[group == "ventral lesion"]
    asym = _week(dor, 6)
    out = {
        "dorsal_week1_over_asymptote": _week(dor, 1) / asym,
        "dorsal_week3_over_asymptote": _week(dor, 3) / asym,
        "ventral_week3_over_week1": _week(ven, 3) / _week(ven, 1),
        "dorsal_week3_lesion_over_intact": _week(dor_lesion, 3) / _week(dor, 3),
        "habit_weight_week1": _week(ds.habit_weight.values[group == "intact"], 1),
        "habit_weight_week3": _week(ds.habit_weight.values[group == "intact"], 3),
    }
    intact = _escalation(access_run(quick))
    sc = _common.variant("escalation_long_access", model, {"access": {"inactivate": ["dls"]}},
                         arms=["LgA"])
    n = 30 if quick else access_run(quick).sizes["subject"] // 2
    clamped = _escalation(simulate(sc, subjects=n, record="daily", progress=False))
    out["escalation_intact"] = intact
    out["escalation_dls_clamped"] = clamped
    out["escalation_change_with_dls_clamped"] = abs(clamped / intact - 1.0)
    out["subjects"] = ds.sizes["subject"] + n
    out["seed"] = int(ds.attrs["seed"])
    return out


def run(model: str, *, quick: bool = False) -> Result:
    m = measures(model, quick=quick)
    checks = [
        Check("dorsal_week1_over_asymptote", m["dorsal_week1_over_asymptote"], None, 0.25),
        Check("dorsal_week3_over_asymptote", m["dorsal_week3_over_asymptote"], 0.5, None),
        Check("ventral_week3_over_week1", m["ventral_week3_over_week1"], None, 1.0,
              xfail=VENTRAL_XFAIL),
        Check("dorsal_week3_lesion_over_intact", m["dorsal_week3_lesion_over_intact"], None,
              0.2),
        Check("escalation_change_with_dls_clamped", m["escalation_change_with_dls_clamped"],
              None, 0.10),
    ]
    return Result(checks=checks, subjects=int(m["subjects"]), seed=int(m["seed"]))
