"""Delay discounting: the micro-agent population (brain.discounting), described offers in
``perceive``, the adjusting-amount apparatus, the analysis, and bad input (issue 5)."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from addictsim import ScenarioError, load_scenario
from addictsim.analysis import discounting as dd
from addictsim.brain import discounting, subject
from addictsim.brain.params import BrainParams
from addictsim.pharmacology.reinforcers import (N_KINDS, REINFORCER_INDEX, REINFORCERS,
                                                Reinforcer, ReinforcerTable)
from addictsim.world import apparatus
from addictsim.world.schedule import compile_schedule
from addictsim.world.tasks import delay_discounting as task

HUMAN = BrainParams.defaults("human")
TABLE = ReinforcerTable.build()
MONEY = REINFORCER_INDEX[Reinforcer.MONEY]
HEROIN = REINFORCER_INDEX[Reinforcer.HEROIN]


# ---------------------------------------------------------------- the population


def test_population_mean_is_close_to_hyperbolic_and_exact_at_no_delay():
    k = float(HUMAN.discount_rate)
    d = np.array([0.0, 7, 30, 180, 365, 1826])
    f = np.asarray(discounting.delay_factor(HUMAN, 0.0, d))
    assert f[0] == pytest.approx(1.0)
    assert np.all(np.diff(f) < 0)
    np.testing.assert_allclose(f, 1.0 / (1.0 + k * d), atol=0.02)
    # an exponential with the same initial slope falls far below at long delays
    assert f[-1] > 3 * np.exp(-k * d[-1])


def test_allostatic_load_raises_the_rate_and_saturates():
    k = float(HUMAN.discount_rate)
    g = float(HUMAN.discount_load_gain)
    assert float(discounting.rate(HUMAN, 0.0)) == pytest.approx(k)
    assert float(discounting.rate(HUMAN, 1.0)) == pytest.approx(k * (1 + g / 2), rel=1e-5)
    assert float(discounting.rate(HUMAN, 1e6)) == pytest.approx(k * (1 + g), rel=1e-4)
    assert float(discounting.delay_factor(HUMAN, 1.0, 365.0)) < float(
        discounting.delay_factor(HUMAN, 0.0, 365.0))


@settings(max_examples=60, deadline=None)
@given(delay=st.floats(0.0, 1e5), load=st.floats(0.0, 100.0))
def test_delay_factor_is_a_finite_fraction(delay, load):
    f = float(discounting.delay_factor(HUMAN, load, delay))
    assert np.isfinite(f) and 0.0 <= f <= 1.0


# ---------------------------------------------------------------- described offers


def _state(**body):
    st_ = subject.init(HUMAN, n_contexts=1, n_cues=1, n_operanda=3, n_kinds=N_KINDS)
    inc = st_.inc.at[MONEY].set(1.0).at[HEROIN].set(1.0)
    st_ = subject.BrainState(**{**st_.__dict__, "inc": inc})
    if body:
        b = st_.body
        st_ = subject.BrainState(**{**st_.__dict__, "body": type(b)(**{**b.__dict__, **body})})
    return st_


def _offer(kind: int, now: float, later: float, delay: float):
    offer = np.zeros((apparatus.N_SLOTS, N_KINDS), np.float32)
    unit = REINFORCERS[list(Reinforcer)[kind]].default_amount
    offer[1, kind] = now * unit
    offer[2, kind] = later * unit
    return subject.Observation(context=jnp.asarray(0),
                               slot_operandum=jnp.asarray([-1, 1, 2]),
                               offer=jnp.asarray(offer),
                               offer_delay=jnp.asarray([0.0, 0.0, delay], jnp.float32))


def test_money_offers_are_worth_their_amount_times_the_delay_factor():
    v = subject.offer_values(HUMAN, TABLE, _state(), _offer(MONEY, 10.0, 10.0, 365.0))
    assert float(v[1]) == pytest.approx(10.0, rel=1e-5)
    assert float(v[2] / v[1]) == pytest.approx(float(discounting.delay_factor(HUMAN, 0.0, 365.0)),
                                               rel=1e-5)
    # perceive uses these values for the offered slots
    q = subject.perceive(HUMAN, TABLE, _state(), _offer(MONEY, 10.0, 10.0, 365.0))
    assert float(q[1] - q[2]) == pytest.approx(float(v[1] - v[2]), rel=1e-5)


def test_a_drug_offered_now_carries_the_relief_of_the_present_state():
    obs = _offer(HEROIN, 1.0, 1.0, 0.0)        # the same dose now in both slots...
    delayed = _offer(HEROIN, 1.0, 1.0, 1e-3)   # ...or the second a minute and a half later
    v_now = subject.offer_values(HUMAN, TABLE, _state(), obs)
    v_late = subject.offer_values(HUMAN, TABLE, _state(), delayed)
    assert float(v_now[1]) == pytest.approx(float(v_now[2]))
    # the immediate dose is worth more than its worth alone: the relief; a delayed one is not
    assert float(v_late[1] - v_late[2]) > 0.5
    # the comparison variants value the offer alone
    td = subject.offer_values(HUMAN, TABLE, _state(), delayed, subject.Model.TD)
    assert float(td[1] - td[2]) < 0.01


# ---------------------------------------------------------------- the apparatus


def _row(step: float, start: bool):
    offer = np.zeros((apparatus.N_SLOTS, N_KINDS), np.float32)
    offer[1, MONEY] = offer[2, MONEY] = 100.0
    z = jnp.zeros
    return apparatus.ScheduleRow(
        mask=jnp.asarray(True), context=jnp.asarray(0), gap_s=jnp.asarray(10.0),
        group=jnp.asarray(0), session_start=jnp.asarray(start),
        cs_onset=jnp.full((1,), -1), us_amounts=z(N_KINDS), us_prob=jnp.asarray(0.0),
        us_bin=jnp.asarray(-1), slot_operandum=jnp.asarray([-1, 1, 2]),
        slot_cues=z((3, 1), bool), slot_amounts=z((3, N_KINDS)), slot_ratio=jnp.ones(3, int),
        slot_bin=jnp.asarray(-1), timeout_ep=jnp.asarray(0), intact=jnp.ones(3),
        slot_prob=jnp.ones(3), sets_branch=jnp.asarray(False), branch_p=z(3),
        uses_branch=jnp.asarray(False), alt_slot_operandum=jnp.full((3,), -1),
        alt_slot_prob=jnp.ones(3), branch_cues=z((2, 1), bool), forced=jnp.asarray(True),
        holds=jnp.asarray(False), offer=jnp.asarray(offer),
        offer_delay=jnp.asarray([0.0, 0.0, 30.0]), titrate_step=jnp.asarray(step),
        titrate_start=jnp.asarray(start))


def test_the_sooner_offer_adjusts_by_bisection():
    s = apparatus.init()
    s = apparatus.TaskState(**{**s.__dict__, "fraction": jnp.asarray(0.9)})
    row = _row(0.25, True)
    obs = apparatus.observe(row, s)
    assert float(obs.offer[1, MONEY]) == pytest.approx(50.0)     # restarted at 1/2
    assert float(obs.offer[2, MONEY]) == pytest.approx(100.0)
    s, ep = apparatus.step(row, s, jnp.asarray(1), jnp.asarray(0.5))   # chose sooner
    assert float(s.fraction) == pytest.approx(0.25)
    assert float(ep.amounts.sum()) == 0.0                        # nothing is delivered
    s, _ = apparatus.step(_row(0.125, False), s, jnp.asarray(2), jnp.asarray(0.5))
    assert float(s.fraction) == pytest.approx(0.375)


def test_the_replayed_indifference_points_follow_the_choices():
    labels = [task.label(7.0)] * 3 + [task.label(30.0)] * 3
    action = np.array([[1, 1, 1, 2, 2, 2], [2, 1, 2, 1, 1, 1]], np.int8)
    ds = xr.Dataset({"action": (("subject", "episode"), action)},
                    coords={"trial_type": ("episode", labels),
                            "phase": ("episode", ["choices"] * 6)})
    delays, points = dd.indifference_points(ds, phase="choices")
    np.testing.assert_allclose(delays, [7.0, 30.0])
    np.testing.assert_allclose(points, [[0.5 - 0.25 - 0.125 - 0.0625, 0.5 + 0.4375],
                                        [0.5 + 0.25 - 0.125 + 0.0625,
                                         0.5 - 0.25 - 0.125 - 0.0625]])


# ---------------------------------------------------------------- the analysis


def test_fits_recover_their_own_curves_and_name_the_right_winner():
    d = np.array([7.0, 14, 30, 182, 365, 1826, 9131])
    hyp = 1.0 / (1.0 + np.array([[0.01], [0.03]]) * d)
    exp = np.exp(-np.array([[0.002]]) * d)
    f = dd.fit(d, np.concatenate([hyp, exp]))
    np.testing.assert_allclose(f.k_hyperbolic[:2], [0.01, 0.03], rtol=0.01)
    assert f.k_exponential[2] == pytest.approx(0.002, rel=0.01)
    assert list(f.hyperbolic_better) == [True, True, False]
    assert np.all(f.r2_hyperbolic[:2] > 0.999)


def test_area_under_the_curve():
    d = np.array([1.0, 2.0])
    np.testing.assert_allclose(dd.area_under_curve(d, [[1.0, 1.0], [0.0, 0.0]]), [1.0, 0.25])


# ---------------------------------------------------------------- a small run


def test_a_small_questionnaire_runs_and_gives_hyperbolic_like_curves():
    from addictsim import simulate

    ds = simulate(QUESTIONNAIRE, subjects=40, record="episode", progress=False)
    delays, points = dd.indifference_points(ds)
    assert points.shape == (40, 4)
    assert np.all((points >= 0) & (points <= 1))
    # longer delays are worth less (allowing a bisection step of choice noise)
    assert np.all(np.diff(np.median(points, axis=0)) < 0)
    f = dd.fit(delays, points)
    assert np.median(f.k_hyperbolic) == pytest.approx(float(HUMAN.discount_rate), rel=0.5)


QUESTIONNAIRE = """schema_version = 1
[scenario]
name = "mcq"
species = "human"
contexts = ["lab"]
[cohort]
subjects = 40
[[phase]]
name = "money"
task = "self_administration"
context = "lab"
reinforcer = "money"
session = "10 min"
days = 2
[[phase]]
name = "choices"
task = "delay_discounting"
context = "lab"
amount = 100
delays = ["1 week", "1 month", "1 year", "10 years"]
"""


def test_the_phase_compiles_one_series_per_delay():
    cs = compile_schedule(load_scenario(QUESTIONNAIRE))
    choices = cs.phase_index == 1
    assert choices.sum() == 4 * 6
    assert cs.arrays["titrate_start"][choices].sum() == 4
    assert np.all(cs.arrays["forced"][choices])
    np.testing.assert_allclose(sorted(set(cs.arrays["offer_delay"][choices, 2])),
                               [7.0, 30.44, 365.25, 3652.5], rtol=1e-6)


# ---------------------------------------------------------------- bad input

BAD = [
    ("delay-without-unit", QUESTIONNAIRE.replace('"1 month"', "30"),
     ["delays[1]", "30", "unit"]),
    ("no-choices", QUESTIONNAIRE.replace('["1 week", "1 month", "1 year", "10 years"]', "[]"),
     ["delays", "empty", "no choices"]),
    ("not-increasing", QUESTIONNAIRE.replace('"1 year", "10 years"', '"10 years", "1 year"'),
     ["delays", "increasing", "'1 year'", "'10 years'"]),
    ("zero-trials", QUESTIONNAIRE + "trials_per_delay = 0\n", ["trials_per_delay", "0"]),
    ("rat", QUESTIONNAIRE.replace('species = "human"', 'species = "rat"'),
     ["delay_discounting", "human"]),
    ("negative-amount", QUESTIONNAIRE.replace("amount = 100", "amount = -5"),
     ["amount", "-5"]),
]


@pytest.mark.parametrize("text, pieces", [(t, p) for _, t, p in BAD], ids=[b[0] for b in BAD])
def test_bad_discounting_phase_is_one_clear_line(text, pieces):
    with pytest.raises(ScenarioError) as info:
        load_scenario(text)
    msg = str(info.value)
    assert "\n" not in msg.strip() and "phase[1]" in msg, msg
    for piece in pieces:
        assert piece in msg, f"{piece!r} not in {msg!r}"


def test_bad_discounting_phase_exits_2_on_the_command_line(refused_run):
    refused_run(BAD[0][1], ["delays[1]"], name="mcq.toml")
