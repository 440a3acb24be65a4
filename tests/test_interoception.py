"""Interoception (brain/interoception.py): footshock stress through an intensity threshold,
its fall with time, the drug-like state the insula passes to retrieval, the scenario's
stress settings and their bad input."""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from addictsim import load_scenario
from addictsim.brain import BrainParams, interoception
from addictsim.pharmacology.reinforcers import N_KINDS, REINFORCER_INDEX, Reinforcer
from addictsim.world.schedule import compile_schedule

from _bad_input import assert_cli_exit_2, assert_rejected

P = BrainParams.defaults("rat")
SHOCK = REINFORCER_INDEX[Reinforcer.SHOCK]


def _shocks(ma: float, n: int, every_s: float = 40.0) -> float:
    s = jnp.float32(0.0)
    a = jnp.zeros(N_KINDS).at[SHOCK].set(ma)
    for _ in range(n):
        s = interoception.elapse(P, s, every_s)
        s = interoception.deliver(P, s, a)
    return float(s)


def test_stress_has_an_intensity_threshold():
    # ten minutes of intermittent shock (Shaham & Stewart 1995) at the Buffalari & See
    # intensities: the lowest barely moves stress, the two higher ones raise it near its top
    low, mid, high = (_shocks(ma, 15) for ma in (0.25, 0.5, 0.75))
    assert low < 0.2 < 0.7 < mid <= high < 1.0
    assert _shocks(0.0, 15) == 0.0


def test_stress_falls_after_the_shocks_and_a_lesion_silences_it():
    s = _shocks(0.75, 15)
    hour = float(interoception.elapse(P, jnp.float32(s), 3600.0))
    assert abs(hour - s * np.exp(-60.0 / float(P.stress_tau_min))) < 1e-6
    lesion = eqx.tree_at(lambda p: p.insula_gain, P, jnp.float32(0.0))
    assert float(interoception.drug_like(lesion, jnp.float32(0.6), jnp.float32(s))) == 0.0


# XLA's CPU code flushes subnormal floats to zero (a drug state of 1e-45 is 0 to the
# engine), so the exactness below is asked of normal floats
@given(f=st.floats(0.0, 1.0, width=32, allow_subnormal=False),
       s=st.floats(0.0, 1.0, width=32, allow_subnormal=False))
@settings(max_examples=60, deadline=None)
def test_the_drug_like_state_is_in_range_and_exact_without_stress(f, s):
    f32, s32 = jnp.float32(f), jnp.float32(s)
    x = float(interoception.drug_like(P, f32, s32))
    assert 0.0 <= x <= 1.0 and x >= float(f32) - 1e-7
    assert float(interoception.drug_like(P, f32, jnp.float32(0.0))) == float(f32)


SCENARIO = """schema_version = 1
[scenario]
name = "stress"
species = "rat"
contexts = ["A", "B"]
[cohort]
subjects = 2
[[phase]]
name = "test"
task = "self_administration"
reinforcer = "heroin"
extinction = true
context = "A"
session = "1 h"
days = 1
stress = {stress}
stress_for = "10 min"
stress_context = {where}
"""


def test_stress_compiles_to_intermittent_shocks_before_the_session():
    sc = load_scenario(SCENARIO.format(stress='"0.5 mA"', where='"B"'))
    sched = compile_schedule(sc)
    shock = sched.arrays["us_amounts"][:, SHOCK]
    stress = sched.trial_type == "stress"
    assert int(stress.sum()) == 15 and np.allclose(shock[stress], 0.5)
    assert np.all(shock[~stress] == 0)
    ctx = sched.arrays["context"]
    assert set(ctx[stress].tolist()) == {1} and set(ctx[~stress].tolist()) == {0}
    # shocks 40 s apart, then the session
    assert np.allclose(sched.arrays["gap_s"][stress][1:], 40.0)
    assert np.flatnonzero(stress).max() < np.flatnonzero(~stress).min()


def test_a_negative_stress_intensity_is_refused(tmp_path):
    text = SCENARIO.format(stress='"-0.5 mA"', where='"B"')
    assert_rejected(text, ["stress", "-0.5"])
    assert_cli_exit_2(tmp_path, text, "stress")


def test_a_stress_context_not_declared_is_refused(tmp_path):
    text = SCENARIO.format(stress='"0.5 mA"', where='"C"')
    assert_rejected(text, ["stress_context 'C'", "declare it in [scenario] contexts"])
    assert_cli_exit_2(tmp_path, text, "stress_context 'C'")


def test_internal_wanting_needs_a_body_state_and_a_drug_the_memories_expect():
    """W_int = f * sum over drugs of expectation x gain x worth (brain.interoception)."""
    from addictsim.pharmacology.reinforcers import REINFORCERS, Kind

    is_drug = jnp.asarray([REINFORCERS[r].kind == Kind.DRUG for r in Reinforcer])
    heroin, food = REINFORCER_INDEX[Reinforcer.HEROIN], REINFORCER_INDEX[Reinforcer.FOOD]
    ones = jnp.ones(N_KINDS)
    expect_heroin = jnp.zeros(N_KINDS).at[heroin].set(0.8)
    expect_food = jnp.zeros(N_KINDS).at[food].set(0.8)
    w = float(interoception.internal_wanting(jnp.float32(0.5), expect_heroin, 2 * ones,
                                             3 * ones, is_drug))
    assert abs(w - 0.5 * 0.8 * 2 * 3) < 1e-6
    # no body state, or memories that expect food only: no internal craving
    assert float(interoception.internal_wanting(jnp.float32(0.0), expect_heroin, ones, ones,
                                                is_drug)) == 0.0
    assert float(interoception.internal_wanting(jnp.float32(1.0), expect_food, ones, ones,
                                                is_drug)) == 0.0


def test_stress_without_a_cue_triggers_craving_unless_the_insula_is_lesioned():
    """After heroin self-administration and extinction, footshock with no cue shown makes
    craving (Sinha et al. 1999) and counts the episodes as craving probes; an insula lesion
    removes it (Naqvi et al. 2007)."""
    import addictsim

    text = """schema_version = 1
[scenario]
name = "stress-craving"
contexts = ["A"]
cues = ["light"]
[cohort]
subjects = 6
INSULA
[[phase]]
name = "training"
task = "self_administration"
reinforcer = "heroin"
dose = "0.1 mg/kg"
context = "A"
cue = "light"
session = "3 h"
days = 5
[[phase]]
name = "extinction"
task = "self_administration"
reinforcer = "heroin"
extinction = true
context = "A"
session = "3 h"
days = 4
[[phase]]
name = "test"
task = "self_administration"
reinforcer = "heroin"
extinction = true
context = "A"
session = "1 h"
days = 1
stress = "0.5 mA"
"""
    runs = {}
    for name, gain in (("intact", ""), ("lesion", "insula_gain = 0.0")):
        ds = addictsim.simulate(text.replace("INSULA", gain), record="summary",
                                progress=False)
        t = list(ds.phase.values).index("test")
        runs[name] = (ds.craving.values[:, t], ds.n_craving_events.values[:, t],
                      ds.n_cue_events.values[:, t])
    craving, probes, cues = runs["intact"]
    assert np.all(cues == 0) and np.all(probes > 0) and craving.mean() > 2.0
    craving, probes, _ = runs["lesion"]
    assert np.all(probes == 0) and np.all(craving == 0.0)
