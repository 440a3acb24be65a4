"""The ``demand`` task and ``analysis.demand``: the exponential demand equation of Hursh &
Silberberg 2008 (fitting, Pmax, NaN handling), the task's sessions, and consumption read
back from simulated runs (episode and daily records agree)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import addictsim
from addictsim.analysis import demand as dm
from addictsim.world.schedule import compile_schedule
from addictsim.world.tasks import TASKS

PRICES = np.array([1.0, 3.0, 10.0, 32.0, 100.0, 316.0, 1000.0])


def _curves(q0, alpha, k: float, prices=PRICES) -> np.ndarray:
    q0, alpha = np.atleast_1d(q0).astype(float), np.atleast_1d(alpha).astype(float)
    return dm.demand_curve(prices[None, :], q0[:, None], alpha[:, None], k)


# ---------------------------------------------------------------- the equation and Pmax

def test_equation_special_values() -> None:
    """Q(0) = Q0, and consumption falls towards Q0 10^-k as the price grows."""
    assert dm.demand_curve(0.0, 12.0, 1e-3, 2.0) == pytest.approx(12.0)
    assert dm.demand_curve(1e9, 12.0, 1e-3, 2.0) == pytest.approx(12.0 * 10 ** -2.0)
    q = _curves(12.0, 1e-3, 2.0)[0]
    assert np.all(np.diff(q) < 0)


def test_pmax_is_unit_elasticity_and_the_local_peak_of_responding() -> None:
    """At Pmax the elasticity is -1 (Gilroy et al. 2019's exact solution) and responding
    C Q(C) peaks there (a local maximum; checked against a fine numerical search)."""
    for q0, alpha, k in [(10.0, 1e-4, 2.0), (20.0, 3e-4, 1.5), (5.0, 1e-3, 3.0)]:
        p = float(dm.pmax(q0, alpha, k))
        assert dm.elasticity(p, q0, alpha, k) == pytest.approx(-1.0, abs=1e-9)
        grid = np.geomspace(p / 3.0, p * 3.0, 20001)
        spend = grid * dm.demand_curve(grid, q0, alpha, k)
        assert grid[np.argmax(spend)] == pytest.approx(p, rel=1e-3)
        assert float(dm.omax(q0, alpha, k)) == pytest.approx(spend.max(), rel=1e-6)


def test_pmax_needs_a_wide_enough_range() -> None:
    """With k ln 10 < e the fitted curve never becomes elastic: no Pmax."""
    k_min = math.e / math.log(10.0)
    assert np.isnan(dm.pmax(10.0, 1e-3, 0.99 * k_min))
    assert np.isfinite(dm.pmax(10.0, 1e-3, 1.01 * k_min))
    assert np.isnan(dm.pmax(np.nan, 1e-3, 2.0)) and np.isnan(dm.pmax(10.0, 0.0, 2.0))


def test_k_from_means() -> None:
    assert dm.k_from_means([20.0, 10.0, 2.0, 0.0, np.nan]) == pytest.approx(1.0 + 0.5)
    assert dm.k_from_means([5.0, 5.0]) == pytest.approx(0.5)
    assert np.isnan(dm.k_from_means([0.0, np.nan]))


# ---------------------------------------------------------------- fitting

@pytest.mark.parametrize("k", [1.5, 2.0, 3.0])
def test_recovers_q0_and_alpha_from_noiseless_curves(k: float) -> None:
    q0 = np.array([2.0, 12.0, 25.0, 80.0])
    alpha = np.array([1e-3, 2e-4, 5e-5, 2e-5])
    fit = dm.fit_demand(PRICES, _curves(q0, alpha, k), k=k)
    np.testing.assert_allclose(fit.q0, q0, rtol=0.02)
    np.testing.assert_allclose(fit.alpha, alpha, rtol=0.02)
    np.testing.assert_allclose(fit.pmax, dm.pmax(q0, alpha, k), rtol=0.02)
    np.testing.assert_allclose(fit.r2, 1.0, atol=1e-9)
    assert np.all(fit.n_points == PRICES.size) and fit.k == k


def test_a_one_dimensional_curve_is_one_subject() -> None:
    fit = dm.fit_demand(PRICES, _curves(10.0, 1e-4, 2.0)[0], k=2.0)
    assert fit.q0.shape == (1,) and fit.q0[0] == pytest.approx(10.0, rel=1e-6)
    assert fit.curve(PRICES).shape == (1, PRICES.size)


def test_higher_alpha_is_steeper() -> None:
    """A steeper fall of consumption with price fits a higher alpha and a lower Pmax."""
    alphas = np.array([1e-5, 3e-5, 1e-4, 3e-4, 1e-3])
    q = _curves(np.full(alphas.size, 10.0), alphas, 2.0)
    assert np.all(np.diff(q[:, -1]) < 0)            # steeper: less consumed at the top price
    fit = dm.fit_demand(PRICES, q, k=2.0)
    assert np.all(np.diff(fit.alpha) > 0)
    assert np.all(np.diff(fit.pmax) < 0)


def test_zeros_are_left_out_of_the_fit() -> None:
    q = _curves(10.0, 3e-4, 2.0)
    with_zero = q.copy()
    with_zero[0, -1] = 0.0
    without = dm.fit_demand(PRICES[:-1], q[:, :-1], k=2.0)
    fit = dm.fit_demand(PRICES, with_zero, k=2.0)
    assert fit.n_points[0] == PRICES.size - 1
    assert fit.q0[0] == pytest.approx(without.q0[0], rel=1e-9)
    assert fit.alpha[0] == pytest.approx(without.alpha[0], rel=1e-9)


def test_nan_handling() -> None:
    """Rows that cannot be fitted give NaN, and the others are unaffected."""
    good = _curves(10.0, 3e-4, 2.0)[0]
    rows = np.stack([
        good,
        np.where(np.arange(PRICES.size) < 2, good, 0.0),      # two prices with consumption
        np.full(PRICES.size, np.nan),                          # never measured
        np.zeros(PRICES.size),                                 # never took anything
        np.where(np.arange(PRICES.size) % 2 == 0, good, np.nan),   # half the prices
    ])
    fit = dm.fit_demand(PRICES, rows, k=2.0)
    assert fit.q0[0] == pytest.approx(10.0, rel=1e-6)
    for i in (1, 2, 3):
        assert np.isnan([fit.q0[i], fit.alpha[i], fit.pmax[i], fit.omax[i], fit.r2[i]]).all()
    assert fit.n_points.tolist() == [7, 2, 0, 0, 4]
    assert fit.alpha[4] == pytest.approx(3e-4, rel=1e-4)
    # no k: nothing can be fitted
    assert np.isnan(dm.fit_demand(PRICES, rows, k=float("nan")).q0).all()


def test_flat_demand_has_no_alpha() -> None:
    """Consumption that does not fall with price leaves alpha on its bound: Q0 is kept, and
    alpha, Pmax and Omax are NaN (demand beyond the prices tested)."""
    fit = dm.fit_demand(PRICES, np.full((1, PRICES.size), 7.0), k=2.0)
    assert fit.q0[0] == pytest.approx(7.0, rel=1e-6)
    assert np.isnan([fit.alpha[0], fit.pmax[0], fit.omax[0], fit.r2[0]]).all()


def test_bad_inputs_are_errors() -> None:
    with pytest.raises(ValueError, match="do not match"):
        dm.fit_demand(PRICES, np.ones((2, 3)), k=2.0)
    with pytest.raises(ValueError, match="positive"):
        dm.fit_demand(np.array([0.0, 1.0, 2.0]), np.ones((1, 3)), k=2.0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(q0=st.floats(0.5, 200.0), x_top=st.floats(0.5, 30.0), k=st.floats(1.3, 4.0),
       noise=st.floats(0.0, 0.05), seed=st.integers(0, 2**31 - 1))
def test_fitted_pmax_is_positive_and_finite_for_valid_curves(q0, x_top, k, noise,
                                                             seed) -> None:
    """A curve that falls within the prices tested (alpha Q0 at the top price between 0.5
    and 30), with k wide enough to turn elastic and up to 5% multiplicative noise, always
    gives a positive, finite Pmax and Omax."""
    alpha = x_top / (q0 * PRICES[-1])
    rng = np.random.default_rng(seed)
    q = _curves(q0, alpha, k) * np.exp(noise * rng.standard_normal(PRICES.size))
    fit = dm.fit_demand(PRICES, q, k=k)
    assert np.isfinite(fit.pmax[0]) and fit.pmax[0] > 0
    assert np.isfinite(fit.omax[0]) and fit.omax[0] > 0
    assert fit.q0[0] > 0 and fit.alpha[0] > 0


# ---------------------------------------------------------------- the task

HEADER = """schema_version = 1
[scenario]
name = "tiny demand"
seed = 4
cues = ["light"]
[cohort]
subjects = 4
"""

DEMAND = HEADER + """
[[phase]]
name = "training"
task = "self_administration"
dose = "0.75 mg/kg"
cue = "light"
session = "20 min"
days = 2
[[phase]]
name = "demand"
task = "demand"
dose = "0.75 mg/kg"
cue = "light"
prices = [1, 4, 16]
sessions_per_price = 2
sessions_per_day = 2
session = "10 min"
response_window = "5 s"
"""


def test_task_is_registered_with_its_sources() -> None:
    assert "Christensen et al. 2008" in TASKS["demand"].SOURCE
    assert "Hursh & Silberberg 2008" in TASKS["demand"].SOURCE


def test_demand_sessions() -> None:
    """One session per price step, the ratio of each session its price, in the order given,
    two sessions a day; counters reset at each session's start."""
    sc = addictsim.load_scenario(DEMAND)
    p = sc.phase[1]
    assert p.session_prices == [1, 1, 4, 4, 16, 16] and p.days == 3 and p.n_sessions == 6
    cs = compile_schedule(sc)
    sel = cs.phase_index == 1
    n_ep = 120                                          # 10 min of 5-s windows
    assert int(sel.sum()) == 6 * n_ep
    tt = cs.trial_type[sel].reshape(6, n_ep)
    assert [row[0] for row in tt] == ["FR1", "FR1", "FR4", "FR4", "FR16", "FR16"]
    assert np.all(tt == tt[:, :1])
    ratio = cs.arrays["slot_ratio"][sel].reshape(6, n_ep, -1)[:, 0, 1]
    assert ratio.tolist() == [1, 1, 4, 4, 16, 16]
    starts = cs.arrays["session_start"][sel].reshape(6, n_ep)
    assert starts[:, 0].all() and not starts[:, 1:].any()
    days = cs.day_index[sel].reshape(6, n_ep)[:, 0]
    assert np.diff(days).tolist() == [0, 1, 0, 1, 0]
    assert cs.arrays["timeout_ep"][sel][0] == 4        # 20-s time-out in 5-s windows


@pytest.fixture(scope="module")
def runs():
    ep = addictsim.simulate(DEMAND, record="episode", progress=False)
    day = addictsim.simulate(DEMAND, record="daily", progress=False)
    return ep, day


def test_consumption_from_episode_records(runs) -> None:
    ep, _ = runs
    (d,) = dm.demand_data(ep)
    assert d.phase == "demand" and d.variable == "drug_taken" and d.reinforcer == "cocaine"
    assert d.prices.tolist() == [1.0, 4.0, 16.0]
    taken = ep.drug_taken.values[:, np.asarray(ep.phase.values) == "demand"]
    per_session = taken.reshape(taken.shape[0], 6, 120).sum(-1)
    expected = per_session.reshape(-1, 3, 2).mean(-1)
    np.testing.assert_allclose(d.consumption, expected)
    assert d.consumption[:, 0].sum() > 0
    # at most one delivery per (price + time-out) windows: 120 windows, 4-window time-out
    np.testing.assert_array_equal(d.ceiling["all"], [24.0, 15.0, 6.0])
    assert np.all(d.consumption <= d.ceiling["all"][None, :])


def test_episode_and_daily_records_agree(runs) -> None:
    ep, day = runs
    (a,), (b,) = dm.demand_data(ep), dm.demand_data(day)
    np.testing.assert_allclose(a.consumption, b.consumption, rtol=1e-6)


def test_analyse_and_summary(runs) -> None:
    ep, _ = runs
    (a,) = dm.analyse(ep)
    assert a.arms == ["all"] and a.fits is not None
    assert a.k == pytest.approx(dm.k_from_means(a.arm_mean["all"]))
    (row,) = dm.demand_summary(ep)
    assert row["arm"] == "all" and row["n_subjects"] == 4 and row["prices"] == [1.0, 4.0, 16.0]
    for name in ("q0", "alpha", "pmax", "omax", "r2"):
        assert set(row[name]) == {"median", "q25", "q75"}
    assert (dm.analyse(ep, per_subject=False)[0].fits is None)


def test_daily_records_with_mixed_prices_in_a_day_do_not_resolve(runs) -> None:
    """Two sessions a day at different prices: daily sums mix them, so no demand curve."""
    _, day = runs
    text = DEMAND.replace("sessions_per_price = 2\n", "")
    mixed = day.assign_attrs(scenario_text=text)
    assert dm.demand_data(mixed) == []


def test_no_demand_without_a_demand_phase_or_readable_scenario(runs) -> None:
    ep, _ = runs
    assert dm.demand_data(ep.assign_attrs(scenario_text="")) == []
    assert dm.demand_data(ep.assign_attrs(scenario_text="not a scenario")) == []
    other = HEADER + "[[phase]]\nname = \"x\"\ntask = \"self_administration\"\ndays = 1\n"
    assert dm.demand_data(ep.assign_attrs(scenario_text=other)) == []
    assert dm.demand_summary(ep.assign_attrs(scenario_text="")) == []
