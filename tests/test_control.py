"""Goal-directed vs habitual control (``brain.control``), the devaluation task and the
region inactivations: unit tests of the pieces, and whole-scenario tests that would fail
without them."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import addictsim
from addictsim import load_scenario
from addictsim.brain import control
from addictsim.brain.params import BrainParams, Model
from addictsim.brain.subject import Observation, init, perceive
from addictsim.pharmacology.reinforcers import (N_KINDS, REINFORCER_INDEX, Reinforcer,
                                                ReinforcerTable)

from _bad_input import assert_cli_exit_2, assert_rejected

TABLE = ReinforcerTable.build()
P = BrainParams.defaults("rat")
FOOD = REINFORCER_INDEX[Reinforcer.FOOD]
COCAINE = REINFORCER_INDEX[Reinforcer.COCAINE]
SUCROSE = REINFORCER_INDEX[Reinforcer.SUCROSE]


def test_habit_weight_rises_with_experience_and_is_half_at_habit_half():
    n = jnp.asarray([0.0, 50.0, 250.0, 1000.0, 1e5])
    w = np.asarray(control.habit_weight(P, n))
    assert w[0] == 0.0 and np.all(np.diff(w) > 0) and w[-1] < 1.0 + 1e-6
    assert w[2] == pytest.approx(0.5)


@given(n=st.floats(0, 1e7), dls=st.sampled_from([0.0, 1.0]), dms=st.sampled_from([0.0, 1.0]),
       vs=st.sampled_from([0.0, 1.0]))
@settings(max_examples=60, deadline=None)
def test_gated_habit_weight_stays_in_range(n, dls, dms, vs):
    w = control.gated_habit_weight(control.habit_weight(P, jnp.float32(n)),
                                   jnp.asarray([dls, dms, vs]))
    assert 0.0 <= float(w) <= 1.0
    if dls == 0:
        assert float(w) == 0.0          # no DLS: goal-directed only
    elif dms == 0:
        assert float(w) == 1.0          # no DMS: habit only


def _state(**kw):
    """A one-context state; ``m_op`` and ``m_cue`` may be given per operandum only. The
    learned associations given go to the first memory, the only one open."""
    s = init(P, n_contexts=1, n_cues=2, n_operanda=2, n_kinds=N_KINDS)
    for f in ("m_op", "m_cue"):
        if f in kw and kw[f].ndim == 2:
            kw[f] = kw[f][None]
    for f in ("w", "q", "w_id", "m_op"):
        if f in kw and kw[f].ndim < getattr(s, f).ndim:
            kw[f] = getattr(s, f).at[0].set(kw[f])
    return s.__class__(**{f: kw.get(f, getattr(s, f)) for f in s.__dataclass_fields__})


def _values(state, cues=(False, False), intact=(1.0, 1.0, 1.0)):
    obs = Observation(context=jnp.int32(0), slot_operandum=jnp.asarray([-1, 1, 0], jnp.int32),
                      cues=jnp.asarray(cues), intact=jnp.asarray(intact, jnp.float32))
    return np.asarray(perceive(P, TABLE, state, obs, Model.DEFAULT))


def test_goal_directed_value_follows_devaluation_at_once_and_the_habit_does_not():
    m_op = jnp.zeros((2, N_KINDS)).at[1, FOOD].set(1.0)
    inc = jnp.zeros(N_KINDS).at[FOOD].set(1.0)
    q = jnp.asarray([[0.0, 1.0]])
    fresh = _values(_state(m_op=m_op, inc=inc, q=q))
    devalued = _values(_state(m_op=m_op, inc=inc.at[FOOD].set(-2.0), q=q))
    assert devalued[1] < fresh[1] - 2.0          # novice: nearly all of the -3 change
    habit = jnp.asarray([[0.0, 1e5]])
    fresh_h = _values(_state(m_op=m_op, inc=inc, q=q, habit=habit))
    devalued_h = _values(_state(m_op=m_op, inc=inc.at[FOOD].set(-2.0), q=q, habit=habit))
    assert abs(devalued_h[1] - fresh_h[1]) < 0.01   # overtrained: insensitive
    # with the DLS inactivated the overtrained subject is goal-directed again
    off = _values(_state(m_op=m_op, inc=inc.at[FOOD].set(-2.0), q=q, habit=habit),
                  intact=(0.0, 1.0, 1.0))
    assert off[1] < fresh_h[1] - 2.0


def test_habit_share_one_is_the_cached_value_alone():
    """With the DMS inactivated (habit share 1), no drug, no cue: value = q - cost."""
    m_op = jnp.zeros((2, N_KINDS)).at[1, FOOD].set(1.0)
    s = _state(m_op=m_op, inc=jnp.zeros(N_KINDS).at[FOOD].set(-5.0), q=jnp.asarray([[0.0, 0.7]]))
    v = _values(s, intact=(1.0, 0.0, 1.0))
    assert v[1] == pytest.approx(0.7 - float(P.response_cost), abs=1e-6)
    assert v[0] == pytest.approx(float(P.other_value), abs=1e-6)


def test_incentive_targets_carry_illness_to_what_was_eaten():
    licl = REINFORCER_INDEX[Reinforcer.LITHIUM_CHLORIDE]
    amounts = jnp.zeros(N_KINDS).at[FOOD].set(20.0).at[licl].set(125.0)   # malaise 2.5
    target, eaten = control.incentive_targets(TABLE, amounts, 1.0, jnp.zeros(N_KINDS))
    assert bool(eaten[FOOD]) and not bool(eaten[SUCROSE])
    assert float(target[FOOD]) == pytest.approx(1.0 - 2.5)


def test_relief_credit_needs_a_valued_drug():
    expected = jnp.zeros((3, N_KINDS)).at[1, COCAINE].set(0.75)
    worth = float(control.unit_worth(TABLE, 1.0)[COCAINE])
    never = control.credited_share(TABLE, jnp.zeros(N_KINDS), 1.0, expected)
    valued = control.credited_share(TABLE, jnp.zeros(N_KINDS).at[COCAINE].set(worth), 1.0,
                                    expected)
    sick = control.credited_share(TABLE, jnp.zeros(N_KINDS).at[COCAINE].set(-1.0), 1.0, expected)
    assert float(never[1]) == 0.0 and float(valued[1]) == pytest.approx(1.0)
    assert float(sick[1]) == 0.0 and float(valued[0]) == 0.0


@given(v=st.lists(st.floats(-10, 10), min_size=2, max_size=2),
       share=st.floats(0, 1))
@settings(max_examples=60, deadline=None)
def test_attentional_bias_is_a_share(v, share):
    w_id = jnp.zeros((2, N_KINDS)).at[0, COCAINE].set(share).at[0, FOOD].set(1 - share)
    b = float(control.attentional_bias(P, jnp.asarray(v, jnp.float32), w_id, TABLE,
                                       jnp.asarray([True, True])))
    assert 0.0 <= b < 1.0


def test_a_drug_cue_captures_attention_and_narrows_choice():
    w = jnp.zeros((1, 2, 8)).at[0, 0, 0].set(1.0)           # cue 0 has value 1
    w_id = jnp.zeros((2, N_KINDS)).at[0, COCAINE].set(1.0)   # and predicts cocaine
    m_op = jnp.zeros((2, N_KINDS)).at[1, FOOD].set(1.0)      # the lever gives food
    s = _state(w=w, w_id=w_id, m_op=m_op, inc=jnp.zeros(N_KINDS).at[FOOD].set(1.0))
    b = float(control.attentional_bias(P, w[0, :, 0], w_id, TABLE, jnp.asarray([True, True])))
    assert b == pytest.approx(1.0 / (1.0 + float(P.attention_floor)))
    without = _values(s)
    with_cue = _values(s, cues=(True, False))
    assert with_cue[0] < without[0] and with_cue[1] < without[1]   # alternatives shrink


def test_outcome_specific_transfer():
    """A cue predicting food raises the food lever, not a sucrose lever (Corbit & Balleine)."""
    w_id = jnp.zeros((2, N_KINDS)).at[0, FOOD].set(1.0)
    m_op = jnp.zeros((2, N_KINDS)).at[1, FOOD].set(1.0).at[0, SUCROSE].set(1.0)
    s = _state(w_id=w_id, m_op=m_op)
    off, on = _values(s), _values(s, cues=(True, False))
    assert on[1] - off[1] == pytest.approx(float(P.pit_gain), rel=1e-5)
    assert on[2] == pytest.approx(off[2], abs=1e-6)


# ------------------------------------------------------------------ the devaluation task

DEVAL = """schema_version = 1

[scenario]
name = "deval"
seed = 5
contexts = ["box"]

[cohort]
subjects = 60
{cohort}

[[arm]]
name = "devalued"

[[arm]]
name = "control"
[arm.phases.test]
devalue = false

[[phase]]
name = "training"
task = "self_administration"
context = "box"
reinforcer = "food"
timeout = "0 s"
session = "1 h"
days = {days}
{inactivate}

[[phase]]
name = "test"
task = "devaluation"
context = "box"
reinforcer = "food"
session = "20 min"
"""


def _reduction(days: int, inactivate: str = "", cohort: str = "",
               model: str = "default") -> float:
    sc = load_scenario(DEVAL.format(days=days, inactivate=inactivate, cohort=cohort)
                       .replace('seed = 5', f'seed = 5\nmodel = "{model}"'))
    ds = addictsim.simulate(sc, record="daily", progress=False)
    test = ds.seek.values[:, -1]
    arm = ds.arm.values
    return 1.0 - test[arm == "devalued"].mean() / test[arm == "control"].mean()


def test_devaluation_after_limited_training_cuts_responding_and_not_after_extended():
    assert _reduction(1) > 0.4
    assert _reduction(6) < 0.15


def test_a_dls_lesion_keeps_extended_training_goal_directed():
    assert _reduction(6, inactivate='inactivate = ["dls"]') > 0.4


def test_pure_td_is_insensitive_to_devaluation():
    """The comparison variant has no goal-directed system: the habit share is 1 throughout."""
    assert abs(_reduction(1, model="td")) < 0.1


def test_devaluation_schedule_pairs_outcome_with_illness_or_not():
    from addictsim.world.schedule import compile_schedule

    sc = load_scenario(DEVAL.format(days=1, inactivate="", cohort=""))
    licl = REINFORCER_INDEX[Reinforcer.LITHIUM_CHLORIDE]
    dev = compile_schedule(sc, "devalued").arrays["us_amounts"]
    ctl = compile_schedule(sc, "control").arrays["us_amounts"]
    assert dev.shape == ctl.shape          # one timeline: arms share a dataset
    paired = (dev[:, FOOD] > 0) & (dev[:, licl] > 0)
    assert paired.sum() == 3
    assert ((ctl[:, FOOD] > 0) & (ctl[:, licl] > 0)).sum() == 0
    assert (ctl[:, licl] > 0).sum() == 3


def test_inactivation_is_per_phase_in_the_schedule():
    from addictsim.world.schedule import compile_schedule

    sc = load_scenario(DEVAL.format(days=1, inactivate='inactivate = ["dms", "vs"]', cohort=""))
    cs = compile_schedule(sc, "devalued")
    intact = cs.arrays["intact"]
    train = cs.phase_index == 0
    assert (intact[train] == [1.0, 0.0, 0.0]).all() and (intact[~train] == 1.0).all()


@pytest.mark.parametrize("change, pieces", [
    (('reinforcer = "food"\nsession = "20 min"', 'reinforcer = "sucrose"\nsession = "20 min"'),
     ["phase[1] 'test'", "sucrose", "no earlier phase delivers", "food"]),
    (('days = 1\n', 'days = 1\ninactivate = ["dlss"]\n'),
     ["inactivate", "dlss", "dls", "dms", "vs"]),
    (('session = "20 min"', 'session = "20 min"\nmethod = "sickness"'),
     ["method", "sickness", "illness", "satiety"]),
    (('session = "20 min"', 'session = "20 min"\nillness_dose = "-5 mg/kg"'),
     ["illness_dose", "-5"]),
])
def test_bad_devaluation_input(change, pieces):
    text = DEVAL.format(days=1, inactivate="", cohort="")
    assert change[0] in text
    assert_rejected(text.replace(change[0], change[1], 1), pieces)


def test_bad_devaluation_is_exit_2_on_the_command_line(tmp_path):
    text = DEVAL.format(days=1, inactivate="", cohort="")
    assert_cli_exit_2(tmp_path, text.replace('reinforcer = "food"\nsession = "20 min"',
                                             'reinforcer = "cocaine"\nsession = "20 min"'),
                      "no earlier phase delivers")
