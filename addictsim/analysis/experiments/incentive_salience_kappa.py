"""`incentive_salience_kappa`: a cue's wanting is recomputed from the current state, for the
relevant cue only, without relearning, and apart from liking.

Zhang, Berridge, Tindell, Smith & Aldridge 2009, PLoS Comput Biol 5:e1000437 [C]; Robinson &
Berridge 2013, Curr Biol 23:282 (a Dead Sea salt CS attractive on first re-encounter in
sodium appetite) [R]; Wyvell & Berridge 2001, J Neurosci 21:7831 (sensitisation raises
cue-triggered wanting of sucrose, not its liking) [R]. Protocol
(``scenarios/reference/incentive_salience_kappa.toml``): cues A (sucrose), B (food) and C
(intensely salty solution), 30 pairings each; 7 daily injections (amphetamine 2 mg/kg or
vehicle); 14 drug-free days; the first extinction presentation of A, B and C, then 3
sucrose deliveries (liking). Arms: control; the incentive gain of sucrose cues clamped at
2 during the test; sodium appetite during the test; sensitised (amphetamine injections).

Checks (REFERENCES.md entry 13), each on the first test presentation (no learning has
happened yet in the test), as ratios of arm means:

* clamping the gain of sucrose from 1 to 2 doubles A's wanting (2 +- 10%) and changes
  B's by <= 5%;
* C, paired with the disliked salt, is repulsive in control (wanting < 0) and attractive
  in sodium appetite (> 0), a state never experienced, before the salt is tasted again;
  sodium appetite leaves A's wanting within 5%;
* sensitisation raises A's wanting (>= 1.2x control) and does not raise sucrose's liking
  by more than 10%.

Mechanism under test (``brain.incentive``): ``W_c = incentive_attribution * kappa_c *
(V_c + shift_c)``, with the gain and the need-dependent worth read from the state at the
moment the cue appears.
"""

from __future__ import annotations

import numpy as np

from ..scorecard import Check, Expectation, Result
from . import _common

SPECIES = "rat"
SOURCE = "Zhang et al. 2009; Robinson & Berridge 2013; Wyvell & Berridge 2001"
MODELS = {"default": Expectation(note="state-dependent incentive gain and need-dependent worth "
                                      "at cue time (brain.incentive)")}
QUICK_SUBJECTS = 400
NAME = "incentive_salience_kappa"
ARMS = ("control", "kappa 2 on sucrose", "sodium appetite", "sensitised")


def measures(model: str = "default", *, quick: bool = False) -> dict[str, float]:
    ds = _common.run(NAME, model, quick=quick, quick_subjects=QUICK_SUBJECTS,
                     record="episode")
    tt = ds.trial_type.values
    test = ds.phase.values == "test"
    arm = ds.arm.values

    def first(label: str) -> int:
        return int(np.flatnonzero(test & (tt == label))[0])

    want = {c: ds.wanting.values[:, first(f"{c}- test")] for c in "ABC"}
    liking_eps = np.flatnonzero(test & (ds.natural_taken.values.any(axis=0)))
    liking = ds.liking.values[:, liking_eps].mean(axis=1)

    def mean(x, a):
        return float(x[arm == a].mean())

    out = {f"wanting_{c}_{a.replace(' ', '_')}": mean(want[c], a) for c in "ABC" for a in ARMS}
    out.update({f"liking_sucrose_{a.replace(' ', '_')}": mean(liking, a) for a in ARMS})
    r = _common.ratio
    out.update({
        "kappa_target_A_ratio": r(mean(want["A"], ARMS[1]), mean(want["A"], ARMS[0])),
        "kappa_other_B_ratio": r(mean(want["B"], ARMS[1]), mean(want["B"], ARMS[0])),
        "salt_cs_wanting_control": mean(want["C"], ARMS[0]),
        "salt_cs_wanting_sodium_appetite": mean(want["C"], ARMS[2]),
        "salt_cs_attractive_share_appetite": float((want["C"][arm == ARMS[2]] > 0).mean()),
        "appetite_other_A_ratio": r(mean(want["A"], ARMS[2]), mean(want["A"], ARMS[0])),
        "sensitised_wanting_A_ratio": r(mean(want["A"], ARMS[3]), mean(want["A"], ARMS[0])),
        "sensitised_liking_ratio": r(mean(liking, ARMS[3]), mean(liking, ARMS[0])),
        "sensitization_sensitised_arm": mean(ds.sensitization.values[:, -1], ARMS[3]),
        "subjects": int(ds.sizes["subject"]),
        "seed": int(ds.attrs["seed"]),
    })
    return out


def run(model: str, *, quick: bool = False) -> Result:
    m = measures(model, quick=quick)
    checks = [
        Check("kappa_target_A_ratio", m["kappa_target_A_ratio"], 1.8, 2.2),
        Check("kappa_other_B_ratio", m["kappa_other_B_ratio"], 0.95, 1.05),
        Check("salt_cs_wanting_control", m["salt_cs_wanting_control"], None, 0.0),
        Check("salt_cs_wanting_sodium_appetite", m["salt_cs_wanting_sodium_appetite"], 0.0, None),
        Check("appetite_other_A_ratio", m["appetite_other_A_ratio"], 0.95, 1.05),
        Check("sensitised_wanting_A_ratio", m["sensitised_wanting_A_ratio"], 1.2, None),
        Check("sensitised_liking_ratio", m["sensitised_liking_ratio"], None, 1.10),
    ]
    return Result(checks=checks, subjects=int(m["subjects"]), seed=int(m["seed"]))
