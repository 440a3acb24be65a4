"""`redish_noncompensable_drug`: a non-compensable drug term makes drug value grow without bound.

Redish 2004, Science 306:1944 [C abstract]: with delta = max(delta_0 + D, D)
the value of drug-predicting states grows with every exposure [R form]; drug
seeking is over-selected and less and less sensitive to cost. A comparison
model: the ``redish2004`` row must show the unbounded growth, and the default
model's row must show a bounded drug value (the default passes
``blocking_with_drug`` instead; Panlilio et al. 2007).

Experiments: (1) 1,000 Pavlovian pairings each of a drug cue with cocaine and
a food cue with food; (2) choice between a cocaine lever and a lever for a
natural reward of equal primary value, over 6 daily sessions.

Checks for ``redish2004`` (REFERENCES.md entry 2): the drug cue's value still
rises by more than 2% between exposure 500 and 1,000 while the food cue's
changes by less than 2%; P(choose drug) rises over sessions 1-6; the cost at
which drug choice falls below 50% rises with exposure (last session minus
first > 0). P(choose drug) "rises monotonically" is read as:
no session-to-session fall beyond 0.01 and a net rise of at least 0.05
(it reaches 1 within a few sessions). For a softmax policy the cost that
makes both levers equally likely is log(P_drug / P_alt) / beta, so the
indifference cost is read from the observed choice proportions. Checks for
``default``: neither the drug cue's value nor the food cue's grows by more than
2% between exposures 500 and 1,000 (bounded). They may fall: daily sessions here
keep dopamine high for more than the allostatic onset, so the default model's
allostatic load rises and its hedonic set point with it (``brain.receptors``),
lowering every reward's value a little (anhedonia; about -3% drug, -6% food).
"""

from __future__ import annotations

import numpy as np

from ..scorecard import Check, Expectation, Result
from . import _common

SPECIES = "rat"
SOURCE = "Redish 2004, Science 306:1944"
MODELS = {
    "default": Expectation(note="production model: the drug's value is bounded (it plateaus)"),
    "redish2004": Expectation(note="comparison model: drug value grows without bound"),
}


def _values(model: str, quick: bool) -> tuple[float, float, int]:
    ds = _common.run("redish_noncompensable_drug", model, quick=quick, quick_subjects=10,
                     record="episode", precision="float64")
    tt = ds.trial_type.values.astype(str)
    out = []
    for prefix in ("D+", "N+"):
        idx = np.flatnonzero(np.char.startswith(tt, prefix))
        v = ds.cue_value.values[:, idx].mean(0)
        out.append((v[999] - v[499]) / abs(v[999]))
    return out[0], out[1], ds.sizes["subject"]


def _choice(model: str, quick: bool) -> tuple[list[float], list[float], int, int]:
    ep = _common.run("redish_choice", model, quick=quick, quick_subjects=60, record="episode")
    beta = float(ep["param_beta"].values.mean())
    a = ep.action.values
    days = ep.day_index.values
    p_drug, c50 = [], []
    for d in np.unique(days):
        m = days == d
        drug = (a[:, m] == 1).sum()
        alt = (a[:, m] == 2).sum()
        p = drug / max(drug + alt, 1)
        p_drug.append(float(p))
        c50.append(float(np.log(max(drug, 1) / max(alt, 1)) / beta))
    return p_drug, c50, ep.sizes["subject"], int(ep.attrs["seed"])


def run(model: str, *, quick: bool = False) -> Result:
    drug_change, food_change, n1 = _values(model, quick)
    if model == "default":
        checks = [
            Check("drug_cue_value_change_exposure_500_to_1000", drug_change, None, 0.02),
            Check("food_cue_value_change_exposure_500_to_1000", food_change, None, 0.02),
        ]
        return Result(checks=checks, subjects=n1, seed=2004)
    p_drug, c50, n2, seed = _choice(model, quick)
    checks = [
        Check("drug_cue_value_change_exposure_500_to_1000", drug_change, 0.02, None),
        Check("food_cue_value_change_exposure_500_to_1000", food_change, -0.02, 0.02),
        # monotonic rise: no session-to-session fall beyond sampling noise, and a net rise
        # (P reaches 1 within a few sessions, so ties rule out a rank correlation of 1)
        Check("min_session_change_in_p_choose_drug", float(np.min(np.diff(p_drug))), -0.01, None),
        Check("p_choose_drug_last_minus_first_session", p_drug[-1] - p_drug[0], 0.05, None),
        Check("indifference_cost_last_minus_first_session", c50[-1] - c50[0], 1e-3, None),
    ]
    return Result(checks=checks, subjects=n1 + n2, seed=seed)
