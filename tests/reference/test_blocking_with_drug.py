"""REFERENCES.md entry 3, `blocking_with_drug`.

Panlilio, Thorndike & Schindler 2007, Pharmacol Biochem Behav 86:774 [C abstract];
Waelti, Dickinson & Schultz 2001, Nature 412:43 [C]; downshift thesis [C abstract].
Bands (from the entry, all [C] protocol with thresholds set by REFERENCES.md):
light's conditioned-reinforcer value, blocking <= 30% of control (cocaine and
food); new-lever responding for the light in the blocking group <= 1.2 x
inactive; unit-dose downshift lowers the drug's value by >= 25% within 10
sessions. The Redish 2004 comparison model must fail this entry.
200 subjects per arm; the blocking ratio's standard error is tested below (with --full).
"""

import numpy as np
import pytest

from addictsim.analysis.experiments import blocking_with_drug as exp
from addictsim.analysis.scorecard import Status, run_entry

from ._rows import QUICK


def test_default_model_shows_blocking_with_cocaine_and_food_and_downshift():
    (row,) = run_entry("blocking_with_drug", models=["default"], quick=QUICK)
    failing = [(c.name, c.simulated) for c in row.checks if not c.passed]
    assert row.status is Status.PASS, failing


@pytest.mark.full
def test_blocking_ratio_is_several_standard_errors_inside_the_band():
    # reads the run the test above simulated (experiments._common keeps the last runs)
    ds = exp._common.run("blocking_with_drug", "default", quick=False, quick_subjects=0,
                         record="episode")
    block = exp._light_value(ds, "cocaine-blocking")
    control = exp._light_value(ds, "cocaine-control")
    block, control = block[~np.isnan(block)], control[~np.isnan(control)]
    ratio = block.mean() / control.mean()
    # bootstrap standard error of the ratio of means, resampling subjects within each arm
    rng = np.random.default_rng(0)
    boots = [rng.choice(block, len(block)).mean() / rng.choice(control, len(control)).mean()
             for _ in range(500)]
    se = float(np.std(boots, ddof=1))
    assert ratio + 4 * se < 0.30
    assert len(block) > 150 and len(control) > 150


def test_redish2004_fails_and_says_so():
    (row,) = run_entry("blocking_with_drug", models=["redish2004"], quick=QUICK)
    assert row.status is Status.FAIL
    assert "expected to fail" in row.note
    by = {c.name: c for c in row.checks}
    assert not by["light_value_blocking_over_control_cocaine"].passed   # no blocking with drug
    assert not by["cue_value_after_downshift_over_before_cocaine"].passed
    assert by["light_value_blocking_over_control_food"].passed          # food still blocks
