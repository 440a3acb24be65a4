"""Prefrontal control (``brain.prefrontal``): the insult from drug exposure, the steep loss of
control, the veto on punished habits, conditioned suppression, and the D2-dependent learning
from punishment. Unit tests of the pieces; whole-experiment checks are in
``tests/reference/test_punishment_resistance.py``."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addictsim.brain import prefrontal, receptors
from addictsim.brain.params import BrainParams, Model
from addictsim.brain.subject import Episode, Observation, init, learn, perceive
from addictsim.pharmacology.reinforcers import (N_KINDS, REINFORCER_INDEX, REINFORCERS, Kind,
                                                Reinforcer, ReinforcerTable)

TABLE = ReinforcerTable.build()
P = BrainParams.defaults("rat")
FOOD = REINFORCER_INDEX[Reinforcer.FOOD]
SHOCK = REINFORCER_INDEX[Reinforcer.SHOCK]
COCAINE = REINFORCER_INDEX[Reinforcer.COCAINE]
HEROIN = REINFORCER_INDEX[Reinforcer.HEROIN]
ALCOHOL = REINFORCER_INDEX[Reinforcer.ALCOHOL]


def test_only_stimulants_alcohol_and_nicotine_carry_prefrontal_toxicity():
    toxic = {r for r, s in REINFORCERS.items() if s.pfc_toxicity > 0}
    assert toxic == {Reinforcer.COCAINE, Reinforcer.AMPHETAMINE, Reinforcer.METHAMPHETAMINE,
                     Reinforcer.ALCOHOL, Reinforcer.NICOTINE}
    assert all(REINFORCERS[r].kind == Kind.DRUG for r in toxic)


def test_the_level_integral_matches_the_kinetics():
    with jax.enable_x64(True):
        p = BrainParams.defaults(dtype=jnp.float64)
        table = ReinforcerTable.build(jnp.float64)
        body = receptors.deliver(receptors.init_body(p, N_KINDS),
                                 jnp.zeros(N_KINDS).at[COCAINE].set(1.0).at[ALCOHOL].set(2.0))
        gap = 3600.0
        exact = np.asarray(prefrontal.level_integral(table, body.level, body.depot, gap))
        step, levels = 5.0, [np.asarray(body.level)]
        b = body
        for _ in range(int(gap / step)):
            b = receptors.elapse(p, table, b, jnp.asarray(step))
            levels.append(np.asarray(b.level))
        numeric = np.trapezoid(np.stack(levels), dx=step, axis=0)
    np.testing.assert_allclose(exact[[COCAINE, ALCOHOL]], numeric[[COCAINE, ALCOHOL]],
                               rtol=1e-3)


def _accrue(insult, level_k, kind, gap):
    level = jnp.zeros(N_KINDS).at[kind].set(level_k)
    return float(prefrontal.accrue(P, TABLE, jnp.float32(insult), level, jnp.zeros(N_KINDS),
                                   jnp.float32(gap)))


def test_the_insult_grows_with_cocaine_not_heroin_and_recovers_in_abstinence():
    ed50 = REINFORCERS[Reinforcer.COCAINE].ed50
    # a minute at the cocaine level of half occupancy adds about half a minute of insult
    assert _accrue(0.0, ed50, COCAINE, 60.0) == pytest.approx(0.5 / 60.0, rel=0.05)
    heroin = REINFORCERS[Reinforcer.HEROIN].ed50
    assert _accrue(0.0, 10 * heroin, HEROIN, 3600.0) == 0.0
    tau = float(P.pfc_recovery_tau_d) * 86400.0
    assert _accrue(10.0, 0.0, COCAINE, tau) == pytest.approx(10.0 / np.e, rel=1e-4)


def test_nicotine_occupies_its_receptor_far_below_its_dopamine_ed50():
    """Brody et al. 2006: a cigarette nearly saturates alpha4beta2 receptors, so the insult
    counts occupancy at ``occupancy_ed50``, not at the dopamine effect's ``ed50``."""
    nic = REINFORCERS[Reinforcer.NICOTINE]
    k = REINFORCER_INDEX[Reinforcer.NICOTINE]
    assert nic.occupancy_ed50 < nic.ed50 / 100
    tox = nic.pfc_toxicity
    # a minute at the level of half occupancy: half a minute of occupancy, times toxicity
    assert _accrue(0.0, nic.occupancy_ed50, k, 60.0) == pytest.approx(0.5 / 60.0 * tox,
                                                                        rel=0.05)
    # one cigarette's level (about 1 mg / 70 kg) occupies most of the target
    assert _accrue(0.0, 1.0 / 70.0, k, 60.0) > 0.85 / 60.0 * tox
    # other drugs' targets follow their dopamine dose-response
    assert float(TABLE.occupancy_ed50[COCAINE]) == pytest.approx(
        REINFORCERS[Reinforcer.COCAINE].ed50)


@given(insult=st.floats(0.0, 1e5), gain=st.floats(0.0, 10.0))
@settings(max_examples=60, deadline=None)
def test_control_stays_in_range_and_falls_with_the_insult(insult, gain):
    c = float(prefrontal.control(P, jnp.float32(insult), jnp.float32(gain)))
    assert 0.0 <= c <= 1.0
    more = float(prefrontal.control(P, jnp.float32(insult + 10.0), jnp.float32(gain)))
    # control is float32 and saturates near the floor at large insults, where x / (1 + x)
    # rounds by a few units in the last place (gain 2 at insult 5e3 gave +1.9e-7)
    assert more <= c + 4 * np.finfo(np.float32).eps


def test_control_loses_half_its_maximal_loss_at_the_half_insult_and_gain_scales_it():
    half = P.pfc_insult_half_h
    base, loss = float(P.pfc_baseline), float(P.pfc_max_loss)
    assert float(prefrontal.control(P, jnp.float32(0.0))) == pytest.approx(base)
    assert float(prefrontal.control(P, half)) == pytest.approx(base * (1 - loss / 2), rel=1e-5)
    # steep: a third of the half insult costs little, three times it nearly all of the loss
    assert float(prefrontal.control(P, half / 3)) > base * (1 - 0.05 * loss)
    assert float(prefrontal.control(P, half * 3)) < base * (1 - 0.95 * loss)
    assert float(prefrontal.control(P, half, jnp.float32(0.0))) == 0.0
    assert float(prefrontal.control(P, jnp.float32(0.0), jnp.float32(10.0))) == 1.0


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


def _values(state, gain=1.0, cues=(False, False)):
    obs = Observation(context=jnp.int32(0), slot_operandum=jnp.asarray([-1, 1, 0], jnp.int32),
                      cues=jnp.asarray(cues), pfc_gain=jnp.float32(gain))
    return np.asarray(perceive(P, TABLE, state, obs, Model.DEFAULT))


# operandum 1 delivers food and, half the time, a 0.5 mA shock; the habit controls it and
# its cached value has not learned the shock
M_OP = jnp.zeros((2, N_KINDS)).at[1, FOOD].set(1.0).at[1, SHOCK].set(0.25)
INC = jnp.zeros(N_KINDS).at[FOOD].set(1.0).at[SHOCK].set(-4.0)
Q = jnp.asarray([[0.0, 1.0]])
HABIT = jnp.asarray([[0.0, 1e5]])


def test_the_veto_brings_the_predicted_punishment_to_bear_on_a_habit():
    s = _state(m_op=M_OP, inc=INC, q=Q, habit=HABIT)
    silenced, intact, restored = (_values(s, g)[1] for g in (0.0, 1.0, 10.0))
    harm = 0.25 / 0.5 * 4.0
    assert silenced == pytest.approx(1.0 - float(P.response_cost), abs=1e-4)   # q alone
    assert intact == pytest.approx(silenced - float(P.pfc_baseline) * harm, abs=1e-3)
    assert restored == pytest.approx(silenced - harm, abs=1e-3)


def test_the_veto_ignores_devaluation_and_a_goal_directed_subject_needs_none():
    # a devalued (not punished) outcome: the habit stays insensitive whatever the gain
    devalued = _state(m_op=M_OP.at[1, SHOCK].set(0.0), inc=INC.at[FOOD].set(-2.0), q=Q,
                      habit=HABIT)
    assert _values(devalued, 0.0)[1] == pytest.approx(_values(devalued, 10.0)[1], abs=1e-6)
    # a novice is goal-directed: the punishment is in its value, with or without the veto
    novice = _state(m_op=M_OP, inc=INC, q=Q)
    assert _values(novice, 0.0)[1] == pytest.approx(_values(novice, 10.0)[1], abs=1e-6)
    assert _values(novice, 1.0)[1] < 0.0


def test_a_shock_paired_cue_suppresses_responding_not_withholding():
    w_id = jnp.zeros((2, N_KINDS)).at[0, SHOCK].set(1.0)       # cue 0 predicts 0.5 mA
    m_op = jnp.zeros((2, N_KINDS)).at[1, FOOD].set(1.0)
    s = _state(m_op=m_op, inc=INC, q=Q, w_id=w_id)
    quiet, threat = _values(s, cues=(False, False)), _values(s, cues=(True, False))
    assert threat[1] == pytest.approx(quiet[1] - 4.0, abs=1e-3)      # novice: all of it
    assert threat[2] == pytest.approx(quiet[2] - 4.0, abs=1e-3)      # every response
    assert threat[0] == pytest.approx(quiet[0])                      # not withholding
    # a habit without a veto is not suppressed by the cue; with the veto it is
    h = _state(m_op=m_op, inc=INC, q=Q, w_id=w_id, habit=HABIT)
    assert _values(h, 0.0, (True, False))[1] == pytest.approx(_values(h, 0.0)[1], abs=1e-3)
    assert _values(h, 1.0, (True, False))[1] < _values(h, 1.0)[1] - 1.0


def _shocked(d2):
    """The cached value after one response that was shocked, at D2 availability ``d2``."""
    s = _state(q=Q)
    s = s.__class__(**{**{f: getattr(s, f) for f in s.__dataclass_fields__},
                       "body": s.body.__class__(**{**{f: getattr(s.body, f) for f in
                                                      s.body.__dataclass_fields__},
                                                   "d2": jnp.float32(d2)})})
    obs = Observation(context=jnp.int32(0), slot_operandum=jnp.asarray([-1, 1, 0], jnp.int32))
    amounts = jnp.zeros(N_KINDS).at[SHOCK].set(0.5)
    ep = Episode(cue_onset=jnp.full((2,), -1, jnp.int32), response_cue=jnp.zeros(2, bool),
                 amounts=amounts, outcome_bin=jnp.int32(1), expected_bin=jnp.int32(1),
                 operandum=jnp.int32(1), completed=jnp.asarray(True), gap_s=jnp.float32(60.0))
    new, _ = learn(P, TABLE, Model.DEFAULT, s, obs, ep)
    return float(new.q[0, 0, 1])


def test_d2_loss_slows_learning_from_punishment():
    base = float(P.d2_baseline)
    full, lost = 1.0 - _shocked(base), 1.0 - _shocked(0.78 * base)
    assert full > 0 and lost > 0
    assert lost / full == pytest.approx(0.78 ** float(P.d2_nogo_exponent), rel=1e-3)
    assert 1.0 - _shocked(1.5 * base) == pytest.approx(full, rel=1e-5)   # capped at naive


# --- known, delayed consequences (brain.prefrontal.later_harm) -------------------------
LOSS = REINFORCER_INDEX[Reinforcer.MONEY_LOSS]
LATER = 2e-4


def _later(state, points, delay_d, gain=1.0):
    """Values with operandum 1 costing ``points`` of money lost ``delay_d`` days later."""
    cons = jnp.zeros((3, N_KINDS)).at[1, LOSS].set(points)
    obs = Observation(context=jnp.int32(0), slot_operandum=jnp.asarray([-1, 1, 0], jnp.int32),
                      pfc_gain=jnp.float32(gain), consequence=cons,
                      consequence_delay=jnp.full((3,), delay_d, jnp.float32))
    return np.asarray(perceive(P, TABLE, state, obs, Model.DEFAULT))


def test_known_consequences_are_discounted_by_their_delay_and_weigh_as_the_punishment_does():
    from addictsim.brain import discounting

    # the rat's rate (k ~ 7000/d) makes a delay of LATER days (17 s) discount by about half
    habit = _state(m_op=M_OP.at[1, SHOCK].set(0.0), inc=INC, q=Q, habit=HABIT)
    free = _values(habit)[1]
    cost = 2.0 * float(REINFORCERS[Reinforcer.MONEY_LOSS].value)
    for delay in (0.0, LATER):
        factor = float(discounting.delay_factor(P, habit.body.load, jnp.float32(delay)))
        # the habit's share hears of them through the veto only: pfc control x cost
        got = _later(habit, 2.0, delay)[1]
        assert got == pytest.approx(free - float(P.pfc_baseline) * cost * factor, abs=1e-3)
        # with the veto silenced, a habit ignores them; the other slot is never touched
        assert _later(habit, 2.0, delay, gain=0.0)[1] == pytest.approx(
            _values(habit, 0.0)[1], abs=1e-6)
        assert _later(habit, 2.0, delay)[2] == pytest.approx(_values(habit)[2], abs=1e-6)
    # a later cost weighs less, the more so for a steeper discounter under load
    assert _later(habit, 2.0, LATER)[1] > _later(habit, 2.0, 0.0)[1]
    loaded = habit.__class__(**{**{f: getattr(habit, f) for f in habit.__dataclass_fields__},
                                "body": habit.body.__class__(**{
                                    **{f: getattr(habit.body, f)
                                       for f in habit.body.__dataclass_fields__},
                                    "load": jnp.float32(5.0)})})
    assert _later(loaded, 2.0, LATER)[1] > _later(habit, 2.0, LATER)[1]
    # a goal-directed subject weighs them whole, whatever its prefrontal control
    novice = _state(m_op=M_OP.at[1, SHOCK].set(0.0), inc=INC, q=Q)
    for g in (0.0, 1.0):
        assert _later(novice, 2.0, 0.0, g)[1] == pytest.approx(
            _values(novice, g)[1] - cost, abs=1e-3)
