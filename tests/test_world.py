"""Tasks compile to the schedule the apparatus plays; the apparatus is a state machine."""

import jax.numpy as jnp
import numpy as np
import pytest

import addictsim
from addictsim.pharmacology.reinforcers import N_KINDS, REINFORCER_INDEX, Reinforcer
from addictsim.world import apparatus
from addictsim.world.schedule import DAY_S, compile_schedule

SA = """
schema_version = 1
[scenario]
name = "sa"
cues = ["light"]
[[phase]]
name = "sa"
task = "self_administration"
dose = "0.5 mg/kg"
cue = "light"
ratio = 3
timeout = "40 s"
session = "1 h"
sessions_per_day = 2
days = 3
"""


def test_self_administration_compiles_sessions_days_timeouts():
    cs = compile_schedule(addictsim.load_scenario(SA))
    assert cs.n_episodes == 3 * 2 * 180
    a = cs.arrays
    assert a["session_start"].sum() == 6
    assert (a["timeout_ep"] == 2).all() and (a["slot_ratio"][:, 1] == 3).all()
    coc = REINFORCER_INDEX[Reinforcer.COCAINE]
    assert np.allclose(a["slot_amounts"][:, 1, coc], 0.5)
    assert a["slot_cues"][:, 1, 0].all() and not a["slot_cues"][:, 2].any()
    assert sorted(set(cs.day_index.tolist())) == [0, 1, 2]
    starts = cs.day[a["session_start"]] * DAY_S
    assert np.allclose(np.diff(starts)[:2], [43200, 43200])
    assert (a["gap_s"][1:180] == 20).all()


def test_pavlovian_notation_blocks_rest_contexts_probabilities():
    sc = addictsim.load_scenario("""
schema_version = 1
[scenario]
name = "pav"
seed = 5
contexts = ["A", "B"]
cues = ["X", "Y"]
[[phase]]
name = "p"
task = "pavlovian"
context = "A"
iti = "30 s"
trials = ["10 x X+ p=0.5", "5 x XY- @ B", "rest 2 d", "4 x Y+ cocaine 0.75 mg/kg delay=1 s test"]
""")
    cs = compile_schedule(sc)
    a = cs.arrays
    assert cs.n_episodes == 19
    first = a["us_prob"][:15]
    assert sorted(first.tolist()) == [0.0] * 5 + [0.5] * 10
    assert set(cs.trial_type[:15]) == {"X+ p=0.5", "XY- @B"}
    assert list(cs.trial_type[:15]) != ["X+ p=0.5"] * 10 + ["XY- @B"] * 5   # intermixed
    xy = cs.trial_type == "XY- @B"
    assert (a["context"][xy] == 1).all() and (a["cs_onset"][xy] == 0).all()
    assert (a["context"][~xy] == 0).all()
    assert a["gap_s"][15] >= 2 * DAY_S
    assert (a["us_bin"][15:] == 2).all() and (a["us_bin"][:15] == 3).all()
    coc = REINFORCER_INDEX[Reinforcer.COCAINE]
    assert np.allclose(a["us_amounts"][15:, coc], 0.75)
    # the same scenario compiles to the same order; another seed to another
    assert list(compile_schedule(sc).trial_type) == list(cs.trial_type)


def test_arms_override_phase_settings():
    sc = addictsim.load_scenario("addictsim/scenarios/blocking-with-drug.toml")
    blocking = compile_schedule(sc, "blocking")
    control = compile_schedule(sc, "control")
    assert blocking.n_episodes == control.n_episodes
    pre = blocking.phase_index == 0
    assert blocking.arrays["slot_cues"][pre, 1, 0].all()       # tone with each infusion
    assert not control.arrays["slot_cues"][pre, 1].any()       # nothing
    assert sc.arm_sizes(10) == [("blocking", 5), ("control", 5)]


def _row(**kw):
    base = dict(mask=True, context=0, gap_s=20.0, group=0, session_start=False,
                cs_onset=[-1], us_amounts=np.zeros(N_KINDS), us_prob=0.0, us_bin=-1,
                slot_operandum=[-1, 1, 0], slot_cues=[[False], [True], [False]],
                slot_amounts=np.zeros((3, N_KINDS)), slot_ratio=[1, 2, 1], slot_bin=4, timeout_ep=2,
                intact=np.ones(3), slot_prob=np.ones(3), sets_branch=False, branch_p=np.zeros(3),
                uses_branch=False, alt_slot_operandum=[-1, -1, -1], alt_slot_prob=np.ones(3),
                branch_cues=np.zeros((2, 1), bool), forced=False, holds=False)
    base.update(kw)
    conv = {k: jnp.asarray(v) for k, v in base.items()}
    conv["slot_amounts"] = conv["slot_amounts"].at[1, REINFORCER_INDEX[Reinforcer.COCAINE]].set(0.75)
    return apparatus.ScheduleRow(**conv)


def test_fixed_ratio_timeout_and_session_reset():
    row = _row()
    s = apparatus.init()
    events = []
    for a in [1, 1, 1, 1, 1, 1, 2, 0]:
        s, ep = apparatus.step(row, s, jnp.asarray(a), jnp.asarray(0.5))
        events.append((int(ep.operandum), float(ep.amounts.sum()) > 0, int(ep.cue_onset[0]),
                       int(ep.outcome_bin), int(s.timeout_left)))
    # FR2: 2nd press delivers (cue at bin 1, drug at bin 4), then 2 timeout episodes ignore presses
    assert events[0] == (1, False, -1, -1, 0)
    assert events[1] == (1, True, 1, 4, 2)
    assert events[2][1] is False and events[3][1] is False   # ignored during time-out
    assert events[4][1] is False and events[5][1] is True     # counted again: 2 presses
    assert events[6][0] == 0 and events[7][0] == -1
    s, ep = apparatus.step(row, s, jnp.asarray(1), jnp.asarray(0.5))
    s, ep = apparatus.step(_row(session_start=True), s, jnp.asarray(1), jnp.asarray(0.5))
    assert float(ep.amounts.sum()) == 0 and int(s.ratio_count[1]) == 1   # counter was reset


def test_partial_reinforcement_uses_the_uniform_draw():
    amt = np.zeros(N_KINDS)
    amt[REINFORCER_INDEX[Reinforcer.FOOD]] = 1
    row = _row(cs_onset=[0], us_amounts=amt, us_prob=0.3, us_bin=3, slot_operandum=[-1, -1, -1])
    _, hit = apparatus.step(row, apparatus.init(), jnp.asarray(0), jnp.asarray(0.1))
    _, miss = apparatus.step(row, apparatus.init(), jnp.asarray(0), jnp.asarray(0.9))
    assert int(hit.outcome_bin) == 3 and float(hit.amounts.sum()) == 1
    assert int(miss.outcome_bin) == -1 and int(miss.expected_bin) == 3


def test_arm_sizes_are_honoured_and_scaled():
    sc = addictsim.load_scenario(SA + """
[[arm]]
name = "a"
subjects = 3
[[arm]]
name = "b"
subjects = 5
""")
    assert sc.total_subjects() == 8
    assert sc.arm_sizes(8) == [("a", 3), ("b", 5)]
    assert sc.arm_sizes(16) == [("a", 6), ("b", 10)]
    assert sum(n for _, n in sc.arm_sizes(7)) == 7


def test_trial_delay_outside_the_window_is_a_load_error():
    with pytest.raises(addictsim.ScenarioError, match="delay"):
        addictsim.load_scenario("""
schema_version = 1
[scenario]
name = "d"
cues = ["A"]
[[phase]]
name = "p"
task = "pavlovian"
trials = ["A+ delay=5 s"]
""")


def test_extinction_responses_have_an_expected_outcome_time():
    """Cue without the drug after training: dopamine dips at the time the drug was due."""
    ds = addictsim.simulate("""
schema_version = 1
[scenario]
name = "ext"
cues = ["light"]
[[phase]]
name = "train"
task = "self_administration"
dose = "0.75 mg/kg"
cue = "light"
session = "1 h"
days = 2
[[phase]]
name = "ext"
task = "self_administration"
cue = "light"
extinction = true
session = "10 min"
days = 1
""", subjects=20, progress=False, record="episode")
    ext = (ds.phase.values == "ext")[None, :] & ds.seek.values
    # a clear dip (its size scales with D2 availability, which the drug lowers)
    assert ds.da_outcome.values[ext].mean() < -0.1
    assert (ds.cue_shown.values == (ds.cue_value.values != 0) | ds.cue_shown.values).all()
