"""`sign_goal_tracking`: some rats approach a food cue itself, others the place the food comes;
cue dopamine is acquired by the first and learning it needs dopamine only in them.

Flagel et al. 2009, Neuropharmacology 56:139; Flagel et al. 2011, Nature 469:53; Meyer et
al. 2012, PLoS One 7:e38987; model: Lesaint et al. 2014, PLoS Comput Biol 10:e1003466.
An entry this project adds (not numbered in REFERENCES.md). Protocol
(``scenarios/reference/sign_goal_tracking.toml``): Pavlovian conditioned approach, an 8-s
lever insertion followed by a food pellet, 25 trials a session for 5 sessions, then a
test session; a second arm has the critic's dopamine-taught learning blocked during
training (the model's reading of Flagel 2011's flupenthixol before each training session).

Analysis (``analysis.conditioned_approach``): PCA index over sessions 4-5 (Meyer 2012),
groups at +-0.5; phasic dopamine at lever insertion and at the food per session.

Checks:

* sign-trackers and goal-trackers are each 15-45% of the cohort (Meyer et al. 2012:
  1,878 rats, each phenotype roughly a third, varying with supplier and colony);
* in sign-trackers the cue's dopamine response grows from session 1 to session 5 (ratio
  >= 1.5) and the food's falls (ratio <= 0.5) (Flagel 2011, Fig. 2);
* at session 5 goal-trackers' cue response is smaller than sign-trackers' (ratio <= 0.8);
* in goal-trackers the food's dopamine response persists (session 5 / session 1 >= 0.5;
  Flagel 2011) — declared xfail, see ``GT_FOOD_XFAIL``;
* blocked training: on the test session lever approaches are <= 35% of the control
  arm's (sign-tracking was not learned) while food-cup approaches are >= 80% of the
  control goal-trackers' (goal-tracking was: Flagel 2011, Fig. 4).

Mechanism under test (``brain.control.approach_values``, ``brain.subject.learn``): the
trait ``incentive_attribution`` makes a cue's learned value attractive and scales the
critic's learning; going to the food cup is valued from the cue's outcome expectation
(learned without dopamine's teaching signal) times the food's incentive value.
"""

from __future__ import annotations

import numpy as np

from ..conditioned_approach import GROUPS, approaches, dopamine, groups, scores
from ..scorecard import Check, Expectation, Result
from . import _common

SPECIES = "rat"
SOURCE = "Flagel et al. 2009, 2011; Meyer et al. 2012; Lesaint et al. 2014"
MODELS = {"default": Expectation(note="incentive attribution (trait) on the critic and on "
                                      "approaching the cue; goal approach from outcome "
                                      "expectations")}
QUICK_SUBJECTS = 300
NAME = "sign_goal_tracking"
WINDOW_S = 2.0
GT_FOOD_XFAIL = ("in the model a goal-tracker's critic learns the lever-food relation more "
                 "slowly, so the food's dopamine response falls later than a sign-tracker's "
                 "but it still falls within five sessions, and the lever's grows, more slowly "
                 "(Flagel 2011: both stay as they were); Lesaint et al. 2014 explain this by "
                 "unrewarded food-cup visits between trials, which the task does not simulate")


def measures(model: str = "default", *, quick: bool = False) -> dict[str, float]:
    ds = _common.run(NAME, model, quick=quick, quick_subjects=QUICK_SUBJECTS,
                     record="episode")
    ap = approaches(ds, WINDOW_S)
    arm = ds.arm.values
    control, blocked = arm == "control", arm == "critic blocked in training"
    train = ap.phase == "training"
    days = np.unique(ap.day[train])
    late = train & np.isin(ap.day, days[-2:])
    test = ap.phase == "test"
    s = scores(ap, late)
    grp = groups(s["pca_index"])
    st, gt = control & (grp == GROUPS[0]), control & (grp == GROUPS[2])
    cue, food = dopamine(ds, ap)

    def session(x, who, d):
        return float(x[who][:, train & (ap.day == d)].mean())

    t = scores(ap, test)
    out = {
        "sign_tracker_share": float(st.sum() / control.sum()),
        "goal_tracker_share": float(gt.sum() / control.sum()),
        "intermediate_share": float(1.0 - (st.sum() + gt.sum()) / control.sum()),
        "st_cue_da_last_over_first": session(cue, st, days[-1]) / session(cue, st, days[0]),
        "st_food_da_last_over_first": session(food, st, days[-1]) / session(food, st, days[0]),
        "gt_food_da_last_over_first": session(food, gt, days[-1]) / session(food, gt, days[0]),
        "gt_over_st_cue_da_last": session(cue, gt, days[-1]) / session(cue, st, days[-1]),
        "blocked_lever_over_control": _common.ratio(t["lever_per_trial"][blocked].mean(),
                                                    t["lever_per_trial"][control].mean()),
        "blocked_cup_over_control_gt": _common.ratio(t["cup_per_trial"][blocked].mean(),
                                                     t["cup_per_trial"][gt].mean()),
        "corr_attribution_index": _common.spearman(
            ds.param_incentive_attribution.values[control], s["pca_index"][control]),
        "subjects": int(ds.sizes["subject"]),
        "seed": int(ds.attrs["seed"]),
    }
    for who, mask in (("st", st), ("gt", gt)):
        for d in days:
            out[f"{who}_cue_da_session{d + 1}"] = session(cue, mask, d)
            out[f"{who}_food_da_session{d + 1}"] = session(food, mask, d)
    return out


def run(model: str, *, quick: bool = False) -> Result:
    m = measures(model, quick=quick)
    checks = [
        Check("sign_tracker_share", m["sign_tracker_share"], 0.15, 0.45),
        Check("goal_tracker_share", m["goal_tracker_share"], 0.15, 0.45),
        Check("st_cue_da_last_over_first", m["st_cue_da_last_over_first"], 1.5, None),
        Check("st_food_da_last_over_first", m["st_food_da_last_over_first"], None, 0.5),
        Check("gt_over_st_cue_da_last", m["gt_over_st_cue_da_last"], None, 0.8),
        Check("gt_food_da_last_over_first", m["gt_food_da_last_over_first"], 0.5, None,
              xfail=GT_FOOD_XFAIL),
        Check("blocked_lever_over_control", m["blocked_lever_over_control"], None, 0.35),
        Check("blocked_cup_over_control_gt", m["blocked_cup_over_control_gt"], 0.8, None),
    ]
    return Result(checks=checks, subjects=int(m["subjects"]), seed=int(m["seed"]))
