"""The memory layer (``brain.memory``): retrieval is a distribution over the open memories,
a run of omissions opens a new memory and a partial schedule does not, the situation fades
with time, a cue shown retrieves the memories that saw it, the comparison variants keep
one memory; and the bad input of the relapse designs is refused with exit 2."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import addictsim
from addictsim.brain import BrainParams, Model
from addictsim.brain import memory
from addictsim.brain.subject import Episode, Observation, elapse, init, learn, recall
from addictsim.pharmacology.reinforcers import (N_KINDS, REINFORCER_INDEX, Reinforcer,
                                                ReinforcerTable)

from _bad_input import assert_cli_exit_2, assert_rejected

P = BrainParams.defaults("rat")
TABLE = ReinforcerTable.build()
SUCROSE = REINFORCER_INDEX[Reinforcer.SUCROSE]
STEP = jax.jit(learn, static_argnums=2)
ELAPSE = jax.jit(elapse)
OBS = Observation(context=jnp.int32(0), slot_operandum=jnp.asarray([-1, 0], jnp.int32),
                  cues=jnp.asarray([True, False]))


def _trial(reinforced: bool, cue: int = 0) -> Episode:
    amounts = jnp.zeros(N_KINDS).at[SUCROSE].set(1.0 if reinforced else 0.0)
    onset = jnp.full((2,), -1, jnp.int32).at[cue].set(0)
    return Episode(cue_onset=onset, response_cue=jnp.zeros(2, bool), amounts=amounts,
                   outcome_bin=jnp.int32(3 if reinforced else -1), expected_bin=jnp.int32(3),
                   operandum=jnp.int32(-1), completed=jnp.asarray(True),
                   gap_s=jnp.float32(60.0))


def _run(trials, model=Model.DEFAULT, state=None, rest_s=0.0):
    """Trials a minute apart (time passes between them, as the engine lets it), after a
    rest of ``rest_s``."""
    s = init(P, n_contexts=2, n_cues=2, n_operanda=1, n_kinds=N_KINDS) if state is None \
        else state
    s = ELAPSE(P, TABLE, s, jnp.float32(rest_s))
    rec = None
    for reinforced in trials:
        s = ELAPSE(P, TABLE, s, jnp.float32(60.0))
        s, rec = STEP(P, TABLE, model, s, OBS, _trial(reinforced))
    return s, rec


def test_abrupt_extinction_opens_a_memory_and_keeps_the_first_intact():
    s, _ = _run([True] * 60)
    learned = float(s.w_id[0, 0, SUCROSE])
    assert float(s.mem.open.sum()) == 1.0 and learned > 0.9
    value = float(s.w[0, 0, 0, 0])
    s, rec = _run([False] * 20, state=s, rest_s=86400.0)
    assert float(s.mem.open.sum()) == 2.0
    # the tone's value in the first memory is nearly intact; the new memory, which now
    # drives behaviour, gives it none
    assert float(s.w[0, 0, 0, 0]) > 0.9 * value
    assert abs(float(s.w[1, 0, 0, 0])) < 0.1
    assert float(rec["memory_original"]) < 0.2
    assert float(rec["cue_value"]) < 0.3 * value


def test_a_stationary_partial_schedule_keeps_one_memory():
    rng = np.random.default_rng(3)
    s, _ = _run(rng.random(200) < 0.5)
    assert float(s.mem.open.sum()) == 1.0


def test_the_comparison_variants_keep_one_memory():
    for model in (Model.TD, Model.REDISH2004):
        s, _ = _run([True] * 60 + [False] * 30, model=model)
        assert float(s.mem.open.sum()) == 1.0, model


def test_the_situation_fades_and_time_brings_the_first_memory_back():
    s, _ = _run([True] * 100)
    s, _ = _run([False] * 60, state=s, rest_s=86400.0)
    p_now = float(recall(P, TABLE, s, OBS).p[0])
    assert float(s.mem.situation[1]) > 0.9
    later = ELAPSE(P, TABLE, s, jnp.float32(21 * 86400.0))
    assert float(later.mem.situation.sum()) < 1e-6          # a rest ends the situation
    p_later = float(recall(P, TABLE, later, OBS).p[0])
    assert p_later > p_now + 0.3                             # spontaneous recovery


def test_a_cue_shown_retrieves_the_memory_that_saw_it():
    m = memory.init(1, 2, N_KINDS, jnp.float32)
    m = memory.Memory(open=jnp.asarray([1.0, 1.0, 0.0, 0.0]),
                      recency=jnp.ones((4, 4)), context=jnp.full((4, 1), 10.0),
                      cue=jnp.asarray([[10.0, 0.0], [0.0, 10.0], [0.0, 0.0], [0.0, 0.0]]),
                      drug=m.drug, outcome=jnp.zeros((4, N_KINDS)), surprise=m.surprise,
                      idle=m.idle, situation=m.situation,
                      pending=jnp.zeros((4, 2)), labile=jnp.zeros(4))
    none = memory.retrieve(P, m, 0, 0.0, jnp.asarray([False, False]))
    first = memory.retrieve(P, m, 0, 0.0, jnp.asarray([True, False]))
    second = memory.retrieve(P, m, 0, 0.0, jnp.asarray([False, True]))
    assert float(none[0]) == float(none[1])
    assert float(first[0]) > 0.9 and float(second[1]) > 0.9


@given(rec=st.lists(st.floats(0, 1e4), min_size=16, max_size=16),
       ctx=st.lists(st.floats(0, 1e3), min_size=8, max_size=8),
       idle=st.lists(st.floats(0, 1e8), min_size=4, max_size=4),
       n_open=st.integers(1, 4), drug=st.floats(0, 1), shown=st.booleans())
@settings(max_examples=60, deadline=None)
def test_retrieval_is_a_distribution_over_the_open_memories(rec, ctx, idle, n_open, drug,
                                                           shown):
    open_ = (jnp.arange(4) < n_open).astype(jnp.float32)
    m = memory.Memory(open=open_, recency=jnp.asarray(rec, jnp.float32).reshape(4, 4),
                      context=jnp.asarray(ctx, jnp.float32).reshape(4, 2),
                      cue=jnp.asarray(ctx, jnp.float32).reshape(4, 2)[:, :1] * 0.5,
                      drug=jnp.zeros(4), outcome=jnp.zeros((4, N_KINDS)),
                      surprise=jnp.float32(0.0), idle=jnp.asarray(idle, jnp.float32),
                      situation=jnp.zeros(4), pending=jnp.zeros((4, 2)), labile=jnp.zeros(4))
    p = np.asarray(memory.retrieve(P, m, 1, jnp.float32(drug), jnp.asarray([shown])))
    assert np.all(np.isfinite(p)) and np.all(p >= 0)
    assert abs(p.sum() - 1.0) < 1e-5
    assert np.all(p[n_open:] == 0)


def test_fixed_order_sums_match_numpy():
    x = jnp.asarray(np.random.default_rng(0).random((3, 4, 5)), jnp.float32)
    for axis in (0, 1, 2, -1):
        np.testing.assert_allclose(np.asarray(memory.total(x, axis)),
                                   np.asarray(x).sum(axis), rtol=1e-6)
        np.testing.assert_allclose(np.asarray(memory.product(x, axis)),
                                   np.asarray(x).prod(axis), rtol=1e-5)


RENEWAL = """schema_version = 1
[scenario]
name = "renewal"
species = "rat"
{contexts}
cues = ["tone"]
[cohort]
subjects = 2
[[phase]]
name = "acquisition"
task = "pavlovian"
reinforcer = "sucrose"
trials = ["10 x tone+ @ A", {rest}, "5 x tone- @ A"]
"""


def test_a_trial_in_an_undeclared_context_is_refused(tmp_path):
    text = RENEWAL.format(contexts="", rest='"rest 1 d"')
    assert_rejected(text, ["phase[0] 'acquisition'", "unknown context 'A'",
                           "declare every context"])
    assert_cli_exit_2(tmp_path, text, "unknown context 'A'")


def test_a_gap_without_a_unit_is_refused(tmp_path):
    text = RENEWAL.format(contexts='contexts = ["A"]', rest='"rest 10"')
    assert_rejected(text, ["'rest 10'", "has no unit"])
    assert_cli_exit_2(tmp_path, text, "has no unit")


def test_the_memory_records_are_in_range_and_the_report_draws_them(tmp_path):
    from addictsim.report.figures import fig_memory

    text = RENEWAL.format(contexts='contexts = ["A"]', rest='"rest 1 d"').replace(
        '"10 x tone+ @ A"', '"40 x tone+ @ A"')
    ds = addictsim.simulate(text, record="episode", progress=False)
    p0 = ds.memory_original.values
    assert np.all((p0 >= 0) & (p0 <= 1))
    n = ds.memories.values
    assert np.all((n >= 1) & (n <= memory.SLOTS)) and np.all(np.diff(n, axis=1) >= 0)
    assert n[:, -1].max() == 2                  # the unreinforced tones opened a memory
    info = fig_memory(ds, tmp_path)
    assert info is not None and info.path.exists()
    # without a second memory there is nothing to show
    assert fig_memory(ds.isel(episode=slice(0, 40)), tmp_path) is None


def test_salience_weighs_a_cue_s_evidence():
    m = memory.init(1, 2, N_KINDS, jnp.float32)
    m = memory.Memory(open=jnp.asarray([1.0, 1.0, 0.0, 0.0]),
                      recency=jnp.asarray([[1.0] * 4, [20.0] * 4, [0.0] * 4, [0.0] * 4]),
                      context=jnp.full((4, 1), 10.0),
                      cue=jnp.asarray([[5.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]),
                      drug=m.drug, outcome=jnp.zeros((4, N_KINDS)), surprise=m.surprise,
                      idle=m.idle, situation=m.situation,
                      pending=jnp.zeros((4, 2)), labile=jnp.zeros(4))
    shown = jnp.asarray([True, False])
    plain = memory.retrieve(P, m, 0, 0.0, shown)
    keen = memory.retrieve(P, m, 0, 0.0, shown, jnp.asarray([3.0, 1.0]))
    deaf = memory.retrieve(P, m, 0, 0.0, shown, jnp.asarray([0.0, 1.0]))
    # the prior favours the second memory 20:1, the cue the first 11:1 per unit of salience
    assert float(plain[0]) < 0.5 < float(keen[0])
    assert abs(float(deaf[0]) - 1.0 / 21.0) < 1e-3


# --- reconsolidation -----------------------------------------------------------------------

def _labile_after(minutes: float) -> float:
    mem = memory.init(1, 2, N_KINDS, jnp.float32)
    mem = eqx.tree_at(lambda m: m.pending, mem, mem.pending.at[0, 0].set(1.0))
    return float(memory.elapse(P, mem, jnp.float32(minutes * 60.0)).labile[0])


def test_lability_rises_over_minutes_and_closes_over_hours():
    # a retrieval with an omission starts destabilisation: about half labile 10 min later,
    # still open at 1 h, closed by 6 h (Monfils et al. 2009; Xue et al. 2012)
    assert _labile_after(1.0) < 0.05
    assert 0.4 < _labile_after(10.0) < 0.8
    assert _labile_after(60.0) > 0.5
    assert _labile_after(360.0) < 0.1


@settings(max_examples=25, deadline=None)
@given(st.floats(0.0, 6.0 * 3600.0), st.floats(0.0, 6.0 * 3600.0))
def test_the_chain_is_solved_exactly_whatever_the_steps(t1, t2):
    # elapsing t1 then t2 equals elapsing t1 + t2 (the closed form is the chain's solution)
    mem = memory.init(1, 2, N_KINDS, jnp.float64 if jax.config.jax_enable_x64 else jnp.float32)
    mem = eqx.tree_at(lambda m: (m.pending, m.labile), mem,
                      (mem.pending.at[0].set(jnp.asarray([0.5, 0.2])), mem.labile.at[0].set(0.3)))
    two = memory.elapse(P, memory.elapse(P, mem, t1), t2)
    one = memory.elapse(P, mem, t1 + t2)
    np.testing.assert_allclose(two.labile, one.labile, atol=2e-5)
    np.testing.assert_allclose(two.pending, one.pending, atol=2e-5)
    assert float(one.labile[0]) <= 1.0 and float(jnp.min(one.pending)) >= 0.0


def test_only_a_withheld_outcome_destabilises():
    mem = memory.init(1, 2, N_KINDS, jnp.float32)
    r = jnp.zeros(memory.SLOTS).at[0].set(1.0)
    for omitted, started in ((0.0, 0.0), (-1.0, 0.0), (0.6, 0.6), (3.0, 1.0)):
        pending = memory.destabilise(mem, r, jnp.full(memory.SLOTS, omitted))
        assert float(pending[0, 0]) == pytest.approx(started), omitted
        assert float(jnp.sum(pending[1:])) == 0.0


def _retrieval_extinction(gap_s: float, block: float = 0.0, reinforced: bool = False):
    """60 cue -> sucrose trials, then a retrieval (cue, nothing), ``gap_s`` later 1 trial a
    minute for 15 minutes, cue alone or (``reinforced``) cue -> sucrose, with an NMDA blocker
    (``block``) on board from the retrieval; returns the state and the last record."""
    state = init(P, n_contexts=1, n_cues=2, n_operanda=1, n_kinds=N_KINDS)
    for _ in range(60):
        state, _ = STEP(P, TABLE, Model.DEFAULT, ELAPSE(P, TABLE, state, 60.0), OBS, _trial(True))
    state = ELAPSE(P, TABLE, state, 86400.0)
    obs = OBS if block == 0 else eqx.tree_at(lambda o: o.nmda_block, OBS, jnp.float32(block),
                                             is_leaf=lambda x: x is None)
    state, _ = STEP(P, TABLE, Model.DEFAULT, state, obs, _trial(False))
    state = ELAPSE(P, TABLE, state, gap_s)
    for _ in range(15):
        state, rec = STEP(P, TABLE, Model.DEFAULT, ELAPSE(P, TABLE, state, 60.0), obs,
                          _trial(reinforced))
    return state, rec


def test_extinction_inside_the_window_revises_the_first_memory():
    inside, rec_in = _retrieval_extinction(600.0)
    outside, rec_out = _retrieval_extinction(6 * 3600.0)
    # 6 h later the window has closed: extinction opens a second memory and the first keeps
    # its expectation; 10 min later extinction rewrites the first
    assert float(outside.mem.open.sum()) == 2 and float(inside.mem.open.sum()) == 1
    assert float(inside.w_id[0, 0, SUCROSE]) < 0.2 < float(outside.w_id[0, 0, SUCROSE])
    assert float(rec_in["memory_labile"]) > 0.3 > float(rec_out["memory_labile"])


def test_a_blocker_inside_the_window_erases_what_is_labile():
    mem = memory.init(1, 2, N_KINDS, jnp.float32)
    mem = eqx.tree_at(lambda m: m.labile, mem, mem.labile.at[0].set(0.8))
    keep, after = memory.block_restabilisation(mem, jnp.float32(0.5))
    np.testing.assert_allclose(keep[:2], [0.6, 1.0])
    np.testing.assert_allclose(after.labile[0], 0.4)
    # in a subject: a retrieval, then the blocker on board while the window opens: what is
    # labile is lost as it becomes labile, so even reinforced trials leave the first memory
    # weaker than the same trials without the blocker
    blocked, _ = _retrieval_extinction(600.0, block=1.0, reinforced=True)
    spared, _ = _retrieval_extinction(600.0, reinforced=True)
    assert float(spared.w_id[0, 0, SUCROSE]) > 0.9
    assert float(blocked.w_id[0, 0, SUCROSE]) < 0.85 * float(spared.w_id[0, 0, SUCROSE])


RETRIEVAL = """schema_version = 1
[scenario]
name = "retrieval"
contexts = ["A"]
cues = ["light"]
[[phase]]
name = "extinction"
task = "self_administration"
extinction = true
context = "A"
cue = "light"
retrieval = "light"
session = "10 min"
days = 1
{extra}
"""


def test_a_retrieval_gap_without_a_unit_is_refused(tmp_path):
    text = RETRIEVAL.format(extra='retrieval_gap = "10"')
    assert_rejected(text, ["retrieval_gap", "has no unit"])
    assert_cli_exit_2(tmp_path, text, "has no unit")


def test_a_blocker_beyond_all_receptors_is_refused(tmp_path):
    text = RETRIEVAL.format(extra="nmda_blocker = 1.5")
    assert_rejected(text, ["nmda_blocker", "from 0 (none) to 1 (all)", "1.5"])
    assert_cli_exit_2(tmp_path, text, "nmda_blocker")


def test_an_undeclared_retrieval_cue_is_refused(tmp_path):
    text = RETRIEVAL.replace('retrieval = "light"', 'retrieval = "tone"').format(extra="")
    assert_rejected(text, ["cue 'tone' is used but not declared"])
    assert_cli_exit_2(tmp_path, text, "cue 'tone'")


def test_a_retrieval_with_stress_that_overflows_the_day_is_refused(tmp_path):
    # 20 h of gap, 1 h of stress and a 4-h session: 25 h a day (the schedule would overlap
    # the next day's retrieval)
    text = RETRIEVAL.format(extra='retrieval_gap = "20 h"\nstress = "0.5 mA"\n'
                                  'stress_for = "1 h"').replace('session = "10 min"',
                                                                 'session = "4 h"')
    assert_rejected(text, ["after a retrieval", "do not fit in a day"])
    assert_cli_exit_2(tmp_path, text, "do not fit in a day")
