"""Conditioned place preference (Mueller & Stewart 2000): drug pairings in one compartment
and vehicle pairings in the other make a preference for the drug-paired one; repeated
drug-free tests extinguish it; going into a compartment shows it (``world.apparatus``);
``analysis.place_preference`` counts time per test; bad input is refused (exit 2)."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addictsim import load_scenario, simulate
from addictsim.analysis.place_preference import place_preference_summary
from addictsim.world.schedule import DAY_S, compile_schedule

CPP = """schema_version = 1
[scenario]
name = "cpp"
seed = 7
contexts = ["box"]
cues = ["white", "black"]
[cohort]
subjects = 40
[[arm]]
name = "cocaine"
[[arm]]
name = "saline"
[arm.phases.conditioning]
dose = "0 mg/kg"
[[phase]]
name = "pretest"
task = "place_preference"
context = "box"
paired = "white"
unpaired = "black"
pairings = 0
[[phase]]
name = "conditioning"
task = "place_preference"
context = "box"
paired = "white"
unpaired = "black"
dose = "5 mg/kg"
EXTRA
[[phase]]
name = "extinction"
task = "place_preference"
context = "box"
paired = "white"
unpaired = "black"
pairings = 0
tests = 8
"""


@functools.lru_cache(maxsize=1)
def _daily():
    return simulate(CPP.replace("EXTRA", ""), record="daily", progress=False)


def _rows(ds, phase, arm):
    return [r for r in place_preference_summary(ds) if r["phase"] == phase and r["arm"] == arm]


def test_pairings_alternate_days_and_the_test_follows():
    cs = compile_schedule(load_scenario(CPP.replace("EXTRA", "")))
    cond = cs.phase_index == 1
    kinds = list(cs.trial_type[cond])
    assert kinds[:8] == ["pairing drug", "pairing vehicle"] * 4
    assert kinds[8:] == ["place preference test"] * 15       # 15 min, one choice a minute
    days = cs.day[cond]
    assert np.allclose(np.diff(days[:9]), 1.0)                 # one confinement a day, test next
    white, black = cs.cues.index("white"), cs.cues.index("black")
    onset = cs.arrays["cs_onset"][cond]
    assert np.all(onset[0:8:2, white] == 0) and np.all(onset[1:8:2, black] == 0)
    assert np.all(onset[8:] < 0)                               # no compartment forced on a test
    drug = cs.arrays["us_amounts"][cond][:8].sum(axis=1)
    assert np.all(drug[0::2] == 5.0) and np.all(drug[1::2] == 0.0)
    assert cs.day[cs.phase_index == 2][0] * DAY_S > cs.day[cond][-1] * DAY_S


def test_going_into_a_compartment_shows_it_and_staying_in_the_centre_shows_nothing():
    ds = simulate(CPP.replace("EXTRA", ""), record="episode", progress=False, subjects=8)
    test = ds.trial_type.values == "place preference test"
    a = ds.action.values[:, test]
    assert set(np.unique(a)) <= {0, 1, 2} and (a == 1).any() and (a == 0).any()
    assert np.array_equal(ds.cue_shown.values[:, test], a > 0)
    # going into a compartment is Pavlovian approach: no drug is delivered in a test
    assert not ds.drug_taken.values[:, test].any()


def test_drug_pairings_make_a_preference_that_saline_pairings_do_not():
    ds = _daily()
    (pre,) = _rows(ds, "pretest", "cocaine")
    (coc,) = _rows(ds, "conditioning", "cocaine")
    (sal,) = _rows(ds, "conditioning", "saline")
    assert abs(pre["score_s"]) < 3 * pre["score_sem_s"] + 30
    assert coc["score_s"] > 150 and coc["score_s"] > sal["score_s"] + 4 * coc["score_sem_s"]
    assert coc["paired_share"] > 0.65 > sal["paired_share"]
    for r in (pre, coc, sal):       # time adds up to the 15-min test
        assert r["paired_s"] + r["unpaired_s"] + r["centre_s"] == pytest.approx(900.0)


def test_repeated_drug_free_tests_extinguish_the_preference():
    ds = _daily()
    (coc,) = _rows(ds, "conditioning", "cocaine")
    ext = _rows(ds, "extinction", "cocaine")
    assert [r["test"] for r in ext] == list(range(1, 9))
    late = np.mean([r["score_s"] for r in ext[-4:]])
    assert late < 0.3 * coc["score_s"]


def test_per_phase_records_average_the_daily_tests():
    daily = _rows(_daily(), "extinction", "cocaine")
    summary = simulate(CPP.replace("EXTRA", ""), record="summary", progress=False)
    (row,) = _rows(summary, "extinction", "cocaine")
    assert row["tests"] == 8 and row["test"] is None
    assert row["score_s"] == pytest.approx(np.mean([r["score_s"] for r in daily]), abs=1e-3)


COND = 'unpaired = "black"\ndose = "5 mg/kg"\nEXTRA'


@pytest.mark.parametrize("setting, pieces", [
    ('unpaired = "white"\ndose = "5 mg/kg"',
     ["phase[1]", "two different compartments", "'white'"]),
    ('unpaired = "grey"\ndose = "5 mg/kg"', ["cue 'grey' is used but not declared"]),
    ('unpaired = "black"\ndose = "5 mg/kg"\npairings = -1', ["phase[1].pairings"]),
    ('unpaired = "black"\ndose = "-5 mg/kg"', ["phase[1]", "dose", "'-5 mg/kg' is negative"]),
    ('unpaired = "black"\ndose = "5 mg/kg"\nreinforcer = "cocain"',
     ["phase[1]", "reinforcer", "cocaine"]),
    ('unpaired = "black"\ndose = "5 mg/kg"\ntest = "20 s"',
     ["phase[1]", "response_window", "exceeds the test"]),
    ('unpaired = "black"\npairings = 0\ntests = 0', ["phase[1]", "leave the phase empty"]),
    ('unpaired = "black"', ["phase[1]", "need the dose"]),
    ('unpaired = "black"\ndose = "5 mg/kg"\nstress = "-0.5 mA"', ["phase[1]", "stress"]),
])
def test_bad_place_preference_input_is_one_line_and_exit_2(refused_run, setting, pieces):
    text = CPP.replace(COND, setting)
    assert text != CPP
    refused_run(text, pieces)


def test_episode_records_count_the_same_tests_as_daily_ones():
    ds = simulate(CPP.replace("EXTRA", ""), record="episode", progress=False)
    ep = place_preference_summary(ds)
    daily = place_preference_summary(_daily())
    assert [(r["phase"], r["test"], r["arm"]) for r in ep] == \
        [(r["phase"], r["test"], r["arm"]) for r in daily]
    assert [r["score_s"] for r in ep] == pytest.approx([r["score_s"] for r in daily])


def test_the_run_reports_the_preference(tmp_path):
    import json

    from addictsim.results import write_run

    ds = simulate(CPP.replace("EXTRA", ""), record="daily", progress=False, subjects=8)
    out = write_run(ds, tmp_path / "run")
    assert (out / "figures" / "place_preference.png").stat().st_size > 10_000
    rows = json.loads((out / "summary.json").read_text())["place_preference"]
    assert {r["phase"] for r in rows} == {"pretest", "conditioning", "extinction"}
    html = (out / "report.html").read_text()
    assert "<h2>Conditioned place preference</h2>" in html and "Paired share" in html


PROP = """schema_version = 1
[scenario]
name = "cpp-prop"
seed = {seed}
contexts = ["box"]
cues = ["white", "black"]
[cohort]
subjects = {n}
beta = {beta}
[[phase]]
name = "cpp"
task = "place_preference"
context = "box"
paired = "white"
unpaired = "black"
dose = "{dose} mg/kg"
pairings = {pairings}
tests = {tests}
test = "{minutes} min"
response_window = "{window} s"
"""


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries(dict(
    seed=st.integers(0, 2**31 - 1), n=st.integers(1, 5), beta=st.floats(0.0, 20.0),
    dose=st.floats(0.0, 20.0).map(lambda x: round(x, 3)), pairings=st.integers(0, 4),
    tests=st.integers(1, 3),
    minutes=st.integers(1, 20), window=st.sampled_from([20, 30, 60]))),
    st.integers(1, 4))
def test_time_adds_up_and_does_not_depend_on_the_chunking(cfg, chunk):
    text = PROP.format(**cfg)
    ds = simulate(text, record="episode", progress=False)
    rows = place_preference_summary(ds)
    assert len(rows) == cfg["tests"]
    length = max(1, int(cfg["minutes"] * 60 // cfg["window"])) * cfg["window"]
    for r in rows:
        parts = (r["paired_s"], r["unpaired_s"], r["centre_s"])
        assert all(0 <= x <= length for x in parts)
        assert sum(parts) == pytest.approx(length)
        assert -length <= r["score_s"] <= length
        assert r["paired_share"] is None or 0.0 <= r["paired_share"] <= 1.0
    test = ds.trial_type.values == "place preference test"
    assert np.array_equal(ds.cue_shown.values[:, test], ds.action.values[:, test] > 0)
    other = simulate(text, record="episode", progress=False, chunk_size=chunk)
    np.testing.assert_array_equal(ds.action.values, other.action.values)


def test_footshock_brings_back_an_extinguished_preference():
    """Wang, Luo, Zhang & Han 2000: footshock reinstates an extinguished place preference.
    Stress makes the body feel as it did with the drug on board and retrieves the memory
    formed in the pairings (brain.interoception); without a trigger the extinction memory
    holds."""
    ds = simulate("place-preference", record="summary", progress=False, subjects=160)
    rows = {r["arm"]: r for r in place_preference_summary(ds)
            if r["phase"] == "reinstatement test"}
    shock, none = rows["cocaine, footshock"], rows["cocaine, no trigger"]
    assert shock["score_s"] > none["score_s"] + 2 * (shock["score_sem_s"] + none["score_sem_s"])
    arm = ds.arm.values
    test = list(ds.phase.values).index("reinstatement test")
    first = ds.memory_original.values[:, test]
    assert (first[arm == "cocaine, footshock"].mean()
            > 5 * first[arm == "cocaine, no trigger"].mean())


def test_each_arm_row_reports_that_arm_s_settings():
    ds = simulate("place-preference", record="summary", progress=False, subjects=8)
    rows = {(r["phase"], r["arm"]): r for r in place_preference_summary(ds)}
    assert rows[("conditioning", "cocaine, prime")]["dose"] == 5.0
    assert rows[("conditioning", "saline, prime")]["dose"] == 0.0
    assert rows[("reinstatement test", "cocaine, prime")]["prime"] == 1.0
    assert rows[("reinstatement test", "cocaine, no trigger")]["prime"] is None
    assert rows[("reinstatement test", "cocaine, footshock")]["stress_ma"] == 0.5
