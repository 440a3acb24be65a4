"""The addiction-like criteria (Deroche-Gamonet et al. 2004; ``analysis.criteria``) and the
signalled-unavailability task they need: top-third positives per group, scores 0-3, the
independent-criteria reference, and no-drug presses counted apart; bad input exits 2."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addictsim import load_scenario, simulate
from addictsim.analysis import criteria
from addictsim.world.schedule import compile_schedule
from addictsim.world.tasks.signalled_unavailability import NO_DRUG_CONTEXT


def test_the_top_third_of_each_group_is_positive_and_scores_count_criteria():
    x = np.arange(9, dtype=float)
    m = {"persistence": x, "motivation": x[::-1].copy(), "resistance": x}
    c = criteria.score(m)
    np.testing.assert_array_equal(c.positive["persistence"], x >= 6)
    np.testing.assert_array_equal(c.positive["motivation"], x <= 2)
    np.testing.assert_array_equal(c.score, np.where(x >= 6, 2, np.where(x <= 2, 1, 0)))
    # per group: each arm has its own top third
    g = np.array(["a"] * 6 + ["b"] * 3, dtype=object)
    c = criteria.score({k: np.r_[np.arange(6.0), np.arange(3.0)] for k in m}, g)
    assert c.positive["persistence"].tolist() == [False] * 4 + [True] * 2 + [False] * 2 + [True]


def test_ties_at_the_cut_are_drawn_at_random_and_missing_is_never_positive():
    m = {k: np.array([1.0, 1.0, 1.0, 0.5, np.nan, 0.2]) for k in criteria.CRITERIA}
    picks = [criteria.score(m, seed=s).positive["resistance"] for s in range(20)]
    for p in picks:
        assert p.sum() == 2 and p[:3].sum() == 2 and not p[3:].any()
    assert len({tuple(p) for p in picks}) > 1          # the draw decides, not the order
    nan = {k: np.array([np.nan, np.nan, 0.0]) for k in criteria.CRITERIA}
    assert criteria.score(nan).positive["motivation"].tolist() == [False, False, True]


@given(st.lists(st.floats(-1e6, 1e6), min_size=3, max_size=60))
@settings(max_examples=50, deadline=None)
def test_scores_are_0_to_3_and_at_least_a_third_is_positive(values):
    x = np.asarray(values)
    c = criteria.score({"persistence": x, "motivation": -x, "resistance": x ** 2})
    assert set(np.unique(c.score)) <= {0, 1, 2, 3}
    for k in criteria.CRITERIA:
        assert c.positive[k].sum() == np.ceil(len(x) / 3)
    d = criteria.distribution(c.score)
    assert d.sum() == pytest.approx(1.0)


def test_independent_criteria_would_give_a_binomial_distribution():
    np.testing.assert_allclose(criteria.independent_distribution(),
                               np.array([8, 12, 6, 1]) / 27)


SU = """schema_version = 1
[scenario]
name = "su"
cues = ["light"]
[cohort]
subjects = 16
[[phase]]
name = "sa"
task = "self_administration"
dose = "0.75 mg/kg"
cue = "light"
session = "2 h"
days = 3
[[phase]]
name = "persistence"
task = "signalled_unavailability"
dose = "0.75 mg/kg"
cue = "light"
days = 2
EXTRA
"""


def test_no_drug_periods_alternate_in_their_own_context_and_deliver_nothing():
    cs = compile_schedule(load_scenario(SU.replace("EXTRA", "")))
    su = cs.phase_index == 1
    off = cs.arrays["no_drug"] & su
    assert NO_DRUG_CONTEXT in cs.contexts
    signal = cs.contexts.index(NO_DRUG_CONTEXT)
    assert np.all(cs.arrays["context"][off] == signal)
    assert np.all(cs.arrays["context"][su & ~off] != signal)
    assert np.all(cs.arrays["slot_amounts"][off] == 0) and not np.any(cs.arrays["slot_cues"][off])
    # a session: 40 min on, 15 off, 40 on, 15 off, 40 on (20-s windows)
    day = cs.day_index[su]
    first = day == day.min()
    runs = np.diff(np.flatnonzero(np.diff(np.r_[-1, off[su][first].astype(int), -1]) != 0))
    assert runs.tolist() == [120, 45, 120, 45, 120]


def test_seeking_in_no_drug_periods_is_counted_apart():
    ds = simulate(SU.replace("EXTRA", ""), record="episode", progress=False)
    no_drug = ds.trial_type.values == "no-drug period"
    pressed = (ds.action.values == 1) & no_drug[None, :]
    daily = simulate(SU.replace("EXTRA", ""), record="daily", progress=False)
    np.testing.assert_array_equal(daily.seek_no_drug.values.sum(1), pressed.sum(1))
    assert pressed.sum() > 0
    assert not np.any(ds.drug_taken.values[:, no_drug])
    assert criteria.criteria_summary(daily) == []      # no progressive ratio: no assessment


@pytest.mark.parametrize("extra, pieces", [
    ("drug_periods = 1", ["phase[1].drug_periods", "greater than or equal to 2"]),
    ('available = "10 s"', ["response_window", "exceeds a period"]),
    ('reinforcer = "shock"', ["reinforcer", "'shock'"]),
    ('unavailable = "15"', ["phase[1].unavailable", "unit"]),
])
def test_bad_signalled_unavailability_input_is_one_line_and_exit_2(refused_run, extra, pieces):
    refused_run(SU.replace("EXTRA", extra), pieces)


def test_a_run_of_the_shipped_experiment_finds_both_assessments_and_reports_them(tmp_path):
    from addictsim.analysis.criteria import criteria_summary, timepoints
    from addictsim.results import write_run

    ds = simulate("criteria", subjects=24, record="daily", progress=False)
    tps = timepoints(ds)
    assert [t.label for t in tps] == ["early breakpoint", "late breakpoint"]
    assert tps[0].persistence == ["early persistence"] and tps[1].punished == "late punished"
    rows = criteria_summary(ds)
    for r in rows:
        assert sum(r["score_shares"]) == pytest.approx(1.0)
        assert all(v == pytest.approx(8 / 24) for v in r["positive_shares"].values())
    out = write_run(ds, tmp_path / "run")
    assert (out / "figures" / "criteria.png").exists()
    html = (out / "report.html").read_text()
    assert "Addiction-like criteria" in html and "early breakpoint" in html
