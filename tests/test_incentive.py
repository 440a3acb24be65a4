"""Incentive salience (brain.incentive): wanting recomputed from the state, apart from liking."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addictsim import load_scenario
from addictsim.brain import incentive
from addictsim.brain.params import BrainParams, Model
from addictsim.brain.subject import Observation, elapse, init, learn, wanting
from addictsim.pharmacology.reinforcers import (N_KINDS, REINFORCER_INDEX, REINFORCERS, Kind,
                                                Reinforcer, ReinforcerTable, surge_per_kind)
from addictsim.world.schedule import compile_schedule

from test_brain import amounts, episode  # noqa: E402  (tests/ is on sys.path)

TABLE = ReinforcerTable.build()
P = BrainParams.defaults("rat")
DAY = 86400.0
_learn = jax.jit(learn, static_argnums=2)
_elapse = jax.jit(elapse)
SUC, FOOD, SALT, COC = (REINFORCER_INDEX[Reinforcer(r)] for r in
                        ("sucrose", "food", "salt", "cocaine"))


def obs(**kw):
    return Observation(context=jnp.asarray(0, jnp.int32),
                       slot_operandum=jnp.asarray([-1, -1, -1], jnp.int32), **kw)


def trained():
    """Cue 0 paired with sucrose, cue 1 with food, cue 2 with salt (40 trials each)."""
    s = init(P, n_contexts=1, n_cues=3, n_operanda=1, n_kinds=N_KINDS)
    for _ in range(40):
        for c, kind in enumerate(("sucrose", "food", "salt")):
            onset = [-1, -1, -1]
            onset[c] = 0
            s = _elapse(P, TABLE, s, 60.0)
            s, _ = _learn(P, TABLE, Model.DEFAULT, s, obs(), episode(onset, amounts(**{kind: 1}),
                                                                     3))
    return s


@pytest.fixture(scope="module")
def state():
    return trained()


def test_a_clamp_scales_the_target_cue_exactly_and_leaves_the_others(state):
    w1, _, _ = wanting(P, TABLE, state, obs())
    clamp = jnp.ones(N_KINDS).at[SUC].set(2.0)
    w2, kappa, _ = wanting(P, TABLE, state, obs(kappa=clamp))
    assert float(w1[0]) > 0.3
    # the sucrose cue predicts a little of the other outcomes too (none here): ratio ~2
    assert np.isclose(float(w2[0] / w1[0]), 2.0, rtol=1e-3)
    assert np.isclose(float(w2[1]), float(w1[1]), rtol=1e-6)
    assert float(kappa[SUC]) == pytest.approx(2.0 * float(kappa[FOOD]), rel=1e-3)


def test_sodium_need_turns_the_salt_cue_attractive_without_touching_the_others(state):
    w1, _, worth1 = wanting(P, TABLE, state, obs())
    need = jnp.zeros(N_KINDS).at[SALT].set(1.0)
    w2, _, worth2 = wanting(P, TABLE, state, obs(need=need))
    assert float(w1[2]) < -0.3 and float(w2[2]) > 0.3
    assert np.allclose(w1[:2], w2[:2])
    assert float(worth1[SALT]) < 0 < float(worth2[SALT])


def test_comparison_variants_have_no_state_dependence(state):
    need = jnp.zeros(N_KINDS).at[SALT].set(1.0)
    w_td, kappa, _ = wanting(P, TABLE, state, obs(need=need, kappa=jnp.full(N_KINDS, 3.0)),
                             Model.TD)
    assert np.allclose(kappa, 1.0)
    assert np.allclose(w_td, P.incentive_attribution * state.w[0, 0, :, 0])


def test_the_clamp_changes_wanting_not_liking(state):
    clamp = jnp.full(N_KINDS, 3.0)
    ep = episode([0, -1, -1], amounts(sucrose=1), 3)
    _, r1 = _learn(P, TABLE, Model.DEFAULT, state, obs(), ep)
    _, r2 = _learn(P, TABLE, Model.DEFAULT, state, obs(kappa=clamp), ep)
    assert float(r2["liking"]) == pytest.approx(float(r1["liking"]))
    assert float(r2["wanting"]) == pytest.approx(3.0 * float(r1["wanting"]), rel=1e-4)


def _doses(gap_s, n=7, dose=2.0):
    """``n`` amphetamine doses ``gap_s`` apart; the final sensitisation."""
    s = init(P, n_contexts=1, n_cues=1, n_operanda=1, n_kinds=N_KINDS)
    for _ in range(n):
        s = _elapse(P, TABLE, s, gap_s)
        s, _ = _learn(P, TABLE, Model.DEFAULT, s, obs(), episode([-1], amounts(amphetamine=dose),
                                                                 1))
    return s


def test_intermittent_doses_sensitise_and_the_same_doses_in_a_row_hardly_do():
    daily = float(_doses(DAY).body.sensitization)
    massed = float(_doses(300.0).body.sensitization)
    assert daily > 0.5
    assert massed < 0.4 * daily


def test_sensitisation_lasts_months():
    s = _doses(DAY)
    s0 = float(s.body.sensitization)
    later = _elapse(P, TABLE, s, 90 * DAY)
    assert 0.7 * s0 < float(later.body.sensitization) < s0


def _incubation_after(kind, n, days):
    """Incubated gain of ``kind``'s cues ``days`` after ``n`` deliveries a minute apart."""
    s = init(P, n_contexts=1, n_cues=1, n_operanda=1, n_kinds=N_KINDS)
    for _ in range(n):
        s = _elapse(P, TABLE, s, 60.0)
        s, _ = _learn(P, TABLE, Model.DEFAULT, s, obs(), episode([-1], amounts(**{kind: 1}), 1))
    out = []
    for d in days:
        t = _elapse(P, TABLE, s, d * DAY)
        out.append(float(incentive.incubation(P, TABLE, t.body.since, t.body.exposure)[
            REINFORCER_INDEX[Reinforcer(kind)]]))
    return np.array(out)


def test_incubation_is_nil_in_use_rises_for_weeks_then_falls():
    days = [0.01, 1, 30, 60, 90, 180]
    coc = _incubation_after("cocaine", 400, days)
    assert coc[0] < 1e-3 * coc.max()
    assert coc[1] < 0.1 * coc.max()
    assert np.argmax(coc) in (2, 3, 4) and coc[5] < 0.7 * coc.max()
    suc = _incubation_after("sucrose", 400, days)
    assert np.argmax(suc) <= 2 and suc.max() < 0.5 * coc.max()


def test_more_exposure_more_incubation():
    few = _incubation_after("cocaine", 30, [60])[0]
    many = _incubation_after("cocaine", 400, [60])[0]
    assert 0 < few < 0.5 * many


def test_incubation_time_course_peaks_where_the_table_says():
    for r in (Reinforcer.COCAINE, Reinforcer.SUCROSE):
        spec = REINFORCERS[r]
        t = np.linspace(0, 200, 20001)
        f = spec.incubation_norm * (np.exp(-t / spec.incubation_decay_d)
                                    - np.exp(-t / spec.incubation_rise_d))
        assert np.isclose(f.max(), 1.0, atol=1e-6)
        assert abs(t[np.argmax(f)] - spec.incubation_peak_d) < 0.02


@settings(max_examples=40, deadline=None)
@given(level=st.floats(0, 50), sens=st.floats(0, 1), since=st.floats(0, 1e8),
       exposure=st.floats(0, 20), w=st.floats(0, 1), clamp=st.floats(0, 100))
def test_gains_are_finite_and_non_negative(level, sens, since, exposure, w, clamp):
    lv = jnp.zeros(N_KINDS).at[COC].set(level)
    from addictsim.brain import receptors
    occ = jnp.sum(receptors.occupancy(receptors.drug_effect(P, TABLE, lv)))
    inc = incentive.incubation(P, TABLE, jnp.full(N_KINDS, since), jnp.full(N_KINDS, exposure))
    kappa, general = incentive.gains(P, TABLE, occ, sens, inc, w, jnp.full(N_KINDS, clamp))
    assert np.all(np.isfinite(kappa)) and np.all(np.asarray(kappa) >= 0)
    assert float(general) >= 0.5
    aversive = np.asarray(TABLE.kind) == Kind.AVERSIVE
    assert np.all(np.asarray(kappa)[aversive] == 1.0)


@settings(max_examples=30, deadline=None)
@given(a=st.one_of(st.just(0.0), st.floats(1e-6, 30)), since=st.floats(0, 1e7), e0=st.floats(0, 5), s0=st.floats(0, 1))
def test_delivery_keeps_sensitisation_in_range_and_exposure_between_old_and_surge(a, since, e0,
                                                                                  s0):
    amt = jnp.zeros(N_KINDS).at[COC].set(a)
    surge = surge_per_kind(TABLE, amt, P.drug_sensitivity)
    t, e, s = incentive.deliver(P, TABLE, jnp.full(N_KINDS, since), jnp.full(N_KINDS, e0),
                                jnp.asarray(s0), amt, surge)
    assert 0.0 <= float(s) <= 1.0 and float(s) >= s0 - 1e-7
    lo, hi = sorted((e0, float(surge[COC])))
    if a > 0:
        assert lo - 1e-6 <= float(e[COC]) <= hi + 1e-6 and float(t[COC]) == 0.0
    else:
        assert float(e[COC]) == pytest.approx(e0) and float(t[COC]) == pytest.approx(since)


PRIMED = """
schema_version = 1
[scenario]
name = "primed"
cues = ["light"]
[[phase]]
name = "ext"
task = "self_administration"
extinction = true
prime = "10 mg/kg"
session = "10 min"
sessions_per_day = 2
days = 2
"""


def test_a_prime_is_a_dose_before_each_session_whatever_the_subject_does():
    cs = compile_schedule(load_scenario(PRIMED))
    primes = np.flatnonzero(cs.trial_type == "prime")
    assert len(primes) == 4
    a = cs.arrays
    assert np.all(a["us_amounts"][primes, COC] == 10.0) and np.all(a["us_prob"][primes] == 1.0)
    assert np.all(a["slot_operandum"][primes] == -1)
    # the session follows one minute later, and nothing else delivers anything
    assert np.allclose(np.diff(cs.day * DAY)[primes], 60.0)
    assert a["us_amounts"].sum() == 40.0 and a["slot_amounts"].sum() == 0.0


def test_phase_state_reaches_the_schedule():
    text = PRIMED.replace('prime = "10 mg/kg"\n', 'sodium_depletion = true\n'
                          'kappa = { cocaine = 2.5 }\n')
    cs = compile_schedule(load_scenario(text))
    assert np.all(cs.arrays["need"][:, SALT] == 1.0) and cs.arrays["need"].sum() == cs.n_episodes
    assert np.all(cs.arrays["kappa"][:, COC] == 2.5)
