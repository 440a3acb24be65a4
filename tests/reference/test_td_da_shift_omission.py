"""REFERENCES.md entry 1, `td_da_shift_omission`.

Schultz, Dayan & Montague 1997, Science 275:1593 [C]; Hollerman & Schultz 1998,
Nat Neurosci 1:304 [R]; Fiorillo, Tobler & Schultz 2003, Science 299:1898 [C].
Bands (from the entry): delta(US) after learning <= 10% of trial-1 delta(US);
delta(CS) >= 80% of it (or gamma^dt x 80%); omission <= -0.8 r; early/late
reward gives a burst at the new time and a dip at the old [R: timing details];
delta(CS) monotonic in p (Spearman 1); delta(US | reward) = (1 - p) r +- 10%.
Burst latencies, durations and tonic rates are [R] and not checked. The
protocol's only randomness is partial reinforcement; the means are over 200
subjects (40 without --full), and the probability-coding check's standard error is tested
below (with --full).
"""

import numpy as np
import pytest

from addictsim.analysis.experiments import td_da_shift_omission as exp
from addictsim.analysis.scorecard import Status, run_entry

from ._rows import QUICK


def test_default_model_passes_every_check():
    (row,) = run_entry("td_da_shift_omission", models=["default"], quick=QUICK)
    failing = [(c.name, c.simulated, c.low, c.high) for c in row.checks if not c.passed]
    assert row.status is Status.PASS, failing
    assert len(row.checks) == 9 and row.species == "human"
    assert row.subjects == (40 if QUICK else 200)


def test_pure_td_comparison_model_also_passes():
    (row,) = run_entry("td_da_shift_omission", models=["td"], quick=QUICK)
    assert row.status is Status.PASS


@pytest.mark.full
def test_probability_coding_margin_exceeds_standard_errors():
    """delta(US | reward) - (1 - p) r, per subject: its mean is far inside the 10% band."""
    ds = exp._common.run(exp.NAME, "default", quick=False, quick_subjects=0, record="episode")
    tt = ds.trial_type.values.astype(str)
    r = float(ds.da_outcome.values[:, 0].mean())
    for cue, p in (("P25+", 0.25), ("P50+", 0.5), ("P75+", 0.75)):
        idx = np.flatnonzero(np.char.startswith(tt, cue))[100:]
        taken = ds.natural_taken.values[:, idx]
        per_subject = np.array([ds.da_outcome.values[s, idx][taken[s]].mean()
                                for s in range(ds.sizes["subject"])])
        err = (per_subject - (1 - p) * r) / r
        se = err.std(ddof=1) / np.sqrt(len(err))
        assert abs(err.mean()) + 2 * se < 0.10
