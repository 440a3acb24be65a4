"""`incubation_of_craving`: cue-induced seeking grows over the first months of abstinence and
declines by six; primed seeking does not incubate; sucrose seeking incubates less and sooner.

Grimm, Hope, Wise & Shaham 2001, Nature 412:141 [C]; Lu, Grimm, Hope & Shaham 2004,
Neuropharmacology 47 Suppl 1:214 [C]; Grimm, Shaham & Hope 2002 (sucrose) [R]. Protocol
(``scenarios/reference/incubation_of_craving.toml``): 10 days of 6-h FR1 self-administration
of cocaine (0.75 mg/kg) or sucrose, each delivery with a light; forced abstinence; on
withdrawal day 1, 15, 30, 60, 90 or 180 (a group per day, each tested once) six 1-h
extinction sessions without the light, the next day a 1-h cue test (presses on the former
drug lever produce the light), the next day a primed extinction session.

Measure: cue-induced seeking is the active-lever presses of the cue test minus its
inactive-lever presses (the lever discrimination: in the model undirected responding
on both levers is high, so raw active presses carry a floor common to all groups; raw
presses are reported too). Primed seeking: active presses in the primed session.

Checks (REFERENCES.md entry 22), on cue-induced seeking and on craving, which REFERENCES.md
maps to cue-triggered wanting (cross-cutting note 4; ``wanting`` in the cue test):

* wanting and seeking: the best of days 30 and 60 is >= 2x day 1; the peak is between
  day 30 and day 90, and day 180 is below it by >= 30% (the two seeking ratios are
  declared xfail: see ``CEILING``);
* primed seeking within +-25% of day 1 at every day up to 180;
* sucrose: its peak day <= 30 and its peak / day 1 below cocaine's;
* the pure TD variant fails (no time-dependent variable: nothing incubates).

Mechanism under test (``brain.incentive``): each delivery builds an incubation substrate
that is expressed, in abstinence only, through a slow rise and fall of the incentive gain
of the reward's cues; the gain acts on cue-triggered wanting (conditioned reinforcement,
craving) and not on the effect of a drug prime.
"""

from __future__ import annotations

import numpy as np

from ..scorecard import Check, Expectation, Result, Status
from . import _common

SPECIES = "rat"
SOURCE = "Grimm et al. 2001; Lu et al. 2004; Grimm, Shaham & Hope 2002"
MODELS = {
    "default": Expectation(note="incubated incentive gain of the reward's cues in abstinence "
                                "(brain.incentive)"),
    "td": Expectation(outcome=Status.FAIL, note="no time-dependent variable: seeking cannot "
                                                "grow in abstinence"),
}
QUICK_SUBJECTS = 600
NAME = "incubation_of_craving"
DAYS = (1, 15, 30, 60, 90, 180)
CEILING = ("the cue's incentive value triples from day 1 to day 60 and halves again by day "
           "180, but the model's presses follow it only partly: one 20-s response window "
           "holds at most one press, undirected pressing is already about 35 an hour on "
           "each lever, and on day 1 the cue (a strong conditioned reinforcer after 10 days "
           "of 6-h access) already brings about 70 active presses of at most 180, where "
           "rats make about 15-20; the response model, not the incubation variable, limits "
           "this check")


def measures(model: str = "default", *, quick: bool = False) -> dict[str, float]:
    ds = _common.run(NAME, model, quick=quick, quick_subjects=QUICK_SUBJECTS, record="summary")
    phases = list(ds.phase.values)
    cue, prime = phases.index("cue test"), phases.index("prime")
    arm = ds.arm.values
    out: dict[str, float] = {}
    for r in ("cocaine", "sucrose"):
        for d in DAYS:
            m = arm == f"{r} day {d}"
            act = ds.seek.values[m, cue]
            out[f"{r}_cue_seeking_day{d}"] = float((act - ds.alternative.values[m, cue]).mean())
            out[f"{r}_cue_active_day{d}"] = float(act.mean())
            out[f"{r}_primed_active_day{d}"] = float(ds.seek.values[m, prime].mean())
            out[f"{r}_craving_cue_test_day{d}"] = float(ds.craving.values[m, cue].mean())
            out[f"{r}_wanting_cue_test_day{d}"] = float(ds.wanting.values[m, cue].mean())
            out[f"{r}_extinction_active_per_hour_day{d}"] = float(
                ds.seek.values[m, phases.index("extinction")].mean() / 6.0)
    for r in ("cocaine", "sucrose"):
        curve = np.array([out[f"{r}_cue_seeking_day{d}"] for d in DAYS])
        out[f"{r}_peak_day"] = float(DAYS[int(np.argmax(curve))])
        out[f"{r}_peak_over_day1"] = _common.ratio(curve.max(), curve[0])
        out[f"{r}_day180_below_peak"] = 1.0 - _common.ratio(curve[-1], curve.max())
    w = np.array([out[f"cocaine_wanting_cue_test_day{d}"] for d in DAYS])
    out["cocaine_wanting_day30_60_over_day1"] = _common.ratio(max(w[2], w[3]), w[0])
    out["cocaine_wanting_peak_day"] = float(DAYS[int(np.argmax(w))])
    out["cocaine_wanting_day180_below_peak"] = 1.0 - _common.ratio(w[-1], w.max())
    out["cocaine_primed_over_extinction_hour_day1"] = _common.ratio(
        out["cocaine_primed_active_day1"], out["cocaine_extinction_active_per_hour_day1"])
    c = [out[f"cocaine_cue_seeking_day{d}"] for d in DAYS]
    out["cocaine_day30_60_over_day1"] = _common.ratio(max(c[2], c[3]), c[0])
    p = np.array([out[f"cocaine_primed_active_day{d}"] for d in DAYS])
    out["cocaine_primed_max_deviation_from_day1"] = float(np.max(np.abs(p / p[0] - 1.0)))
    out["sucrose_minus_cocaine_peak_ratio"] = (out["sucrose_peak_over_day1"]
                                               - out["cocaine_peak_over_day1"])
    out["subjects"] = int(ds.sizes["subject"])
    out["seed"] = int(ds.attrs["seed"])
    return out


def run(model: str, *, quick: bool = False) -> Result:
    m = measures(model, quick=quick)
    checks = [
        Check("cocaine_wanting_day30_60_over_day1", m["cocaine_wanting_day30_60_over_day1"],
              2.0, None),
        Check("cocaine_wanting_peak_day", m["cocaine_wanting_peak_day"], 30, 90),
        Check("cocaine_wanting_day180_below_peak", m["cocaine_wanting_day180_below_peak"],
              0.30, None),
        Check("cocaine_day30_60_over_day1", m["cocaine_day30_60_over_day1"], 2.0, None,
              xfail=CEILING),
        Check("cocaine_peak_day", m["cocaine_peak_day"], 30, 90),
        Check("cocaine_day180_below_peak", m["cocaine_day180_below_peak"], 0.30, None,
              xfail=CEILING),
        Check("cocaine_primed_max_deviation_from_day1",
              m["cocaine_primed_max_deviation_from_day1"], None, 0.25),
        Check("sucrose_peak_day", m["sucrose_peak_day"], None, 30),
        Check("sucrose_minus_cocaine_peak_ratio", m["sucrose_minus_cocaine_peak_ratio"],
              None, 0.0),
    ]
    return Result(checks=checks, subjects=int(m["subjects"]), seed=int(m["seed"]))
