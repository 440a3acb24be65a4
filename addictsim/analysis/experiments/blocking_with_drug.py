"""`blocking_with_drug`: blocking occurs with cocaine as with food; drug value can be learned down.

Panlilio, Thorndike & Schindler 2007, Pharmacol Biochem Behav 86:774 [C abstract]:
tone paired with every cocaine injection (blocking group) or no stimulus
(control) for 5 sessions, then tone + light for 5 sessions; the light alone,
contingent on a new lever, is a conditioned reinforcer in the control group
but not in the blocking group. Waelti, Dickinson & Schultz 2001 [C] for food.
Downshift [C thesis abstract]: rats learn that cocaine and food reinforcers are
smaller than expected.

Checks (REFERENCES.md entry 3): the light's conditioned-reinforcer value in the
blocking arm <= 30% of control, for cocaine and for food (value of the light at
its first presentation in the test, mean over subjects); new-lever responding
for the light in the blocking arm <= 1.2 x inactive-lever responding (and, as
a check that the test can detect conditioned reinforcement, >= 1.2 x in the
control arm); after moving to a lower unit dose, the reinforcer-paired cue's
value falls by >= 25% within 10 sessions (cocaine and food). The band
thresholds are [C] from the entry; the 1.2 ratio and 25% are the entry's.
200 subjects per arm; the ratios of means sit far from their bands
(see the test for the standard errors).
"""

from __future__ import annotations

import numpy as np

from ..scorecard import Check, Expectation, Result, Status
from . import _common

SPECIES = "rat"
SOURCE = "Panlilio, Thorndike & Schindler 2007; Waelti, Dickinson & Schultz 2001"
MODELS = {
    "default": Expectation(),
    "td": Expectation(note="comparison model: pure TD also shows blocking"),
    "redish2004": Expectation(
        outcome=Status.FAIL,
        note="comparison model, expected to fail: the non-compensable drug term predicts no "
             "blocking with cocaine and a drug value that cannot be learned down (Redish 2004); "
             "Panlilio et al. 2007 found blocking"),
}


def _light_value(ds, arm: str) -> np.ndarray:
    sel = ds.arm.values == arm
    test = ds.phase.values == "test"
    cue_ep = ds.seek.values[sel][:, test]      # FR1, no time-out: each new-lever press shows the light
    return _common.first_event(ds.cue_value.values[sel][:, test], cue_ep)


def _presses(ds, arm: str) -> tuple[float, float]:
    sel = ds.arm.values == arm
    test = ds.phase.values == "test"
    a = ds.action.values[sel][:, test]
    return float((a == 1).sum(1).mean()), float((a == 2).sum(1).mean())


def _downshift(ds, arm: str) -> float:
    """Value of the reinforcer-paired light: session 10 at the low dose / last session at the high."""
    sel = ds.arm.values == arm
    cue = ds.cue_value.values[sel]
    has = ds.drug_taken.values[sel] | ds.natural_taken.values[sel]
    day = ds.day_index.values
    train_days = np.unique(day[ds.phase.values == "training"])
    down_days = np.unique(day[ds.phase.values == "downshift"])

    def mean_on(d):
        m = (day == d)[None, :] & has
        return float(cue[m].mean())

    return mean_on(down_days[-1]) / mean_on(train_days[-1])


def run(model: str, *, quick: bool = False) -> Result:
    ds = _common.run("blocking_with_drug", model, quick=quick, quick_subjects=160,
                     record="episode")
    v = {arm: np.nanmean(_light_value(ds, arm)) for arm in
         ("cocaine-blocking", "cocaine-control", "food-blocking", "food-control")}
    new_b, inactive_b = _presses(ds, "cocaine-blocking")
    new_c, inactive_c = _presses(ds, "cocaine-control")
    down = _common.run("blocking_with_drug_downshift", model, quick=quick, quick_subjects=80,
                       record="episode")
    checks = [
        Check("light_value_blocking_over_control_cocaine",
              _common.ratio(v["cocaine-blocking"], v["cocaine-control"]), None, 0.30),
        Check("light_value_blocking_over_control_food",
              _common.ratio(v["food-blocking"], v["food-control"]), None, 0.30),
        Check("new_over_inactive_lever_blocking_cocaine", _common.ratio(new_b, inactive_b), None, 1.2),
        Check("new_over_inactive_lever_control_cocaine", _common.ratio(new_c, inactive_c), 1.2, None),
        Check("cue_value_after_downshift_over_before_cocaine", _downshift(down, "cocaine"), None, 0.75),
        Check("cue_value_after_downshift_over_before_food", _downshift(down, "food"), None, 0.75),
    ]
    return Result(checks=checks, subjects=ds.sizes["subject"] + down.sizes["subject"],
                  seed=int(ds.attrs["seed"]))
