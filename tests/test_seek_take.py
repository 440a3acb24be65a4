"""The seeking-taking chain with punishment: a completed seeking link ends either in footshock
or in access to the taking lever, never both, with the scenario's probability; bad input is
one clear line (exit 2)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addictsim import load_scenario, simulate
from addictsim.engine import Record, pad_schedule
from addictsim.pharmacology.reinforcers import REINFORCER_INDEX, Reinforcer
from addictsim.world import apparatus
from addictsim.world.schedule import compile_schedule
from addictsim.world.tasks.seek_take import ACCESS_CUE

CHAIN = """schema_version = 1
[scenario]
name = "chain"
cues = ["light", "tone"]
[cohort]
subjects = 8
[[phase]]
name = "chain"
task = "seek_take"
dose = "0.75 mg/kg"
cue = "light"
cycles = 5
days = 2
EXTRA
"""
SHOCK = REINFORCER_INDEX[Reinforcer.SHOCK]
COCAINE = REINFORCER_INDEX[Reinforcer.COCAINE]


def _rows(extra: str):
    cs = compile_schedule(load_scenario(CHAIN.replace("EXTRA", extra)))
    rows, _ = pad_schedule(cs, Record.EPISODE, jnp.float32)
    return cs, rows


def _cycle(rows, cs, k: int, u: float, seek: int = 1, take: int = 1):
    """Play cycle ``k`` (its seek and take episodes) with the given actions and draw."""
    state = apparatus.init()
    eps = []
    for e, a in ((2 * k, seek), (2 * k + 1, take)):
        row = jax.tree.map(lambda x: x[e], rows)
        eps.append(apparatus.observe(row, state))
        state, ep = apparatus.step(row, state, jnp.asarray(a), jnp.asarray(u))
        eps.append(ep)
    return eps            # obs(seek), episode(seek), obs(take), episode(take)


def test_the_chain_is_seek_then_take_and_the_taking_lever_delivers_the_drug():
    cs, rows = _rows("")
    assert list(cs.trial_type[:4]) == ["seek", "take", "seek", "take"]
    assert cs.n_episodes == 2 * 5 * 2
    _, seek, obs_take, take = _cycle(rows, cs, 0, u=0.3)
    access = cs.cues.index(ACCESS_CUE)
    assert bool(seek.response_cue[access]) and bool(seek.continues)   # the lever comes in
    assert float(seek.amounts.sum()) == 0.0                            # no punishment here
    assert int(obs_take.slot_operandum[1]) == cs.operanda.index("taking lever")
    assert float(take.amounts[COCAINE]) > 0 and bool(take.response_cue[cs.cues.index("light")])


def test_a_withheld_seek_leaves_the_taking_lever_out():
    cs, rows = _rows("")
    _, seek, obs_take, take = _cycle(rows, cs, 0, u=0.3, seek=0)
    assert not bool(seek.completed)
    assert np.all(np.asarray(obs_take.slot_operandum) < 0)
    assert float(take.amounts.sum()) == 0.0


@settings(max_examples=25, deadline=None)
@given(p=st.sampled_from([0.0, 0.25, 0.5, 1.0]), u=st.floats(0.0, 0.999))
def test_a_seeking_link_ends_in_shock_or_in_access_never_both(p, u):
    cs, rows = _CACHE.setdefault(p, _rows(f"punishment = {p}\nshock = \"0.5 mA\""))
    _, seek, obs_take, take = _cycle(rows, cs, 1, u=u)
    shocked = float(seek.amounts[SHOCK]) > 0
    access = bool(np.any(np.asarray(obs_take.slot_operandum) >= 0))
    assert shocked != access
    assert shocked == (u < p)
    if shocked:
        assert float(seek.amounts[SHOCK]) == pytest.approx(0.5)
        assert float(take.amounts.sum()) == 0.0


_CACHE: dict = {}


def test_the_aversive_cue_is_on_during_seeking_only():
    cs, rows = _rows('aversive_cue = "tone"')
    tone = cs.cues.index("tone")
    assert np.all(cs.arrays["cs_onset"][cs.trial_type == "seek", tone] == 0)
    assert np.all(cs.arrays["cs_onset"][cs.trial_type == "take", tone] == -1)


def test_punishment_suppresses_seeking_in_a_simulation():
    text = CHAIN.replace("EXTRA", "").replace("days = 2", "days = 6")
    text += """
[[phase]]
name = "punished"
task = "seek_take"
dose = "0.75 mg/kg"
cue = "light"
cycles = 5
days = 4
punishment = 1.0
"""
    ds = simulate(text, subjects=32, record="daily", progress=False)
    takes = ds.drug_taken.values
    seeks = (ds.seek.values - takes) / (ds.n_episodes.values / 2)
    before, after = seeks[:, 4:6].mean(), seeks[:, -2:].mean()
    assert before > 0.2 and after < 0.5 * before
    assert np.all(takes[:, -2:] == 0)           # every link ends in shock: no access


@pytest.mark.parametrize("extra, pieces", [
    ("punishment = 1.5", ["phase[0].punishment", "1.5", "from 0 to 1"]),
    ("punishment = -0.1", ["phase[0].punishment", "-0.1", "from 0 to 1"]),
    ('aversive_cue = "bell"', ["cue 'bell' is used but not declared"]),
    ('reinforcer = "shock"', ["reinforcer", "'shock'"]),
    ('shock = "5 mg/kg"', ["phase[0].shock", "5 mg/kg"]),
    ("prefrontal = 20", ["phase[0].prefrontal", "20", "0 (silenced) to 10"]),
    ('prefrontal = "high"', ["phase[0].prefrontal", "'high'"]),
    ('delay = "10 s"', ["phase[0].delay", "delay must be between"]),
    ("CYCLES", ["phase[0].cycles", "greater than 0"]),
])
def test_bad_seek_take_input_is_one_line_and_exit_2(refused_run, extra, pieces):
    text = CHAIN.replace("cycles = 5", "cycles = 0") if extra == "CYCLES" else CHAIN
    refused_run(text.replace("EXTRA", "" if extra == "CYCLES" else extra), pieces)
