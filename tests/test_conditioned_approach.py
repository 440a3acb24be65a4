"""Sign- and goal-tracking: the `conditioned_approach` task, Pavlovian approach values
(``brain.control.approach_values``), the trait ``incentive_attribution`` and the PCA index
(``analysis.conditioned_approach``)."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest

import addictsim
from addictsim.analysis import conditioned_approach as pca
from addictsim.brain import control
from addictsim.brain.params import BrainParams
from addictsim.pharmacology.reinforcers import REINFORCER_INDEX, Reinforcer, ReinforcerTable
from addictsim.world import apparatus
from addictsim.world.schedule import Builder

from _bad_input import assert_cli_exit_2, assert_rejected

TEXT = """schema_version = 1

[scenario]
name = "pca"
seed = 11
contexts = ["box"]
cues = ["lever"]

[cohort]
subjects = 24
{cohort}

{arms}

[[phase]]
name = "training"
task = "conditioned_approach"
context = "box"
cue = "lever"
days = {days}
{extra}
"""


def _run(cohort: str = "", arms: str = "", days: int = 3, extra: str = ""):
    text = TEXT.format(cohort=cohort, arms=arms, days=days, extra=extra)
    return addictsim.simulate(text, record="episode", progress=False)


def test_approach_values_sign_goal_and_none():
    p = BrainParams.defaults(incentive_attribution=2.0)
    tab = ReinforcerTable.build()
    food = REINFORCER_INDEX[Reinforcer.FOOD]
    cue_values = jnp.array([0.4, -0.3])
    w_id = jnp.zeros((2, tab.kind.shape[0])).at[0, food].set(0.5).at[1, food].set(0.8)
    inc = jnp.zeros(tab.kind.shape[0]).at[food].set(1.2)
    present = jnp.array([True, False])
    approach = jnp.array([control.NOT_APPROACH, 0, control.APPROACH_GOAL, 1])
    # the cues' incentive values (brain.incentive) at gain 1: attribution x learned value
    want = p.incentive_attribution * cue_values
    v = np.asarray(control.approach_values(want, w_id, inc, present, approach))
    # not an approach: 0; to cue 0: its incentive value; to the goal: present cues'
    # prediction x worth
    # (cue 1 is absent); to cue 1: a negative value attracts nothing
    np.testing.assert_allclose(v, [0.0, 2.0 * 0.4, 0.5 * 1.2, 0.0], rtol=1e-6)


def test_approach_operates_nothing_and_food_comes_anyway():
    b = Builder(cues=["lever"], contexts=["box"])
    food = b.amounts(Reinforcer.FOOD, None)
    b.add(t_s=0.0, phase=0, context=0, cs={0: 0},
          slots=[dict(operandum=b.operandum("lever"), approach="lever"),
                 dict(operandum=b.operandum("food cup"), approach="goal")],
          us_amounts=food, us_prob=1.0, us_bin=4)
    r = b.rows[0]
    assert list(r["slot_approach"]) == [control.NOT_APPROACH, 0, control.APPROACH_GOAL]
    row = apparatus.ScheduleRow(
        mask=jnp.asarray(True), context=jnp.asarray(0), gap_s=jnp.asarray(60.0),
        group=jnp.asarray(0), session_start=jnp.asarray(True),
        **{k: jnp.asarray(r[k]) for k in
           ("cs_onset", "us_amounts", "us_prob", "us_bin", "slot_operandum", "slot_cues",
            "slot_amounts", "slot_ratio", "slot_bin", "timeout_ep", "intact", "slot_prob",
            "sets_branch", "branch_p", "uses_branch", "alt_slot_operandum", "alt_slot_prob",
            "branch_cues", "forced", "holds", "slot_approach")})
    assert np.array_equal(apparatus.observe(row).approach, r["slot_approach"])
    for action in (0, 1, 2):
        _, ep = apparatus.step(row, apparatus.init(), jnp.asarray(action), jnp.asarray(0.5))
        assert int(ep.operandum) == -1                 # Pavlovian: no instrumental response
        assert float(ep.amounts[REINFORCER_INDEX[Reinforcer.FOOD]]) > 0   # food regardless
        assert int(ep.outcome_bin) == 4


def test_high_attribution_sign_tracks_low_goal_tracks():
    hi = _run(cohort="incentive_attribution = 3.0")
    lo = _run(cohort="incentive_attribution = 0.3")
    late = pca.approaches(hi, 2.0).day == 2          # the last of three sessions
    s_hi = pca.scores(pca.approaches(hi, 2.0), late)
    s_lo = pca.scores(pca.approaches(lo, 2.0), late)
    assert s_hi["pca_index"].mean() > 0.5 and s_lo["pca_index"].mean() < -0.5
    assert (pca.groups(s_hi["pca_index"]) == "sign-tracker").mean() > 0.8
    # the cue's dopamine response is acquired by the sign-trackers, much less by the others
    ap = pca.approaches(hi, 2.0)
    cue_hi, _ = pca.dopamine(hi, ap)
    cue_lo, food_lo = pca.dopamine(lo, pca.approaches(lo, 2.0))
    last = ap.day == ap.day.max()
    assert cue_hi[:, last].mean() > 2.0 * cue_lo[:, last].mean()
    assert food_lo[:, last].mean() > 0.0           # the food still surprises goal-trackers


def test_blocked_critic_prevents_sign_tracking_but_not_goal_tracking():
    arms = """[[arm]]
name = "control"

[[arm]]
name = "blocked"
[arm.phases.training]
inactivate = ["vs"]
"""
    ds = _run(cohort="incentive_attribution = 3.0", arms=arms)
    s = pca.scores(pca.approaches(ds, 2.0))
    arm = ds.arm.values
    assert s["lever_per_trial"][arm == "blocked"].mean() < 0.3 * s["lever_per_trial"][
        arm == "control"].mean()
    assert s["cup_per_trial"][arm == "blocked"].mean() > 1.0
    assert np.all(ds.cue_value.values[arm == "blocked"] == 0.0)


def test_pca_index_of_pure_trackers():
    a = np.zeros((3, 5, 4), int)
    a[0] = pca.LEVER                      # always at the lever from the first window
    a[1] = pca.CUP
    a[2, :, 2] = pca.CUP                  # late, to the cup only
    ap = pca.Approaches(a, np.zeros(5, int), np.array(["t"] * 5), np.arange(5) * 4, 2.0)
    s = pca.scores(ap)
    np.testing.assert_allclose(s["pca_index"][:2], [1.0, -1.0])
    # response bias -1, probability difference -1, latency score (4 s - 8 s) / 8 s
    np.testing.assert_allclose(s["pca_index"][2], (-1 - 1 - 0.5) / 3)
    assert list(pca.groups(s["pca_index"])) == ["sign-tracker", "goal-tracker", "goal-tracker"]


def test_analysis_needs_episode_records():
    ds = addictsim.simulate(TEXT.format(cohort="", arms="", days=1, extra=""),
                            subjects=2, record="daily", progress=False)
    with pytest.raises(ValueError, match="episode records"):
        pca.approaches(ds, 2.0)


@pytest.mark.parametrize("extra, pieces", [
    ('iti = ["150 s", "30 s"]', ["iti", "reversed"]),
    ('iti = "90 s"', ["iti", "[shortest, longest]"]),
    ('response_window = "5 s"', ["response_window", "at most 3 s"]),
    ('cue_duration = "1 s"', ["cue_duration", "shorter than one response window"]),
    ('reinforcer = "chocolate"', ["reinforcer", "chocolate"]),
    ('amount = "-2 pellets"', ["amount"]),
])
def test_bad_conditioned_approach_settings(extra, pieces):
    assert_rejected(TEXT.format(cohort="", arms="", days=1, extra=extra), pieces)


def test_undeclared_cue_exits_2(tmp_path):
    text = TEXT.format(cohort="", arms="", days=1, extra="").replace('cue = "lever"',
                                                                    'cue = "bell"')
    assert_rejected(text, ["cue 'bell'", "declare it"])
    assert_cli_exit_2(tmp_path, text, "cue 'bell'")


def test_trials_of_different_protocols_are_analysed_per_phase():
    text = TEXT.format(cohort="", arms="", days=1, extra="") + """
[[phase]]
name = "short windows"
task = "conditioned_approach"
context = "box"
cue = "lever"
days = 1
response_window = "1 s"
"""
    ds = addictsim.simulate(text, subjects=3, record="episode", progress=False)
    with pytest.raises(ValueError, match="different numbers of response windows"):
        pca.approaches(ds, 2.0)
    assert pca.approaches(ds, 2.0, phase="training").action.shape == (3, 25, 4)
    assert pca.approaches(ds, 1.0, phase="short windows").action.shape == (3, 25, 8)
