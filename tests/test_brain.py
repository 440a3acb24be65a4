"""Unit tests of the brain's circuits, one subject at a time."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from addictsim._params import Species, specs_of
from addictsim.brain import dopamine
from addictsim.brain.params import N_BINS, BrainParams, Model
from addictsim.brain.subject import (Episode, Observation, init, learn, perceive, recall,
                                     softmax_policy)
from addictsim.pharmacology.reinforcers import (N_KINDS, REINFORCER_INDEX, REINFORCERS, Reinforcer,
                                                 ReinforcerTable, dopamine_surge, hedonic_reward)

#: the learning step compiled once (the loops below run it hundreds of times)
_learn = jax.jit(learn, static_argnums=2)

TABLE = ReinforcerTable.build()


def amounts(**kw):
    a = np.zeros(N_KINDS, np.float32)
    for k, v in kw.items():
        a[REINFORCER_INDEX[Reinforcer(k)]] = v
    return jnp.asarray(a)


def episode(onset, amt, out_bin, op=-1, resp=None, gap=60.0):
    onset = jnp.asarray(onset, jnp.int32)
    return Episode(cue_onset=onset,
                   response_cue=jnp.zeros(onset.shape, bool) if resp is None else jnp.asarray(resp),
                   amounts=amt, outcome_bin=jnp.asarray(out_bin, jnp.int32),
                   expected_bin=jnp.asarray(out_bin, jnp.int32), operandum=jnp.asarray(op, jnp.int32),
                   completed=jnp.asarray(op >= 0), gap_s=jnp.asarray(gap, jnp.float32))


def state0(p, n_cues=2, n_op=2):
    return init(p, n_contexts=2, n_cues=n_cues, n_operanda=n_op, n_kinds=N_KINDS)


OBS = Observation(context=jnp.asarray(0, jnp.int32), slot_operandum=jnp.asarray([-1, 1, 0], jnp.int32))


def test_every_parameter_declares_default_unit_range_meaning_source():
    specs = specs_of(BrainParams)
    assert len(specs) >= 10
    for name, s in specs.items():
        assert s.name == name and s.unit and s.meaning and s.source
        for sp in Species:
            assert s.low <= s.defaults[sp] <= s.high
    with pytest.raises(ValueError, match="alpha"):
        specs["alpha"].check(2.0)
    with pytest.raises(KeyError):
        BrainParams.defaults(alhpa=0.1)


def test_csc_values_and_update_match_index_arithmetic():
    w = jnp.arange(2 * N_BINS, dtype=jnp.float32).reshape(2, N_BINS)
    onset = jnp.asarray([1, -1])
    x = dopamine.elements(onset)
    v = dopamine.values(w, x)
    want = [0.0] + [float(w[0, t - 1]) for t in range(1, N_BINS)]
    np.testing.assert_allclose(v, want)
    delta = jnp.arange(N_BINS + 1, dtype=jnp.float32)
    dw = dopamine.weight_update(delta, x)
    # element (0, j) is active at bin 1 + j and takes the error that follows, delta[2 + j]
    np.testing.assert_allclose(dw[0, : N_BINS - 1], np.arange(2, N_BINS + 1))
    assert float(dw[0, N_BINS - 1]) == 0.0 and float(jnp.abs(dw[1]).sum()) == 0.0


@pytest.mark.parametrize("model", list(Model))
def test_drug_term_by_variant(model):
    v = jnp.zeros(N_BINS)
    r = jnp.zeros(N_BINS)
    d = jnp.zeros(N_BINS).at[3].set(0.5)
    big_v = v.at[2].set(5.0)  # the drug is over-predicted: base error at bin 3 is -5
    delta = dopamine.prediction_errors(big_v, r, d, 1.0, 0.0, model)
    if model is Model.TD:
        assert float(delta[3]) == pytest.approx(-5.0)
    elif model is Model.DEFAULT:
        assert float(delta[3]) == pytest.approx(-4.5)
    else:  # Redish 2004: never below D
        assert float(delta[3]) == pytest.approx(0.5)


def test_dopamine_surges_inside_reference_bands():
    """REFERENCES.md da_surge_drug_vs_natural: food 130-160%, cocaine 250-600%."""
    one = jnp.asarray(1.0)
    food, _ = dopamine_surge(TABLE, amounts(food=1), one)
    coc, coc_drug = dopamine_surge(TABLE, amounts(cocaine=0.75), one)
    assert 1.30 <= 1 + float(food) <= 1.60
    assert 2.50 <= 1 + float(coc) <= 6.00 and float(coc_drug) == pytest.approx(float(coc))
    doses = jnp.linspace(0.05, 5.0, 30)
    peaks = [float(dopamine_surge(TABLE, amounts(cocaine=float(x)), one)[0]) for x in doses]
    assert np.all(np.diff(peaks) > 0)   # a higher dose never gives a lower peak
    assert float(hedonic_reward(TABLE, amounts(shock=0.5))) < -1.0
    assert float(hedonic_reward(TABLE, amounts(food=2))) == pytest.approx(2.0)
    for r in Reinforcer:
        assert REINFORCERS[r].source


def test_learning_moves_dopamine_from_outcome_to_cue_and_omission_dips():
    p = BrainParams.defaults("human")
    s = state0(p)
    ep = episode([0, -1], amounts(sucrose=1), 3)
    first = None
    for i in range(300):
        s, rec = _learn(p, TABLE, Model.DEFAULT, s, OBS, ep)
        first = rec if first is None else first
    r = float(hedonic_reward(TABLE, amounts(sucrose=1)))
    assert float(first["da_outcome"]) == pytest.approx(r, rel=1e-3)
    assert float(first["da_cue"]) == pytest.approx(0.0, abs=1e-6)
    assert float(rec["da_outcome"]) <= 0.1 * r
    assert float(rec["da_cue"]) >= 0.8 * r
    omission = Episode(cue_onset=jnp.asarray([0, -1], jnp.int32), response_cue=jnp.zeros(2, bool),
                       amounts=amounts(), outcome_bin=jnp.asarray(-1, jnp.int32),
                       expected_bin=jnp.asarray(3, jnp.int32), operandum=jnp.asarray(-1, jnp.int32),
                       completed=jnp.asarray(False), gap_s=jnp.asarray(60.0))
    _, omit = _learn(p, TABLE, Model.DEFAULT, s, OBS, omission)
    assert float(omit["da_outcome"]) <= -0.8 * r


def test_redish_value_grows_without_bound_default_is_bounded():
    p = BrainParams.defaults("rat")
    ep = episode([0, -1], amounts(cocaine=0.75), 3)
    vals = {}
    for model in (Model.DEFAULT, Model.REDISH2004):
        s = state0(p)
        trace = []
        for _ in range(600):
            s, rec = _learn(p, TABLE, model, s, OBS, ep)
            trace.append(float(rec["cue_value"]))
        vals[model] = trace
    d = vals[Model.DEFAULT]
    assert abs(d[-1] - d[-200]) <= 0.02 * abs(d[-1])
    rd = vals[Model.REDISH2004]
    assert rd[-1] > 1.5 * rd[-300] > 0


def test_instrumental_value_and_conditioned_reinforcement():
    p = BrainParams.defaults("rat")
    s = state0(p)
    # the light alone is paired with cocaine (Pavlovian), then a lever produces only the light
    for _ in range(200):
        s, _ = _learn(p, TABLE, Model.DEFAULT, s, OBS, episode([0, -1], amounts(cocaine=0.75), 3))
    q_before = float(s.q[0, 0, 1])
    for _ in range(20):
        s, _ = _learn(p, TABLE, Model.DEFAULT, s, OBS,
                     episode([1, -1], amounts(), -1, op=1, resp=[True, False]))
    assert float(s.q[0, 0, 1]) > q_before + 0.2
    # with the habit share fixed at 1 (DMS inactivated) the values are the cached ones
    habit_only = Observation(context=OBS.context, slot_operandum=OBS.slot_operandum,
                             intact=jnp.asarray([1.0, 0.0, 1.0]))
    # (the cached values of the memories retrieved now: the unreinforced presses opened
    # an extinction memory beside the first, brain.memory)
    vals = perceive(p, TABLE, s, habit_only)
    assert float(s.mem.open.sum()) == 2.0
    q_now = recall(p, TABLE, s, habit_only).q
    assert float(vals[0]) == pytest.approx(float(p.other_value))
    assert float(vals[1]) == pytest.approx(float(q_now[1] - p.response_cost))
    assert float(vals[2]) == pytest.approx(float(q_now[0] - p.response_cost))
    # intact, the novice is goal-directed: the lever is worth the light it produces now
    light = float(p.gamma * s.w[0, 0, 0, 0] * s.m_cue[0, 1, 0])
    assert light > 0.3
    assert float(perceive(p, TABLE, s, OBS)[1]) > float(p.other_value)


def test_craving_reads_drug_cues_not_food_cues():
    p = BrainParams.defaults("rat")
    s = state0(p)
    for _ in range(200):
        s, rec_drug = _learn(p, TABLE, Model.DEFAULT, s, OBS, episode([0, -1], amounts(cocaine=0.75), 3))
        s, rec_food = _learn(p, TABLE, Model.DEFAULT, s, OBS, episode([-1, 0], amounts(food=1), 3))
    assert 0 < float(rec_drug["craving"]) <= 10
    assert float(rec_food["craving"]) == pytest.approx(0.0, abs=1e-3)
    assert float(rec_food["cue_value"]) > 0.5


def test_softmax_policy_frequencies_and_unavailable_slots():
    vals = jnp.asarray([0.0, 1.0, -1e9])
    us = jax.random.uniform(jax.random.key(0), (20000,))
    acts = np.asarray(jax.vmap(lambda u: softmax_policy(vals, 2.0, u))(us))
    assert not (acts == 2).any()
    p1 = np.exp(2.0) / (1 + np.exp(2.0))
    assert abs((acts == 1).mean() - p1) < 0.01
