"""`model_based_deficit_two_step`: less model-based control in compulsive agents.

Voon et al. 2015, Mol Psychiatry 20:345 [C]; Gillan, Kosinski, Whelan, Phelps & Daw 2016,
eLife 5:e11305 [C]; task: Daw et al. 2011, Neuron 69:1204. Protocol
(``scenarios/reference/model_based_deficit_two_step.toml``, human): 200 two-step trials
for money (0.7/0.3 transitions, win probabilities drifting by N(0, 0.025^2) within
[0.25, 0.75]), then key pressing for a snack (20 minutes a day for 3 days; Tricomi,
Balleine & O'Doherty 2009) and a 5-minute extinction test after the snack has been
paired with nausea (devalued arm) or not (control arm). Human studies devalue by satiety
or instruction; the model's satiety leaves too much value for near-ceiling human choice
to show a difference, so the aversion stands in (see the scenario's description). The cohort is the
human default: ``habit_half`` varies between people (lognormal), and its inverse is the
model's continuous compulsivity parameter; "compulsive" agents are the top third on it.

Analysis (``analysis.two_step``): per subject, the logistic regression of staying with
the first choice on the previous reward, transition and their product (model-free index
= reward coefficient; model-based index = reward x transition) and the hybrid model's
weight ``w`` fitted by maximum likelihood over a grid.

Checks (REFERENCES.md entry 19): in the cohort, the median model-based and model-free
indices are > 0 and the median ``w`` is within 0.3-0.7; the compulsive third's mean
``w`` is lower than the rest's by >= 0.1 with Cohen's d within 0.3-0.8 and its
model-free index not reduced (ratio to the rest's >= 0.9); across agents the
correlation of compulsivity with ``w`` is <= -0.2; the same compulsive agents are less
devaluation-sensitive (reduction of test pressing, devalued vs control arm, compulsive
third minus the rest, <= 0).

Mechanism under test (``brain.control``): the first step of the two-step task is a
two-step plan, so the goal-directed evaluation is more uncertain there and the habit
shares control sooner (Daw, Niv & Dayan 2005); agents with a lower ``habit_half`` hand
control to the habit sooner in both tasks.
"""

from __future__ import annotations

import numpy as np

from .. import two_step
from ..scorecard import Check, Expectation, Result
from ..stats import cohens_d
from . import _common

SPECIES = "human"
SOURCE = "Voon et al. 2015; Gillan et al. 2016; Daw et al. 2011"
MODELS = {"default": Expectation(note="arbitration by uncertainty, deeper plans less certain; "
                                      "compulsivity = between-subject spread of habit_half")}
QUICK_SUBJECTS = 300


def measures(model: str = "default", *, quick: bool = False) -> dict[str, float]:
    ds = _common.run("model_based_deficit_two_step", model, quick=quick,
                     quick_subjects=QUICK_SUBJECTS, record="episode")
    t = two_step.trials(ds, phase="two-step")
    reg = two_step.stay_regression(t)
    fit = two_step.fit_hybrid(t)
    w = fit["w"]
    compulsivity = -np.log(ds.param_habit_half.values)
    top = compulsivity >= np.quantile(compulsivity, 2 / 3)
    rest = ~top
    out = {
        "median_model_based_index": float(np.median(reg["reward_x_transition"])),
        "median_model_free_index": float(np.median(reg["reward"])),
        "median_w": float(np.median(w)),
        "w_rest_minus_compulsive": float(w[rest].mean() - w[top].mean()),
        "cohens_d_w_rest_vs_compulsive": cohens_d(w[rest], w[top]),
        "model_free_index_compulsive_over_rest": float(reg["reward"][top].mean()
                                                       / reg["reward"][rest].mean()),
        "corr_compulsivity_w": float(np.corrcoef(compulsivity, w)[0, 1]),
    }
    stay = two_step.stay_probabilities(t)
    for (rew, com), v in stay.items():
        out[f"stay_{'rewarded' if rew else 'unrewarded'}_{'common' if com else 'rare'}"] = v
    test = ds.seek.values[:, ds.trial_type.values == "devaluation test"].sum(1)
    arm = ds.arm.values

    def reduction(group):
        return 1.0 - test[group & (arm == "devalued")].mean() / test[group & (arm == "control")].mean()

    out["devaluation_reduction_compulsive"] = reduction(top)
    out["devaluation_reduction_rest"] = reduction(rest)
    out["devaluation_compulsive_minus_rest"] = (out["devaluation_reduction_compulsive"]
                                                - out["devaluation_reduction_rest"])
    out["subjects"] = ds.sizes["subject"]
    out["seed"] = int(ds.attrs["seed"])
    return out


def run(model: str, *, quick: bool = False) -> Result:
    m = measures(model, quick=quick)
    checks = [
        Check("median_model_based_index", m["median_model_based_index"], 0.0, None),
        Check("median_model_free_index", m["median_model_free_index"], 0.0, None),
        Check("median_w", m["median_w"], 0.3, 0.7),
        Check("w_rest_minus_compulsive", m["w_rest_minus_compulsive"], 0.1, None),
        Check("cohens_d_w_rest_vs_compulsive", m["cohens_d_w_rest_vs_compulsive"], 0.3, 0.8),
        Check("model_free_index_compulsive_over_rest",
              m["model_free_index_compulsive_over_rest"], 0.9, None),
        Check("corr_compulsivity_w", m["corr_compulsivity_w"], None, -0.2),
        Check("devaluation_compulsive_minus_rest", m["devaluation_compulsive_minus_rest"], None,
              0.0),
    ]
    return Result(checks=checks, subjects=int(m["subjects"]), seed=int(m["seed"]))
