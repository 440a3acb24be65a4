"""Engine properties: vmap equals a loop, chunking and padding do not change results,
bounded recording agrees with per-episode recording, seeds are honoured."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import addictsim
from addictsim import engine
from addictsim.cohort import cohort_params, to_params
from addictsim.world.schedule import compile_schedule

SA = """
schema_version = 1
[scenario]
name = "engine-check"
seed = 11
cues = ["light", "tone"]
contexts = ["box", "home"]
[cohort]
subjects = {n}
beta = {{dist = "lognormal", mean = 3.0, sd = 0.4}}
alpha = {{dist = "uniform", low = 0.05, high = 0.3}}
[[phase]]
name = "sa"
task = "self_administration"
context = "box"
dose = "0.75 mg/kg"
cue = "light"
ratio = 2
session = "20 min"
days = 2
[[phase]]
name = "pav"
task = "pavlovian"
context = "home"
trials = ["10 x tone+ p=0.5", "5 x light-"]
[[phase]]
name = "cr"
task = "conditioned_reinforcement"
context = "box"
cue = "light"
session = "10 min"
days = 1
"""


def _sim(n, **kw):
    kw.setdefault("progress", False)
    return addictsim.simulate(SA.format(n=n), **kw)


def test_vmap_equals_a_loop_over_subjects():
    sc = addictsim.load_scenario(SA.format(n=5))
    cs = compile_schedule(sc)
    rows, dims = engine.pad_schedule(cs, engine.Record.EPISODE, np.float32)
    ids = np.arange(5)
    root = jax.random.key(sc.scenario.seed)
    vals, _ = cohort_params(sc, ids, root)
    keys = engine.subject_keys(root, ids)
    batched = engine.run_chunk(to_params(vals, jnp.float32), keys, rows, dims, model=sc.scenario.model,
                               record=engine.Record.EPISODE, trace=True, x64=False)
    for i in ids:
        p_i = to_params({k: v[i] for k, v in vals.items()}, jnp.float32)
        single = engine.run_chunk(p_i, keys[i], rows, dims, model=sc.scenario.model,
                                  record=engine.Record.EPISODE, trace=True, x64=False,
                                  batched=False)
        for k in single:
            np.testing.assert_allclose(np.asarray(single[k]), batched[k][i], rtol=1e-6, atol=1e-6,
                                       err_msg=k)
    assert batched["seek"].any() and batched["drug_taken"].any()


def test_chunk_size_does_not_change_results_float64_bitwise():
    a = _sim(1000, chunk_size=100, precision="float64", record="episode")
    b = _sim(1000, chunk_size=1000, precision="float64", record="episode")
    for k in a.data_vars:
        assert np.array_equal(a[k].values, b[k].values), k
    assert a.da_cue.dtype == np.float64


def test_chunk_size_float32_within_1e6():
    a = _sim(1000, chunk_size=100, record="episode")
    b = _sim(1000, chunk_size=1000, record="episode")
    for k in a.data_vars:
        x, y = a[k].values.astype(float), b[k].values.astype(float)
        np.testing.assert_allclose(x, y, rtol=1e-6, atol=1e-6 * max(1.0, np.abs(y).max()), err_msg=k)


def test_subject_results_do_not_depend_on_cohort_size():
    small = _sim(7, record="episode", precision="float64")
    big = _sim(40, chunk_size=13, record="episode", precision="float64")
    for k in small.data_vars:
        assert np.array_equal(small[k].values, big[k].values[:7]), k
    for k in small.coords:
        if k.startswith("param_"):
            assert np.array_equal(small[k].values, big[k].values[:7]), k


def test_same_seed_same_result_and_other_seed_differs():
    a = _sim(20, record="episode")
    b = _sim(20, record="episode")
    c = _sim(20, record="episode", seed=12345)
    assert all(np.array_equal(a[k].values, b[k].values) for k in a.data_vars)
    assert not np.array_equal(a.action.values, c.action.values)
    assert not np.array_equal(a.param_beta.values, c.param_beta.values)


def test_daily_and_summary_aggregates_match_episodes():
    ep = _sim(30, record="episode", precision="float64")
    day = _sim(30, record="daily", precision="float64")
    summ = _sim(30, record="summary", precision="float64")
    assert day.attrs["record"] == "daily" and "day" in day.dims
    for d in day.day.values:
        m = ep.day_index.values == d
        np.testing.assert_allclose(day.drug_taken.sel(day=d), ep.drug_taken.values[:, m].sum(1))
        np.testing.assert_allclose(day.seek.sel(day=d), ep.seek.values[:, m].sum(1))
        np.testing.assert_allclose(day.n_episodes.sel(day=d), m.sum())
        # event means: da_cue is 0 on episodes without a cue, so mean * count = episode sum
        np.testing.assert_allclose(day.da_cue.sel(day=d) * day.n_cue_events.sel(day=d),
                                   ep.da_cue.values[:, m].sum(1), atol=1e-9)
        np.testing.assert_allclose(day.da_outcome.sel(day=d) * day.n_outcome_events.sel(day=d),
                                   ep.da_outcome.values[:, m].sum(1), atol=1e-9)
        np.testing.assert_allclose(day.average_reward.sel(day=d),
                                   ep.average_reward.values[:, m].mean(1), rtol=1e-9)
        np.testing.assert_allclose(day.da_extracellular_pct.sel(day=d),
                                   ep.da_extracellular_pct.values[:, m].max(1))
    for ph in summ.phase.values:
        m = ep.phase.values == ph
        np.testing.assert_allclose(summ.dose.sel(phase=ph), ep.dose.values[:, m].sum(1))
        np.testing.assert_allclose(summ.craving.sel(phase=ph) * 0 + summ.n_episodes.sel(phase=ph),
                                   m.sum())


def test_padding_bucket_and_mask():
    assert engine.bucket(1) == 64 and engine.bucket(64) == 64 and engine.bucket(65) == 128
    ds = _sim(3, record="episode")
    cs = compile_schedule(addictsim.load_scenario(SA.format(n=3)))
    assert ds.sizes["episode"] == cs.n_episodes       # padding is dropped
    assert not np.isnan(ds.da_cue.values).any()


def test_default_record_choice_says_why():
    rec, why = addictsim.results.choose_record(10, 100)
    assert rec is engine.Record.EPISODE and "episode" in why
    rec, why = addictsim.results.choose_record(100_000, 100_000)
    assert rec is engine.Record.DAILY and "daily" in why


def test_numerical_failure_is_reported(monkeypatch):
    real = engine.run_chunk

    def poisoned(*a, **k):
        out = real(*a, **k)
        out["da_cue"] = out["da_cue"] * np.nan
        return out

    monkeypatch.setattr(engine, "run_chunk", poisoned)
    with pytest.raises(engine.NumericalError, match="da_cue"):
        _sim(2, record="episode")


def test_a_long_scenario_compiles_its_segment_once():
    """Every segment of a run (the first included) calls one compiled program: the initial
    carry has the type and the sharding the segment returns."""
    text = SA.format(n=4).replace('session = "20 min"\ndays = 2', 'session = "3 h"\ndays = 5')
    cs = compile_schedule(addictsim.load_scenario(text))
    rows, dims = engine.pad_schedule(cs, engine.Record.SUMMARY, np.float32)
    assert dims.n_episodes > dims.segment           # several segments
    addictsim.simulate(text, record="summary", progress=False)
    _, segment = engine._runner(engine.Model.DEFAULT, engine.Record.SUMMARY, dims, False,
                                False, True)
    assert segment._cache_size() == 1


def test_small_cohorts_share_one_compiled_program():
    """Arms of up to ``MIN_CHUNK`` subjects run padded to that size: a scenario run with 3
    and then 5 subjects compiles once, and each subject's results are its own."""
    from addictsim.results import MIN_CHUNK

    engine._runner.cache_clear()
    a = _sim(3, record="summary")
    b = _sim(5, record="summary")
    cs = compile_schedule(addictsim.load_scenario(SA.format(n=3)))
    _, dims = engine.pad_schedule(cs, engine.Record.SUMMARY, np.float32)
    _, segment = engine._runner(engine.Model.DEFAULT, engine.Record.SUMMARY, dims, False,
                                False, True)
    assert segment._cache_size() == 1 and MIN_CHUNK >= 5
    np.testing.assert_array_equal(a.seek.values, b.seek.values[:3])
