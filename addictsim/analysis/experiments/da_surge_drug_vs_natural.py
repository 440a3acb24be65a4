"""`da_surge_drug_vs_natural`: drugs raise accumbens dopamine more than natural rewards do.

Di Chiara & Imperato 1988, PNAS 85:5274 [C]; Hernandez & Hoebel 1988 [C]; Desai et al. 2010 [C];
Fiorino, Coury & Phillips 1997, J Neurosci 17:4849 [C]; Rossetti et al. 1993 [C]. Protocol
(``scenarios/reference/da_surge_drug_vs_natural.toml``, rat): microdialysis (samples every
10 min, 30 min baseline, 3 h after the dose) around one standard dose of each stimulus (sex,
food, nicotine, ethanol, morphine, cocaine, amphetamine), one phase each, 3 rest days between so
levels clear; then 12 sexual encounters 10 min apart (satiety) followed at once by a food pellet,
12 days of daily cocaine, and cocaine at 0.25, 1, 3 and 10 mg/kg. The peak is the maximum of
``da_extracellular_pct`` over the phase (dorsal: ``da_dorsal_pct``), mean over subjects.

Checks (REFERENCES.md entry 5): each stimulus's peak in its band; the ordering amphetamine >
cocaine > max(morphine, nicotine, ethanol) and min(morphine, nicotine, ethanol) >= sex >= food
(as differences >= 0); ventral/dorsal peak ratio > 1 for every drug (the minimum over drugs);
the response to the last sexual encounter at satiety <= 120%; recovery with novelty: a
different natural reward (food) right after satiety gives >= 80% of its fresh response. The
model's satiety is outcome-specific, so a different reward stands in for Fiorino's novel
female (no partner identity is modelled). Tolerance: cocaine peak on day 12 / day 1 >= 0.8.
Dose-response: the smallest step between successive cocaine doses >= 0 (non-decreasing).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..scorecard import Check, Expectation, Result
from . import _common

SPECIES = "rat"
SOURCE = "Di Chiara & Imperato 1988, PNAS 85:5274"
MODELS = {"default": Expectation(note="saturating drug-specific surge; outcome-specific satiety "
                                      "for natural rewards")}

# phase -> (reinforcer, kind, band)
STIMULI = {
    "sex": ("sex", "natural", (150.0, 210.0)),
    "food": ("food", "natural", (130.0, 160.0)),
    "nicotine": ("nicotine", "drug", (150.0, 250.0)),
    "ethanol": ("alcohol", "drug", (130.0, 250.0)),
    "morphine": ("morphine", "drug", (150.0, 300.0)),
    "cocaine": ("cocaine", "drug", (250.0, 600.0)),
    "amphetamine": ("amphetamine", "drug", (500.0, 1300.0)),
}
DOSES = ("cocaine 0.25", "cocaine 1", "cocaine 3", "cocaine 10")
QUICK_SUBJECTS = 6


def _simulate(model: str, quick: bool):
    return _common.run("da_surge_drug_vs_natural", model, quick=quick,
                       quick_subjects=QUICK_SUBJECTS, record="episode")


def _peaks(ds) -> tuple[dict[str, float], dict[str, float]]:
    ph = ds.phase.values
    v, d = ds.da_extracellular_pct.values, ds.da_dorsal_pct.values
    ven = {p: float(v[:, ph == p].max(1).mean()) for p in dict.fromkeys(ph)}
    dor = {p: float(d[:, ph == p].max(1).mean()) for p in dict.fromkeys(ph)}
    return ven, dor


def dopamine_by_drug(quick: bool = False, model: str = "default") -> pd.DataFrame:
    """Peak accumbens and dorsal dopamine (% of baseline) per stimulus, with the bands."""
    ven, dor = _peaks(_simulate(model, quick))
    rows = [{"reinforcer": r, "kind": kind, "peak_pct": ven[p], "dorsal_pct": dor[p],
             "band_low": band[0], "band_high": band[1]}
            for p, (r, kind, band) in STIMULI.items()]
    return pd.DataFrame(rows, columns=["reinforcer", "kind", "peak_pct", "dorsal_pct",
                                       "band_low", "band_high"])


def measures(model: str = "default", *, quick: bool = False) -> dict[str, float]:
    ds = _simulate(model, quick)
    ven, dor = _peaks(ds)
    ph, tt = ds.phase.values, ds.trial_type.values
    v = ds.da_extracellular_pct.values
    out = {f"peak_{p}": ven[p] for p in STIMULI}
    mid = [ven["morphine"], ven["nicotine"], ven["ethanol"]]
    out["amphetamine_minus_cocaine"] = ven["amphetamine"] - ven["cocaine"]
    out["cocaine_minus_max_mid"] = ven["cocaine"] - max(mid)
    out["min_mid_minus_sex"] = min(mid) - ven["sex"]
    out["sex_minus_food"] = ven["sex"] - ven["food"]
    out["min_ventral_over_dorsal_drugs"] = min(ven[p] / dor[p] for p, (_, k, _) in STIMULI.items()
                                               if k == "drug")
    sat = np.flatnonzero((ph == "sex satiety") & (tt == "dose"))
    out["sex_at_satiety_pct"] = float(v[:, sat[-1]].mean())
    nov = np.flatnonzero((ph == "novelty") & (tt == "dose"))[0]
    fresh = np.flatnonzero((ph == "food") & (tt == "dose"))[0]
    out["novel_reward_response_over_fresh"] = float(
        (v[:, nov] - v[:, nov - 1]).mean() / (v[:, fresh] - v[:, fresh - 1]).mean())
    m = ph == "cocaine daily"
    di = ds.day_index.values[m]
    days = np.unique(di)
    daily = v[:, m]
    out["cocaine_peak_day12_over_day1"] = float(daily[:, di == days[-1]].max(1).mean()
                                                / daily[:, di == days[0]].max(1).mean())
    curve = [ven[p] for p in DOSES]
    out["cocaine_dose_response_min_step"] = float(np.diff(curve).min())
    out["subjects"] = ds.sizes["subject"]
    out["seed"] = int(ds.attrs["seed"])
    return out


def run(model: str, *, quick: bool = False) -> Result:
    m = measures(model, quick=quick)
    checks = [Check(f"peak_{p}_pct", m[f"peak_{p}"], *band) for p, (_, _, band) in STIMULI.items()]
    checks += [
        Check("amphetamine_minus_cocaine", m["amphetamine_minus_cocaine"], 0.0, None),
        Check("cocaine_minus_max_morphine_nicotine_ethanol", m["cocaine_minus_max_mid"], 0.0, None),
        Check("min_morphine_nicotine_ethanol_minus_sex", m["min_mid_minus_sex"], 0.0, None),
        Check("sex_minus_food", m["sex_minus_food"], 0.0, None),
        Check("min_ventral_over_dorsal_drugs", m["min_ventral_over_dorsal_drugs"], 1.0, None),
        Check("sex_at_satiety_pct", m["sex_at_satiety_pct"], None, 120.0),
        Check("novel_reward_response_over_fresh", m["novel_reward_response_over_fresh"], 0.8, None),
        Check("cocaine_peak_day12_over_day1", m["cocaine_peak_day12_over_day1"], 0.8, None),
        Check("cocaine_dose_response_min_step", m["cocaine_dose_response_min_step"], 0.0, None),
    ]
    return Result(checks=checks, subjects=int(m["subjects"]), seed=m["seed"])
