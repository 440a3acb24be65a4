"""`delay_discounting`: people who use cocaine or heroin discount delayed rewards more
steeply, and their drug more steeply than money; people long abstinent discount like those
who never used.

Kirby, Petry & Bickel 1999, J Exp Psychol Gen 128:78 [C]; Kirby & Petry 2004, Addiction
99:461 [C]; Madden, Petry, Badger & Bickel
1997, Exp Clin Psychopharmacol 5:256 [C]; Bickel, Odum & Madden 1999, Psychopharmacology
146:447 [C]; MacKillop et al. 2011, Psychopharmacology 216:305 [C]. Protocol
(``scenarios/reference/delay_discounting.toml``, human): money experience; two 30-day
periods of daily 6-h access to a reward, five years apart (cocaine in the first for the
ex-users, in the second for the cocaine users, heroin in the second for the heroin users,
a snack otherwise); the next day, described choices between money now and 1000 points
later, and the drug now and 5 doses later, at 7 delays (1 week to 25 years), each
titrated over 6 choices.

Analysis (``analysis.discounting``): indifference points replayed from the choices;
hyperbolic and exponential least-squares fits per subject; ``k`` is the hyperbolic rate.

Checks (REFERENCES.md entry 36):

* the hyperbolic fit beats the exponential in >= 80% of agents (money choices, all arms);
* current users' money k over controls' (ratio of medians) within 1.5-3, Cohen's d on
  ln k within 0.45-0.75, for cocaine users (Kirby & Petry 2004) and for heroin users
  (Kirby et al. 1999);
* within current users of each drug, median k for the drug over k for money >= 1.5;
* ex-users' median money k <= current users' and within 25% of controls'.

Mechanism under test (``brain.discounting``): a population of exponential discounters
whose mean is hyperbolic (Kurth-Nelson & Redish 2009), its rate raised by the allostatic
load that long drug exposure builds and abstinence removes; a drug offered now carries
the homeostatic relief it would bring in the present state, a delayed one does not.
"""

from __future__ import annotations

import numpy as np

from .. import discounting
from ..scorecard import Check, Expectation, Result
from ..stats import cohens_d
from . import _common

SPECIES = "human"
SOURCE = "Kirby, Petry & Bickel 1999; Madden et al. 1997; Bickel, Odum & Madden 1999"
MODELS = {"default": Expectation(note="micro-agent discounting (mean hyperbolic), rate raised "
                                      "by the allostatic load; relief of a drug offered now")}
QUICK_SUBJECTS = 200
NAME = "delay_discounting"
ARMS = ("control", "cocaine users", "ex-users", "heroin users")


def measures(model: str = "default", *, quick: bool = False) -> dict[str, float]:
    ds = _common.run(NAME, model, quick=quick, quick_subjects=QUICK_SUBJECTS,
                     record="episode")
    arm = ds.arm.values
    delays, money = discounting.indifference_points(ds, phase="money-choices")
    _, drug = discounting.indifference_points(ds, phase="drug-choices")
    fm = discounting.fit(delays, money)
    fd = discounting.fit(delays, drug)
    lk = np.log(fm.k_hyperbolic)
    first = int(np.flatnonzero(ds.phase.values == "money-choices")[0])
    auc = discounting.area_under_curve(delays, money)

    def med(x, a):
        return float(np.median(x[arm == a]))

    def key(a):
        return a.replace(" ", "_").replace("-", "_")

    out: dict[str, float] = {}
    for a in ARMS:
        out[f"k_money_{key(a)}"] = med(fm.k_hyperbolic, a)
        out[f"auc_money_{key(a)}"] = med(auc, a)
        # the homeostatic setpoint at the choices, h* = setpoint0 (1 + load): the load
        out[f"drug_setpoint_{key(a)}"] = med(ds.drug_setpoint.values[:, first], a)
        if a != "control":
            out[f"k_drug_{key(a)}"] = med(fd.k_hyperbolic, a)
    r = _common.ratio
    cur, ctl, her = (arm == a for a in ("cocaine users", "control", "heroin users"))
    out.update({
        "hyperbolic_better_share": float(fm.hyperbolic_better.mean()),
        "hyperbolic_better_share_drug": float(fd.hyperbolic_better[~ctl].mean()),
        "median_r2_hyperbolic": float(np.nanmedian(fm.r2_hyperbolic)),
        "k_ratio_users_controls": r(out["k_money_cocaine_users"], out["k_money_control"]),
        "cohens_d_ln_k": cohens_d(lk[cur], lk[ctl]),
        "k_drug_over_money_users": r(out["k_drug_cocaine_users"],
                                     out["k_money_cocaine_users"]),
        "k_ratio_ex_users_controls": r(out["k_money_ex_users"], out["k_money_control"]),
        "k_ratio_ex_users_current": r(out["k_money_ex_users"], out["k_money_cocaine_users"]),
        "k_ratio_heroin_users_controls": r(out["k_money_heroin_users"],
                                           out["k_money_control"]),
        "cohens_d_ln_k_heroin": cohens_d(lk[her], lk[ctl]),
        "k_drug_over_money_heroin_users": r(out["k_drug_heroin_users"],
                                            out["k_money_heroin_users"]),
        "subjects": int(ds.sizes["subject"]),
        "seed": int(ds.attrs["seed"]),
    })
    return out


def run(model: str, *, quick: bool = False) -> Result:
    m = measures(model, quick=quick)
    checks = [
        Check("hyperbolic_better_share", m["hyperbolic_better_share"], 0.8, None),
        Check("k_ratio_users_controls", m["k_ratio_users_controls"], 1.5, 3.0),
        Check("cohens_d_ln_k", m["cohens_d_ln_k"], 0.45, 0.75),
        Check("k_drug_over_money_users", m["k_drug_over_money_users"], 1.5, None),
        Check("k_ratio_heroin_users_controls", m["k_ratio_heroin_users_controls"], 1.5, 3.0),
        Check("cohens_d_ln_k_heroin", m["cohens_d_ln_k_heroin"], 0.45, 0.75),
        Check("k_drug_over_money_heroin_users", m["k_drug_over_money_heroin_users"], 1.5,
              None),
        Check("k_ratio_ex_users_current", m["k_ratio_ex_users_current"], None, 1.0),
        Check("k_ratio_ex_users_controls", m["k_ratio_ex_users_controls"], 0.75, 1.25),
    ]
    return Result(checks=checks, subjects=int(m["subjects"]), seed=int(m["seed"]))
