"""`withdrawal_hypodopaminergic`: stopping chronic drug drops accumbens dopamine below baseline.

Rossetti, Hmaidan & Gessa 1992, Eur J Pharmacol 221:227 [C]; Rossetti et al. 1992, Alcohol Clin
Exp Res 16:529 [C]; Diana et al. 1993, PNAS 90:7966 [C]. Protocol
(``scenarios/reference/withdrawal_<drug>.toml``, one per drug, rat): a food pellet under
dialysis before any drug, 3 rest days, a chronic regimen (ethanol 3 g/kg every 6 h for 6
days; morphine 20 mg/kg every 6 h for 6 days; cocaine 1 mg/kg every 30 min round the clock for
10 days, about the daily dose of a minipump; amphetamine 5 mg/kg three times a day for 6 days),
then abrupt cessation with home-cage samples every 15 min for two weeks. Near the time of the
maximal fall three arms, on the same timeline, get a challenge: the drug (ethanol 1 g/kg,
morphine 5 mg/kg, cocaine 10 mg/kg, amphetamine 1 mg/kg), a negligible dose ("vehicle") or a
food pellet. The time course is read from the vehicle arm.

Checks (REFERENCES.md entry 6), per drug: the minimum of tonic accumbens dopamine after the last
dose <= 80% of the pre-drug baseline; the onset, the time after the last dose to reach half of
the eventual maximal fall, <= 12 h for ethanol and morphine and > 24 h for cocaine; dopamine
back to >= 90% within 14 days of the last dose; the drug challenge restores dopamine to >= 100%
and lowers ``withdrawal`` by >= 50% (first sample after the dose against the last sample
before it); a food pellet during withdrawal raises dopamine by less than the same pellet before
exposure (ratio of increments <= 1).

The onset of each drug is its own: the deficit is expressed through a two-stage cascade
whose mean delay is the drug's ``withdrawal_onset_h`` (48 h for cocaine, 3-8 h for ethanol,
opiates and amphetamine; ``brain.receptors``), and how fast the drug itself is cleared adds
to it (ethanol at 3 g/kg takes hours to clear).
"""

from __future__ import annotations

import numpy as np

from ..scorecard import Check, Expectation, Result
from . import _common

SPECIES = "rat"
SOURCE = "Rossetti et al. 1992, Eur J Pharmacol 221:227"
MODELS = {"default": Expectation(note="opponent adaptation leaves a dopamine deficit once the "
                                      "drug is gone")}

DRUGS = ("ethanol", "morphine", "cocaine", "amphetamine")
QUICK_SUBJECTS = 6


def measures(drug: str, model: str = "default", *, quick: bool = False) -> dict[str, float]:
    ds = _common.run(f"withdrawal_{drug}", model, quick=quick, quick_subjects=QUICK_SUBJECTS,
                     record="episode")
    ph, tt, day, arm = (ds.phase.values, ds.trial_type.values, ds.day.values, ds.arm.values)
    da_all, w_all = ds.da_extracellular_pct.values, ds.withdrawal.values
    da = da_all[arm == "vehicle"].mean(0)
    last = day[(tt == "dose") & (ph == "chronic")].max()
    hours = (day - last) * 24.0
    after = hours > 0
    i = int(np.argmin(np.where(after, da, np.inf)))
    low = float(da[i])
    half = 100.0 - 0.5 * (100.0 - low)
    onset = float(hours[np.flatnonzero(after & (da <= half))[0]])
    back = np.flatnonzero(after & (hours > hours[i]) & (da >= 90.0))
    recover_d = float(hours[back[0]] / 24.0) if back.size else float("inf")
    ch = int(np.flatnonzero((ph == "challenge") & (tt == "dose"))[0])
    drug = arm == "drug"
    da_d = da_all[drug].mean(0)
    w_before = w_all[drug][:, ch - 1].mean()
    w_after = w_all[drug][:, ch + 1].mean()
    food = arm == "food"
    pre = np.flatnonzero(ph == "pre-exposure food")
    pre_dose = pre[tt[pre] == "dose"][0]
    fd = da_all[food]
    inc_pre = (fd[:, pre_dose] - fd[:, pre_dose - 1]).mean()
    inc_wd = (fd[:, ch] - fd[:, ch - 1]).mean()
    return {
        "min_da_pct": low,
        "hours_to_min": float(hours[i]),
        "onset_h": onset,
        "days_to_90pct": recover_d,
        "challenge_da_pct": float(da_d[ch + 1:ch + 5].max()),
        "withdrawal_reduction": float(1.0 - w_after / w_before) if w_before > 0 else float("nan"),
        "food_increment_withdrawal_over_pre": float(inc_wd / inc_pre),
        "subjects": ds.sizes["subject"],
        "seed": int(ds.attrs["seed"]),
    }


def run(model: str, *, quick: bool = False) -> Result:
    checks: list[Check] = []
    subjects = 0
    seed = 0
    for drug in DRUGS:
        m = measures(drug, model, quick=quick)
        subjects, seed = subjects + int(m["subjects"]), m["seed"]
        checks.append(Check(f"{drug}_min_da_pct", m["min_da_pct"], None, 80.0))
        if drug in ("ethanol", "morphine"):
            checks.append(Check(f"{drug}_onset_h", m["onset_h"], None, 12.0))
        elif drug == "cocaine":
            checks.append(Check("cocaine_onset_h", m["onset_h"], 24.0, None))
        checks += [
            Check(f"{drug}_days_to_90pct", m["days_to_90pct"], None, 14.0),
            Check(f"{drug}_challenge_da_pct", m["challenge_da_pct"], 100.0, None),
            Check(f"{drug}_challenge_withdrawal_reduction", m["withdrawal_reduction"], 0.5, None),
            Check(f"{drug}_food_increment_withdrawal_over_pre",
                  m["food_increment_withdrawal_over_pre"], None, 1.0),
        ]
    return Result(checks=checks, subjects=subjects, seed=seed)
