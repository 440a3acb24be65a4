"""Withdrawal as a cue the brain shows itself (``brain.interoception.withdrawal_cue``, a
cue map's ``state = "withdrawal"`` body cue): shown in every phase while the withdrawal the
person feels reaches ``felt``, learned like the cues around them (Wikler 1948; Baker et al.
2004), taken away by ``without``; bad maps are refused."""

from __future__ import annotations

import functools

import equinox as eqx
import jax.numpy as jnp
import numpy as np
import pytest

from addictsim import BrainParams, load_scenario, simulate
from addictsim.analysis import cue_map
from addictsim.brain import interoception
from addictsim.scenario import ScenarioError
from addictsim.world.schedule import compile_schedule

SCENARIO = """schema_version = 1
[scenario]
name = "withdrawal-cue"
species = "human"
seed = 5
contexts = ["home"]
[cohort]
subjects = 6

[cue_map.bar]
kind = "place"
daily = 0.5
hours = [18, 23]
lasts = "3 h"
available = 0.9

[cue_map.withdrawal]
kind = "body"
state = "withdrawal"
FELT

[[phase]]
name = "use"
task = "daily_life"
context = "home"
dose = "6 drinks"
available = 0.3
days = 40

[[phase]]
name = "detox"
task = "abstinence"
days = 7

[[phase]]
name = "after"
task = "daily_life"
context = "home"
dose = "6 drinks"
available = 0.05
days = 30
WITHOUT
"""


def _text(felt: str = "", without: str = "") -> str:
    return SCENARIO.replace("FELT", felt).replace("WITHOUT", without)


@functools.lru_cache(maxsize=8)
def _run(felt: str = "", without: str = "", drop: bool = False):
    text = _text(felt, without)
    if drop:
        text = text.replace('[cue_map.withdrawal]\nkind = "body"\nstate = "withdrawal"\n', "")
    return simulate(load_scenario(text), record="episode", progress=False)


def test_the_cue_is_shown_while_the_insula_reads_withdrawal_at_the_felt_level():
    p = BrainParams.defaults("human")
    shown = lambda w, felt, g=1.0: bool(interoception.withdrawal_cue(  # noqa: E731
        eqx.tree_at(lambda q: q.insula_gain, p, jnp.float32(g)), jnp.float32(w), felt))
    assert shown(0.2, 0.1) and shown(0.1, 0.1) and not shown(0.09, 0.1)
    assert not shown(0.9, 0.1, g=0.0)             # an insula lesion: nothing is read
    assert shown(0.3, 0.1, g=0.5) and not shown(0.15, 0.1, g=0.5)


def test_every_phase_shows_it_unless_without_takes_it_away():
    text = _text(felt="felt = 0.2", without='without = ["withdrawal"]')
    cs = compile_schedule(load_scenario(text))
    k = cs.cues.index("withdrawal")
    use, detox, after = (cs.phase_index == i for i in range(3))
    assert np.all(cs.arrays["body_cue"][use | detox] == k)    # the detox too: the body goes along
    assert np.all(cs.arrays["body_cue"][after] == -1)
    assert np.all(cs.arrays["body_felt"][use] == 0.2)
    # never scheduled: the task's cue onsets never hold it
    assert np.all(cs.arrays["cs_onset"][:, k] == -1)
    plain = compile_schedule(load_scenario(_text()))
    assert np.all(plain.arrays["body_felt"] == 0.1)              # the default


def test_withdrawal_becomes_a_learned_cue_only_when_felt():
    base = _run()
    w = base.withdrawal.values
    use = base.phase.values == "use"
    assert (w[:, use] >= 0.1).mean() > 0.05                     # this drinker feels it
    # a level never reached: the cue is never shown, and the days run exactly as with no
    # withdrawal cue on the map
    never, none = _run(felt="felt = 1.0"), _run(drop=True)
    assert np.array_equal(never.action.values, none.action.values)
    assert np.array_equal(never.craving.values, none.craving.values)
    # felt: the brain sees it, learns from it, and the days change
    assert not np.array_equal(base.action.values, none.action.values)


def test_without_takes_the_cue_away_from_that_phase_on():
    base, gone = _run(), _run(without='without = ["withdrawal"]')
    before = base.phase.values != "after"
    assert np.array_equal(base.action.values[:, before], gone.action.values[:, before])
    assert not np.array_equal(base.action.values[:, ~before], gone.action.values[:, ~before])
    sc = cue_map.without(load_scenario(_text()), "withdrawal")
    assert [p.without for p in sc.phase if p.task == "daily_life"] == [[], ["withdrawal"]]
    assert "insula_gain" not in sc.cohort.overrides()           # not a lesion


def test_first_lapses_report_whether_withdrawal_was_felt():
    base = _run()
    chain = cue_map.first_lapse_chain(base)
    if chain is None:
        pytest.skip("no lapse in this small cohort")
    share = chain["cues_at_first_lapse"]["withdrawal"]
    lapse = base.lapse.values & (base.day.values >= base.at_risk_from.values[:, None])
    who = np.flatnonzero(lapse.any(axis=1))
    first = np.argmax(lapse[who], axis=1)
    assert share == pytest.approx(float(np.mean(base.withdrawal.values[who, first] >= 0.1)))


@pytest.mark.parametrize("felt, message", [
    ("felt = 0", "0 < felt <= 1"),
    ("felt = 1.5", "0 < felt <= 1"),
    ('felt = "a lot"', "0 < felt <= 1"),
    ('[cue_map.shakes]\nkind = "body"\nstate = "withdrawal"', "at most one withdrawal cue"),
    ('[cue_map.stress]\nkind = "body"\nstate = "stress"\nfelt = 0.2', "felt belongs to "
     "withdrawal cues"),
    ('[cue_map.tired]\nkind = "body"\nstate = "tiredness"', "state = one of drug, stress, "
     "withdrawal"),
])
def test_bad_withdrawal_cues_are_refused(felt, message):
    with pytest.raises(ScenarioError, match=message):
        load_scenario(_text(felt=felt))


def test_without_cannot_take_away_the_drug_or_stress_state():
    text = _text(without='without = ["stress"]').replace(
        "[[phase]]", '[cue_map.stress]\nkind = "body"\nstate = "stress"\n\n[[phase]]', 1)
    with pytest.raises(ScenarioError, match="the stress body state, which no change"):
        load_scenario(text)


STRESSOR = """
[cue_map.row_at_work]
kind = "mood"
weekdays = ["mon", "tue", "wed", "thu", "fri"]
daily = 0.5
hours = [9, 17]
lasts = "2 h"
stress = STRESS

[cue_map.stress]
kind = "body"
state = "stress"
"""


def _stressed(share: str) -> str:
    return _text().replace("[[phase]]", STRESSOR.replace("STRESS", share) + "\n[[phase]]", 1)


def test_a_stressor_of_daily_life_raises_the_stress_the_insula_reads():
    sc = load_scenario(_stressed("0.8"))
    cs = compile_schedule(sc)
    on = cs.arrays["cs_onset"][:, cs.cues.index("row_at_work")] >= 0
    assert on.any() and np.all(cs.arrays["stressor"][on] == pytest.approx(0.8))
    assert np.all(cs.arrays["stressor"][~on] == 0.0)
    ds = simulate(sc, record="episode", progress=False)
    stress = ds.stress.values
    assert np.all(stress[:, on] >= 0.8 - 1e-6)                  # at least the stressor's share
    assert np.all((stress >= 0) & (stress <= 1))
    # an hour later, half an hour's time constant has taken most of it away
    after = np.flatnonzero(on[:-1] & ~on[1:]) + 1
    assert np.all(stress[:, after] < 0.8 * np.exp(-2.0) * 1.2 + 1e-6)
    # a calm life (stress 0 on the same cue) never raises it, and the days differ
    calm = simulate(load_scenario(_stressed("0.0")), record="episode", progress=False)
    assert np.all(calm.stress.values == 0.0)
    assert not np.array_equal(calm.craving.values, ds.craving.values)


def test_only_scheduled_cues_are_stressors_and_shares_are_probabilities():
    with pytest.raises(ScenarioError, match="probability from 0 to 1"):
        load_scenario(_stressed("1.5"))
    body = _stressed("0.5").replace('state = "stress"\n', 'state = "stress"\nstress = 0.5\n')
    with pytest.raises(ScenarioError, match="brain's own state"):
        load_scenario(body)
