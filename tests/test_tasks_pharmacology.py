"""The pharmacology tasks: microdialysis, a PET-style challenge, dose-response of
self-administration and the reward-threshold (ICSS) analogue.

Each compiles to the schedule rows checked here (times, amounts, trial types, operanda),
and runs end to end for a tiny cohort with finite results. Bad settings for them are in
tests/test_scenario_errors.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from addictsim import load_scenario
from addictsim.pharmacology.reinforcers import REINFORCER_INDEX, Reinforcer
from addictsim.results import simulate
from addictsim.world.schedule import DAY_S, compile_schedule
from addictsim.world.tasks import TASKS
from addictsim.world.tasks.reward_threshold import threshold_from_responses

HEADER = """schema_version = 1

[scenario]
name = "pharmacology"
seed = 2
cues = ["light"]
"""

MICRODIALYSIS = HEADER + """
[[phase]]
name = "md"
task = "microdialysis"
reinforcer = "cocaine"
dose = "1 mg/kg"
"""

REGIMEN = HEADER + """
[[phase]]
name = "ethanol"
task = "microdialysis"
reinforcer = "alcohol"
dose = "2 g/kg"
doses_per_day = 4
dose_interval = "6 h"
days = 2
sample_interval = "20 min"
baseline = "40 min"
duration = "1 h"
"""

CHALLENGE = HEADER + """
[[phase]]
name = "pet"
task = "challenge"
"""

DOSE_RESPONSE = HEADER + """
[[phase]]
name = "dr"
task = "dose_response"
doses = ["0 mg/kg", "0.25 mg/infusion", "1 mg/kg"]
sessions_per_dose = 2
sessions_per_day = 2
session = "2 min"
cue = "light"
"""

THRESHOLD = HEADER + """
[[phase]]
name = "icss"
task = "reward_threshold"
magnitudes = [0.25, 0.5, 1, 2]
trials_per_magnitude = 3
days = 2
"""

COCAINE = REINFORCER_INDEX[Reinforcer.COCAINE]


def _t(cs) -> np.ndarray:
    """Episode times in seconds from the start."""
    return np.round(cs.day * DAY_S, 3)


def test_tasks_are_registered_with_sources() -> None:
    for name in ("microdialysis", "challenge", "dose_response", "reward_threshold"):
        module = TASKS[name]
        assert module.SOURCE and module.__doc__
    assert "Di Chiara" in TASKS["microdialysis"].SOURCE
    assert "Volkow" in TASKS["challenge"].SOURCE
    assert "Ahmed & Koob 1999" in TASKS["dose_response"].SOURCE
    assert "Markou & Koob 1992" in TASKS["reward_threshold"].SOURCE


# ---------------------------------------------------------------- microdialysis

def test_microdialysis_defaults() -> None:
    sc = load_scenario(MICRODIALYSIS)
    p = sc.phase[0]
    assert (p.doses_per_day, p.dose_interval, p.days) == (1, 6 * 3600.0, 1)
    assert (p.sample_interval, p.baseline, p.duration) == (600.0, 1800.0, 3 * 3600.0)
    cs = compile_schedule(sc)
    t = _t(cs)
    tt = list(cs.trial_type)
    # baseline samples every 10 min for 30 min, the dose, samples for 3 h after it
    assert tt == ["baseline"] * 3 + ["dose"] + ["sample"] * 18
    np.testing.assert_allclose(t, np.arange(22) * 600.0)
    a = cs.arrays
    dose = tt.index("dose")
    assert a["us_amounts"][dose, COCAINE] == 1.0
    assert a["us_prob"][dose] == 1.0 and a["us_bin"][dose] == 1
    others = [i for i in range(len(tt)) if i != dose]
    assert not a["us_amounts"][others].any() and not a["us_prob"][others].any()
    # no cue, nothing to respond to
    assert (a["cs_onset"] == -1).all() and (a["slot_operandum"] == -1).all()


def test_microdialysis_regimen_over_days() -> None:
    cs = compile_schedule(load_scenario(REGIMEN))
    t, tt = _t(cs), np.array(list(cs.trial_type))
    doses = t[tt == "dose"]
    first = 40 * 60.0
    expected = [d * DAY_S + first + j * 6 * 3600.0 for d in range(2) for j in range(4)]
    np.testing.assert_allclose(doses, expected)
    alcohol = REINFORCER_INDEX[Reinforcer.ALCOHOL]
    np.testing.assert_allclose(cs.arrays["us_amounts"][tt == "dose", alcohol], 2.0)
    for d in range(2):
        day = (t >= d * DAY_S) & (t < (d + 1) * DAY_S)
        # two baseline samples (40 min, every 20 min) before the first dose of each day
        np.testing.assert_allclose(t[day & (tt == "baseline")], d * DAY_S + np.array([0, 1200.0]))
        # sampling runs to 1 h after the last dose of the day
        assert t[day].max() == pytest.approx(expected[4 * d + 3] + 3600.0)
        assert cs.arrays["session_start"][day].sum() == 1
    # samples between doses every 20 min (6 h is a multiple), none at a dose's time
    assert len(set(t)) == len(t)
    assert (np.diff(t) > 0).all()
    assert (tt == "sample").sum() == 2 * (57 - 3)


def test_microdialysis_samples_skip_a_dose_off_the_grid() -> None:
    # the second dose falls 2 s after a sample time: that sample is left out
    text = MICRODIALYSIS + 'doses_per_day = 2\ndose_interval = "1202 s"\nduration = "30 min"\n'
    cs = compile_schedule(load_scenario(text))
    t, tt = _t(cs), list(cs.trial_type)
    assert [x for x, k in zip(t, tt) if k == "dose"] == [1800.0, 3002.0]
    assert 3000.0 not in t and 2400.0 in t and 3600.0 in t
    assert (np.diff(t) > 0).all()
    assert t[-1] == 1800.0 + 5 * 600.0        # the last grid time within 30 min of 3002 s


def test_microdialysis_dose_defaults_to_the_reinforcer_standard() -> None:
    text = MICRODIALYSIS.replace('dose = "1 mg/kg"\n', "").replace('"cocaine"', '"morphine"')
    cs = compile_schedule(load_scenario(text))
    tt = list(cs.trial_type)
    morphine = REINFORCER_INDEX[Reinforcer.MORPHINE]
    assert cs.arrays["us_amounts"][tt.index("dose"), morphine] == 5.0


# ---------------------------------------------------------------- challenge

def test_challenge_rows() -> None:
    sc = load_scenario(CHALLENGE.replace('task = "challenge"\n',
                                         'task = "challenge"\ndose = "0.5 mg/kg"\n'
                                         'scan_after = "45 min"\n'))
    cs = compile_schedule(sc)
    assert list(cs.trial_type) == ["baseline scan", "dose", "challenge scan"]
    np.testing.assert_allclose(_t(cs), [0.0, 1800.0, 1800.0 + 2700.0])
    amph = REINFORCER_INDEX[Reinforcer.AMPHETAMINE]
    a = cs.arrays
    assert a["us_amounts"][1, amph] == 0.5 and a["us_prob"][1] == 1.0 and a["us_bin"][1] == 1
    assert not a["us_amounts"][[0, 2]].any()
    assert (a["cs_onset"] == -1).all() and (a["slot_operandum"] == -1).all()


def test_challenge_defaults_to_amphetamine_standard_dose() -> None:
    sc = load_scenario(CHALLENGE)
    assert sc.phase[0].reinforcer == Reinforcer.AMPHETAMINE and sc.phase[0].dose is None
    cs = compile_schedule(sc)
    assert cs.arrays["us_amounts"][1, REINFORCER_INDEX[Reinforcer.AMPHETAMINE]] == 1.0


def test_challenge_dose_per_subject_for_humans() -> None:
    text = CHALLENGE.replace('seed = 2', 'seed = 2\nspecies = "human"').replace(
        'task = "challenge"\n', 'task = "challenge"\nreinforcer = "methamphetamine"\n'
                                'dose = "35 mg"\n')
    assert load_scenario(text).phase[0].dose == pytest.approx(0.5)


# ---------------------------------------------------------------- dose-response

def test_dose_response_sessions() -> None:
    sc = load_scenario(DOSE_RESPONSE)
    p = sc.phase[0]
    assert p.doses == pytest.approx([0.0, 0.25 / 0.33, 1.0])
    assert (p.n_sessions, p.days, p.dose_unit) == (6, 3, "mg/kg")
    cs = compile_schedule(sc)
    t, tt = _t(cs), np.array(list(cs.trial_type))
    labels = ["FR1 0 mg/kg", "FR1 0.7576 mg/kg", "FR1 1 mg/kg"]
    assert list(dict.fromkeys(tt)) == labels
    # 2 sessions of each dose, 2 sessions a day (12 h apart), 6 windows of 20 s each
    starts = t[cs.arrays["session_start"]]
    np.testing.assert_allclose(starts, [0, DAY_S / 2, DAY_S, 1.5 * DAY_S, 2 * DAY_S, 2.5 * DAY_S])
    assert [(tt == lab).sum() for lab in labels] == [12, 12, 12]
    np.testing.assert_allclose(t[:6], np.arange(6) * 20.0)
    assert cs.operanda == ["inactive", "active"]
    a = cs.arrays
    active, inactive = cs.operanda.index("active"), cs.operanda.index("inactive")
    assert (a["slot_operandum"][:, 1] == active).all()
    assert (a["slot_operandum"][:, 2] == inactive).all()
    for lab, dose in zip(labels, p.doses):
        rows = tt == lab
        np.testing.assert_allclose(a["slot_amounts"][rows, 1, COCAINE], dose)
        assert not a["slot_amounts"][rows, 2].any()
    # the cue comes with every reinforcer (saline included); 20-s time-out = one window
    assert a["slot_cues"][:, 1, cs.cues.index("light")].all()
    assert (a["timeout_ep"] == 1).all() and (a["slot_ratio"][:, 1] == 1).all()


def test_dose_response_settings_reach_the_sessions() -> None:
    text = DOSE_RESPONSE.replace("sessions_per_dose = 2\n", "ratio = 5\ntimeout = \"40 s\"\n"
                                 "inactive_lever = false\nlever = \"left\"\n")
    cs = compile_schedule(load_scenario(text))
    assert set(cs.trial_type) == {"FR5 0 mg/kg", "FR5 0.7576 mg/kg", "FR5 1 mg/kg"}
    a = cs.arrays
    assert (a["slot_ratio"][:, 1] == 5).all() and (a["timeout_ep"] == 2).all()
    assert (a["slot_operandum"][:, 1] == cs.operanda.index("left")).all()
    assert (a["slot_operandum"][:, 2] == -1).all()


def test_dose_response_order_is_as_given() -> None:
    text = DOSE_RESPONSE.replace('["0 mg/kg", "0.25 mg/infusion", "1 mg/kg"]',
                                 '["0.1 mg/kg", "0.3 mg/kg"]')
    cs = compile_schedule(load_scenario(text))
    assert list(dict.fromkeys(cs.trial_type)) == ["FR1 0.1 mg/kg", "FR1 0.3 mg/kg"]


# ---------------------------------------------------------------- reward threshold

def test_reward_threshold_trials() -> None:
    sc = load_scenario(THRESHOLD)
    p = sc.phase[0]
    assert p.reinforcer == Reinforcer.SUCROSE and p.iti == 20.0
    cs = compile_schedule(sc)
    t, tt = _t(cs), list(cs.trial_type)
    series = ["threshold 2", "threshold 1", "threshold 0.5", "threshold 0.25"]
    day = [lab for lab in series for _ in range(3)]
    assert tt == day + day          # descending series, each day
    np.testing.assert_allclose(t[:12], np.arange(12) * 20.0)
    np.testing.assert_allclose(t[12:], DAY_S + np.arange(12) * 20.0)
    assert cs.operanda == ["inactive", *series]
    a = cs.arrays
    sucrose = REINFORCER_INDEX[Reinforcer.SUCROSE]
    for i, lab in enumerate(tt):
        m = float(lab.split()[1])
        assert cs.operanda[a["slot_operandum"][i, 1]] == lab
        assert a["slot_amounts"][i, 1, sucrose] == m
        assert a["slot_amounts"][i, 1].sum() == m
    # one response per trial, no inactive lever, nothing response-independent
    assert (a["slot_operandum"][:, 2] == -1).all()
    assert (a["slot_ratio"][:, 1] == 1).all() and (a["timeout_ep"] == 0).all()
    assert not a["us_amounts"].any() and (a["cs_onset"] == -1).all()
    assert a["session_start"].sum() == 2


def test_reward_threshold_in_volume_units() -> None:
    text = THRESHOLD.replace("[0.25, 0.5, 1, 2]", '["10 uL", "50 uL", "0.1 mL"]')
    cs = compile_schedule(load_scenario(text))
    assert list(dict.fromkeys(cs.trial_type)) == ["threshold 0.1", "threshold 0.05",
                                                  "threshold 0.01"]


@pytest.mark.parametrize(
    ("rates", "expected"),
    [([0.0, 0.2, 0.8, 1.0], 0.5 + (0.3 / 0.6) * 0.5),    # between 0.5 and 1
     ([0.6, 0.9, 1.0, 1.0], 0.25),                         # reached at the lowest
     ([0.0, 0.5, 1.0, 1.0], 0.5),                          # exactly 0.5
     ([0.0, 0.1, 0.2, 0.4], math.nan),                     # never reached
     ([0.0, 0.7, 0.2, 0.9], 0.25 + (0.5 / 0.7) * 0.25)],   # the lowest crossing
)
def test_threshold_from_responses(rates: list[float], expected: float) -> None:
    got = threshold_from_responses([0.25, 0.5, 1.0, 2.0], rates)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected)


def test_threshold_from_responses_vectorised_and_unsorted() -> None:
    mags = [2.0, 1.0, 0.5, 0.25]                    # descending, as the series runs
    rates = np.array([[1.0, 0.8, 0.2, 0.0], [0.3, 0.2, 0.1, 0.0]])
    got = threshold_from_responses(mags, rates)
    assert got.shape == (2,)
    assert got[0] == pytest.approx(0.75) and math.isnan(got[1])
    with pytest.raises(ValueError, match="last axis"):
        threshold_from_responses([1.0, 2.0], [0.5, 0.5, 0.5])


# ---------------------------------------------------------------- all together

def test_the_tasks_compose_in_one_scenario() -> None:
    text = HEADER
    for body in (MICRODIALYSIS, CHALLENGE, DOSE_RESPONSE, THRESHOLD):
        text += body[len(HEADER):]
    cs = compile_schedule(load_scenario(text))
    assert cs.phase_tasks == ["microdialysis", "challenge", "dose_response", "reward_threshold"]
    assert (np.diff(_t(cs)) > 0).all()
    # each phase starts on a new day
    starts = [cs.day[cs.phase_index == i].min() for i in range(4)]
    assert all(float(s).is_integer() for s in starts) and starts == sorted(starts)


# ---------------------------------------------------------------- end to end

def _numeric_finite(ds) -> None:
    for name, var in ds.data_vars.items():
        if np.issubdtype(var.dtype, np.number):
            assert np.isfinite(var.values).all(), f"{name} has non-finite values"


def test_microdialysis_runs() -> None:
    ds = simulate(MICRODIALYSIS, subjects=2, progress=False)
    _numeric_finite(ds)
    assert ds.sizes["subject"] == 2 and ds.sizes["episode"] == 22
    tt = ds.trial_type.values.astype(str)
    da = ds.da_extracellular_pct.values
    baseline = da[:, tt == "baseline"].mean()
    # cocaine raises accumbens dopamine in the samples after the dose
    assert da[:, tt == "sample"].max() > 1.5 * baseline
    assert float(ds.dose.values[:, tt == "dose"].min()) == pytest.approx(1.0)


def test_challenge_runs() -> None:
    ds = simulate(CHALLENGE, subjects=2, progress=False)
    _numeric_finite(ds)
    tt = list(ds.trial_type.values.astype(str))
    da = ds.da_extracellular_pct.values
    assert (da[:, tt.index("challenge scan")] > da[:, tt.index("baseline scan")]).all()


def test_dose_response_runs() -> None:
    ds = simulate(DOSE_RESPONSE, subjects=2, progress=False)
    _numeric_finite(ds)
    tt = ds.trial_type.values.astype(str)
    dose = ds.dose.values
    # what an infusion delivers is the session's dose
    assert set(np.unique(dose[:, tt == "FR1 1 mg/kg"])) <= {0.0, 1.0}
    assert not dose[:, tt == "FR1 0 mg/kg"].any()


def test_reward_threshold_runs() -> None:
    ds = simulate(THRESHOLD, subjects=2, progress=False)
    _numeric_finite(ds)
    # ratio 1, no time-out: every response on a trial delivers the sucrose
    np.testing.assert_array_equal(ds.natural_taken.values, ds.seek.values)
    tt = ds.trial_type.values.astype(str)
    mags = [0.25, 0.5, 1.0, 2.0]
    rates = np.stack([ds.seek.values[:, tt == f"threshold {m:g}"].mean(axis=1) for m in mags],
                     axis=-1)
    thr = threshold_from_responses(mags, rates)
    assert thr.shape == (2,)
    assert all(math.isnan(x) or 0.25 <= x <= 2.0 for x in thr)


# ---------------------------------------------------------------- docs

def test_docs_list_every_key_with_its_default() -> None:
    """docs/tasks.md writes these tasks' key tables by hand; they must match the schema
    (rendered as docs/hooks.py renders the generated ones)."""
    import importlib.util
    from pathlib import Path

    from addictsim.scenario import PHASE_MODELS

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("addictsim_docs_hooks_pharm",
                                                  root / "docs" / "hooks.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    hooks._phase_models = lambda: {t.value: m for t, m in PHASE_MODELS.items()}
    page = (root / "docs" / "tasks.md").read_text(encoding="utf-8")
    for task in ("microdialysis", "challenge", "dose_response", "reward_threshold"):
        section = page.split(f"## `{task}`", 1)[1].split("\n## ", 1)[0]
        assert hooks.task_settings(task) in section, task
