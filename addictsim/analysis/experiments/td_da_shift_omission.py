"""`td_da_shift_omission`: the phasic dopamine response moves from reward to cue.

Schultz, Dayan & Montague 1997, Science 275:1593 [C]; Hollerman & Schultz 1998,
Nat Neurosci 1:304 (timing) [R]; Fiorillo, Tobler & Schultz 2003, Science
299:1898 (probability) [C]. Protocol: juice 1.5 s after a cue, 200 trials;
occasional probe trials (6 of each among 200 normal trials) with the juice
omitted or delivered 0.5 s early or late; five
cues predicting juice with p = 0, 0.25, 0.5, 0.75, 1.

Checks (REFERENCES.md entry 1; the burst latencies and tonic rates there are
[R] and not checked): after learning, delta at the US <= 10% of trial-1
delta(US) and delta at the CS >= 80% of it; omission: delta at the expected
time <= -0.8 r; early and late juice: a positive error at the new time and a
negative one at the habitual time; delta(CS) monotonic in p (Spearman 1) and
delta(US | reward) = (1 - p) r within 10% of r. Population values over 200
subjects (the protocol has no randomness except partial reinforcement).
"""

from __future__ import annotations

import numpy as np

from ...brain.params import BIN_S
from ..scorecard import Check, Expectation, Result
from . import _common

SPECIES = "human"
SOURCE = "Schultz, Dayan & Montague 1997; Hollerman & Schultz 1998; Fiorillo, Tobler & Schultz 2003"
MODELS = {
    "default": Expectation(),
    "td": Expectation(note="comparison model: pure TD also passes (no drug in this protocol)"),
}
NAME = "td_da_shift_omission"


def run(model: str, *, quick: bool = False) -> Result:
    ds = _common.run(NAME, model, quick=quick, quick_subjects=40, record="episode", trace=True,
                     precision="float64")
    tt = ds.trial_type.values
    phase = ds.phase.values
    da_cue = ds.da_cue.values
    da_out = ds.da_outcome.values
    phasic = ds.da_phasic.values                   # (subject, episode, bin)
    old_bin = int(round(1.5 / BIN_S))
    train = np.flatnonzero(phase == "training")
    r = float(da_out[:, train[0]].mean())          # trial-1 delta(US) = r (nothing predicted yet)
    late = train[-20:]
    us_end = float(da_out[:, late].mean())
    cs_end = float(da_cue[:, late].mean())

    gamma = float(ds["param_gamma"].values[0])
    omit = tt == "A- test"
    early = tt == "A+ delay=1s test"
    late_tr = tt == "A+ delay=2s test"
    omission = float(da_out[:, omit].mean())
    early_new = float(phasic[:, early, int(round(1.0 / BIN_S))].mean())
    early_old = float(phasic[:, early, old_bin].mean())
    late_new = float(phasic[:, late_tr, int(round(2.0 / BIN_S))].mean())
    late_old = float(phasic[:, late_tr, old_bin].mean())

    levels = [("P0", 0.0), ("P25", 0.25), ("P50", 0.5), ("P75", 0.75), ("P100", 1.0)]
    cs_by_p, us_err = [], []
    for cue, p in levels:
        idx = np.flatnonzero(np.char.startswith(tt.astype(str), cue + ("+" if p else "-")))
        idx = idx[len(idx) // 2:]                  # the learned half
        cs_by_p.append(float(da_cue[:, idx].mean()))
        if p > 0:
            taken = ds.natural_taken.values[:, idx]
            us = float(da_out[:, idx][taken].mean())
            us_err.append(abs(us - (1 - p) * r) / r)
    checks = [
        Check("us_after_learning_over_trial1_us", us_end / r, None, 0.10),
        # ">= 80% of trial-1 delta(US), or >= gamma^dt x 80%" (REFERENCES.md): the CS is
        # dt = 1.5 s (3 bins) before the US, so its error is discounted by gamma^3
        Check("cs_after_learning_over_trial1_us", cs_end / r, 0.80 * gamma ** old_bin, None),
        Check("omission_delta_at_expected_time_over_r", omission / r, None, -0.80),
        Check("early_reward_delta_at_new_time", early_new, 1e-3, None),
        Check("early_reward_delta_at_habitual_time", early_old, None, -1e-3),
        Check("late_reward_delta_at_new_time", late_new, 1e-3, None),
        Check("late_reward_delta_at_habitual_time", late_old, None, -1e-3),
        Check("spearman_cs_delta_vs_probability", _common.spearman([p for _, p in levels], cs_by_p),
              0.999, None),
        Check("max_abs_us_delta_minus_(1-p)r_over_r", max(us_err), None, 0.10),
    ]
    return Result(checks=checks, subjects=ds.sizes["subject"], seed=int(ds.attrs["seed"]))
