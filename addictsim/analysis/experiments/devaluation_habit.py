"""`devaluation_habit`: seeking is goal-directed early and habitual after overtraining, and
drug seeking becomes habitual after less training than food seeking.

Adams 1982, QJEP 34B:77 [R]; Dickinson, Wood & Smith 2002, QJEP 55B:331 [C]; Corbit, Nie &
Janak 2012, Biol Psychiatry [C]; Zapata, Minney & Shippenberg 2010 [C]. Protocol
(``scenarios/reference/devaluation_habit.toml``): FR1 lever pressing in 1-h sessions; the
outcome is then paired with lithium chloride on 3 days (devalued arms) or given 12 h apart
from it (control arms), and the lever is tested for 30 min in extinction, intact or with
the dorsolateral (DLS) or dorsomedial (DMS) striatum inactivated during the test. The
experiment runs that scenario at several training lengths (``days`` of the training
phase), with food pellets and with cocaine (0.75 mg/kg per infusion; the drug's
sessions titrate intake, so training is compared in reinforcers earned).

Reduction = 1 - (test presses, devalued) / (test presses, control), arm means.

Checks (REFERENCES.md entry 17): limited food training (1 session, about 100-130
pellets) cuts responding by >= 40%; extended food training (about 500 pellets: the
level nearest 500) by <= 15%; the training at which the reduction first falls to 15%
(linear interpolation in reinforcers earned between the levels run) is <= 0.6 as much
for cocaine as for food; DLS inactivated at test after extended training restores a
reduction >= 30%; DMS inactivated at test after limited training leaves a reduction
<= 15% (the goal-directed contribution removed).

Mechanism under test (``brain.control``): arbitration by uncertainty between cached
(habit) and goal-directed values, with the habit's experience accruing faster under the
drug's pharmacological dopamine in the dorsal striatum.
"""

from __future__ import annotations

import numpy as np

from ...results import simulate
from ..scorecard import Check, Expectation, Result
from ._common import variant

SPECIES = "rat"
SOURCE = "Adams 1982; Dickinson, Wood & Smith 2002; Corbit, Nie & Janak 2012"
MODELS = {"default": Expectation(note="uncertainty-based arbitration; drug dopamine in the "
                                      "dorsal striatum speeds habit")}
NAME = "devaluation_habit"
#: training sessions run per reinforcer (food earns ~130 pellets a session, cocaine ~13)
LEVELS = {"food": (1, 2, 3, 4, 6), "cocaine": (1, 2, 4, 6, 10, 16)}
INTACT = ["devalued", "control"]
QUICK_SUBJECTS = 120


def _reductions(reinforcer: str, days: int, *, quick: bool, arms: list[str] | None = None,
                model: str = "default") -> dict[str, float]:
    sc = variant(NAME, model, {"training": {"days": days, "reinforcer": reinforcer},
                               "test": {"reinforcer": reinforcer}}, arms=arms)
    n = (QUICK_SUBJECTS * len(sc.arm)) // 6 if quick else sc.total_subjects() * len(sc.arm) // 6
    ds = simulate(sc, subjects=n, record="daily", progress=False)
    earned = (ds.drug_taken.values[:, :days] + ds.natural_taken.values[:, :days]).sum(1)
    test = ds.seek.values[:, -1]
    arm = ds.arm.values
    mean = {a: float(test[arm == a].mean()) for a in np.unique(arm)}
    out = {"earned": float(earned.mean()), "subjects": int(ds.sizes["subject"]),
           "seed": int(ds.attrs["seed"])}
    for suffix in ("", ", DLS inactivated", ", DMS inactivated"):
        if "control" + suffix in mean:
            out["reduction" + suffix] = 1.0 - mean["devalued" + suffix] / mean["control" + suffix]
    return out


def crossing(earned: list[float], reduction: list[float], level: float = 0.15) -> float:
    """Reinforcers earned at which the reduction first falls to ``level`` (linear
    interpolation between successive training levels; inf if it never does)."""
    for i, r in enumerate(reduction):
        if r <= level:
            if i == 0:
                return float(earned[0])
            r0, e0, e1 = reduction[i - 1], earned[i - 1], earned[i]
            return float(e0 + (r0 - level) / (r0 - r) * (e1 - e0))
    return float("inf")


def measures(model: str = "default", *, quick: bool = False) -> dict[str, float]:
    out: dict[str, float] = {}
    subjects = 0
    seed = 0
    for reinforcer, levels in LEVELS.items():
        curve = []
        for days in levels:
            full = reinforcer == "food" and days in (1, 4)
            m = _reductions(reinforcer, days, quick=quick, arms=None if full else INTACT,
                            model=model)
            subjects += m["subjects"]
            seed = m["seed"]
            curve.append((m["earned"], m["reduction"]))
            out[f"{reinforcer}_{days}_earned"] = m["earned"]
            out[f"{reinforcer}_{days}_reduction"] = m["reduction"]
            if full:
                tag = "limited" if days == 1 else "extended"
                out[f"food_{tag}_reduction"] = m["reduction"]
                out[f"food_{tag}_reduction_dls_off"] = m["reduction, DLS inactivated"]
                out[f"food_{tag}_reduction_dms_off"] = m["reduction, DMS inactivated"]
        out[f"{reinforcer}_crossing_earned"] = crossing([c[0] for c in curve],
                                                        [c[1] for c in curve])
    out["drug_over_food_training_to_habit"] = (out["cocaine_crossing_earned"]
                                               / out["food_crossing_earned"])
    out["subjects"] = subjects
    out["seed"] = seed
    return out


def run(model: str, *, quick: bool = False) -> Result:
    m = measures(model, quick=quick)
    checks = [
        Check("food_limited_reduction", m["food_limited_reduction"], 0.40, None),
        Check("food_extended_reduction", m["food_extended_reduction"], None, 0.15),
        Check("drug_over_food_training_to_habit", m["drug_over_food_training_to_habit"], None,
              0.6),
        Check("food_extended_reduction_dls_off", m["food_extended_reduction_dls_off"], 0.30,
              None),
        Check("food_limited_reduction_dms_off", m["food_limited_reduction_dms_off"], None, 0.15),
    ]
    return Result(checks=checks, subjects=int(m["subjects"]), seed=int(m["seed"]))
