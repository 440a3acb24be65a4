"""`punishment_resistance`: after extended cocaine use a minority of rats keep seeking despite
punishment; after limited use, and after as much sucrose, nearly all stop.

Vanderschuren & Everitt 2004, Science 305:1017 [C]; Pelloux, Everitt & Dickinson 2007,
Psychopharmacology 194:127 [C]; Chen et al. 2013, Nature 496:359 [C]. Protocol
(``scenarios/reference/punishment_resistance.toml``): a seeking-taking chain
(``world.tasks.seek_take``) learned over 8 sessions of 10 cycles; 14 days of extended access
to it (80 cycles a day) or one cycle a day (limited); 5 baseline sessions; a tone paired with
footshock; a session with the tone on during seeking; 8 sessions in which half the seeking
links end in a 0.5 mA footshock instead of access; 4 more punished sessions, with the
prefrontal cortex stimulated (gain 3) or inhibited (gain 0.3) in two further extended-cocaine
arms.

Seeking is the share of cycles with a press on the seeking lever; a subject's suppression
is ``1 - punished / baseline``, the punished rate taken over punished sessions 2-8 (the first
is spent learning that seeking is now punished).

Mechanism under test (``brain.prefrontal``): a habit learns slowly that it is punished when
D2 receptors are scarce, and the prefrontal veto brings the predicted punishment to bear on
it; drug exposure erodes the veto, steeply in the vulnerable.

Checks (REFERENCES.md entry 16):

* limited cocaine: >= 90% of agents reduce seeking by >= 70%;
* extended cocaine: 15-30% of agents reduce it by <= 30% (the resistant subgroup);
* extended sucrose: >= 90% still reduce it by >= 70%;
* the resistant agents' fear learning is intact: the tone's learned value at its pairings with
  shock is negative.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..scorecard import Check, Expectation, Result
from . import _common

SPECIES = "rat"
SOURCE = "Vanderschuren & Everitt 2004; Pelloux, Everitt & Dickinson 2007; Chen et al. 2013"
MODELS = {"default": Expectation(note="the prefrontal veto on punished habits, eroded by drug "
                                      "exposure; D2 loss slows learning from punishment")}
NAME = "punishment_resistance"
QUICK_SUBJECTS = 300
ARMS = ("limited cocaine", "extended cocaine", "extended sucrose",
        "extended cocaine, prefrontal stimulation", "extended cocaine, prefrontal inhibition")
#: suppression at or above which a subject stopped, at or below which it resisted
STOPPED, RESISTED = 0.7, 0.3


def seeking(ds: xr.Dataset) -> np.ndarray:
    """Per subject and day of seek-take sessions, the share of cycles with a seeking press
    (NaN on days without episodes). Each cycle is a seek and a take episode; every take press
    delivers, so seeking presses are slot-1 presses less deliveries."""
    takes = ds.drug_taken.values + ds.natural_taken.values
    cycles = ds.n_episodes.values / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(cycles > 0, (ds.seek.values - takes) / cycles, np.nan)


def days_of(ds: xr.Dataset, phase: str) -> np.ndarray:
    return np.flatnonzero(ds.phase.values == phase)


def arm_measures(ds: xr.Dataset, arm: str) -> dict[str, np.ndarray]:
    """Per-subject measures of one arm."""
    a = ds.isel(subject=np.flatnonzero(ds.arm.values == arm))
    rate = seeking(a)
    base = np.nanmean(rate[:, days_of(a, "baseline")], axis=1)
    pun = np.nanmean(rate[:, days_of(a, "punished")[1:]], axis=1)
    manip = np.nanmean(rate[:, days_of(a, "manipulation")], axis=1)
    cs = np.nanmean(rate[:, days_of(a, "aversive-cue")], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        supp = 1.0 - pun / base
    first = days_of(a, "training")[0]
    return {
        "baseline": base, "punished": pun, "manipulation": manip, "aversive_cue": cs,
        "suppression": supp,
        "cs_suppression": 1.0 - cs / base,
        "tone_fear": a.fear.values[:, days_of(a, "fear-conditioning")[0]],
        "pfc_naive": a.pfc_control.values[:, first],
        "pfc_baseline": np.nanmean(a.pfc_control.values[:, days_of(a, "baseline")], axis=1),
        "pfc_manipulation": np.nanmean(a.pfc_control.values[:, days_of(a, "manipulation")],
                                       axis=1),
        "d2": np.nanmean(a.receptor_availability.values[:, days_of(a, "baseline")], axis=1),
        "habit": np.nanmean(a.habit_weight.values[:, days_of(a, "baseline")], axis=1),
    }


def run_dataset(model: str = "default", *, quick: bool = False) -> xr.Dataset:
    return _common.run(NAME, model, quick=quick, quick_subjects=QUICK_SUBJECTS, record="daily")


def measures(model: str = "default", *, quick: bool = False) -> dict[str, float]:
    ds = run_dataset(model, quick=quick)
    per = {arm: arm_measures(ds, arm) for arm in ARMS}
    lim, ext, suc = (per[a] for a in ARMS[:3])
    resistant = ext["suppression"] <= RESISTED
    out = {
        "limited_stopped_share": float(np.mean(lim["suppression"] >= STOPPED)),
        "extended_resistant_share": float(np.mean(resistant)),
        "extended_stopped_share": float(np.mean(ext["suppression"] >= STOPPED)),
        "sucrose_stopped_share": float(np.mean(suc["suppression"] >= STOPPED)),
        "limited_median_suppression": float(np.nanmedian(lim["suppression"])),
        "extended_median_suppression": float(np.nanmedian(ext["suppression"])),
        "sucrose_median_suppression": float(np.nanmedian(suc["suppression"])),
        "resistant_tone_fear": float(np.nanmean(ext["tone_fear"][resistant])),
        "others_tone_fear": float(np.nanmean(ext["tone_fear"][~resistant])),
        "limited_cs_suppression": float(np.nanmedian(lim["cs_suppression"])),
        "extended_cs_suppression": float(np.nanmedian(ext["cs_suppression"])),
        "resistant_cs_suppression": float(np.nanmedian(ext["cs_suppression"][resistant])),
        "subjects": int(ds.sizes["subject"]),
        "seed": int(ds.attrs["seed"]),
    }
    # the prefrontal manipulations (Chen et al. 2013), against the time-matched change in the
    # unmanipulated extended arm: resistant and borderline agents classified on the punished
    # sessions before the manipulation
    def change(arm: str, group: str) -> float:
        x = per[arm]
        s = x["suppression"]
        sel = s <= RESISTED if group == "resistant" else (s > RESISTED) & (s < STOPPED)
        return _common.ratio(np.nanmean(x["manipulation"][sel]), np.nanmean(x["punished"][sel]))

    for group in ("resistant", "borderline"):
        ctl = change("extended cocaine", group)
        out[f"{group}_sham_change"] = ctl
        out[f"{group}_stimulation_change"] = change(ARMS[3], group)
        out[f"{group}_inhibition_change"] = change(ARMS[4], group)
        out[f"{group}_stimulation_over_sham"] = _common.ratio(change(ARMS[3], group), ctl)
        out[f"{group}_inhibition_over_sham"] = _common.ratio(change(ARMS[4], group), ctl)
    drop = ext["pfc_naive"] - ext["pfc_baseline"]
    out.update({
        "pfc_limited": float(np.mean(lim["pfc_baseline"])),
        "pfc_extended": float(np.mean(ext["pfc_baseline"])),
        "pfc_drop_resistant": float(np.mean(drop[resistant])),
        "pfc_drop_others": float(np.mean(drop[~resistant])),
        "resistant_over_others_tone_fear": _common.ratio(out["resistant_tone_fear"],
                                                         out["others_tone_fear"]),
    })
    return out


def run(model: str, *, quick: bool = False) -> Result:
    m = measures(model, quick=quick)
    checks = [
        Check("limited_cocaine_share_suppressed_70pct", m["limited_stopped_share"], 0.9, None),
        Check("extended_cocaine_share_suppressed_at_most_30pct", m["extended_resistant_share"],
              0.15, 0.30),
        Check("extended_sucrose_share_suppressed_70pct", m["sucrose_stopped_share"], 0.9, None),
        # fear learning intact: the tone predicts punishment (reward units; 0 if unlearned)
        Check("resistant_agents_tone_fear", m["resistant_tone_fear"], 0.1, None),
    ]
    return Result(checks=checks, subjects=int(m["subjects"]), seed=int(m["seed"]))
