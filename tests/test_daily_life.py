"""A person's days with their cue map (``world.cues``, ``world.tasks.daily_life``): cues
occur on their schedule only, bring the drug within reach, co-occur, can be removed from a
day on; a detox begins abstinence and a later use is a lapse; bad cue maps are refused."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addictsim import load_scenario, simulate
from addictsim.scenario import ScenarioError
from addictsim.world.cues import WEEKDAYS, CueSpec, exposures
from addictsim.world.schedule import DAY_S, compile_schedule

MAP = """
[cue_map.bar]
kind = "place"
daily = 0.5
weekdays = ["fri", "sat"]
hours = [19, 23]
lasts = "3 h"
with = ["old_friend"]
available = 0.9

[cue_map.old_friend]
kind = "person"
daily = 0.1
hours = [12, 22]
lasts = "2 h"
available = 0.5

[cue_map.payday]
kind = "time"
monthly = [1]
available = 0.3

[cue_map.loneliness]
kind = "mood"
daily = 0.3
hours = [17, 23]
lasts = "3 h"

[cue_map.stress]
kind = "body"
state = "stress"
"""

SCENARIO = """schema_version = 1
[scenario]
name = "days"
species = "human"
seed = 3
contexts = ["home", "new_town"]
[cohort]
subjects = 6
""" + MAP + """
[[phase]]
name = "use"
task = "daily_life"
context = "home"
dose = "2 drinks"
days = DAYS

[[phase]]
name = "detox"
task = "abstinence"
days = 7

[[phase]]
name = "after"
task = "daily_life"
context = "home"
dose = "2 drinks"
days = 30
WITHOUT
"""


def _text(days: int = 35, without: str = "") -> str:
    return SCENARIO.replace("DAYS", str(days)).replace("WITHOUT", without)


@functools.lru_cache(maxsize=4)
def _schedule(days: int = 35, without: str = ""):
    return compile_schedule(load_scenario(_text(days, without)))


def _where(cs, name: str) -> np.ndarray:
    """Episodes at the place ``name`` (a context)."""
    return cs.arrays["context"] == cs.contexts.index(name)


def test_cues_keep_to_their_schedule():
    cs = _schedule()
    hours = (cs.day * 24.0) % 24.0
    weekday = cs.day_index % 7
    bar = _where(cs, "bar")
    assert bar.any()
    assert set(weekday[bar]) <= {WEEKDAYS.index("fri"), WEEKDAYS.index("sat")}
    assert hours[bar].min() >= 19 - 1e-6 and hours[bar].max() < 23 + 3
    payday = cs.arrays["cs_onset"][:, cs.cues.index("payday")] >= 0
    assert set(cs.day_index[payday] % 30) == {0}
    # the old friend comes with the bar, and also alone
    friend = cs.arrays["cs_onset"][:, cs.cues.index("old_friend")] >= 0
    assert friend[bar].all() and (friend & ~bar).any()
    # a body cue is not scheduled: it is neither a context nor a shown cue
    assert "stress" not in cs.cues and "stress" not in cs.contexts


def test_cues_bring_the_drug_within_reach():
    cs = _schedule()
    use = np.array([op.startswith("use ") for op in cs.operanda])
    at_hand = (cs.arrays["slot_operandum"][:, 1] >= 0) & use[cs.arrays["slot_operandum"][:, 1]]
    daily = cs.phase_index != 1
    bar = _where(cs, "bar") & daily
    home = ~bar & daily & (cs.arrays["cs_onset"] < 0).all(axis=1)
    assert at_hand[bar].mean() > 0.75            # 0.9, with the old friend's 0.5
    assert not at_hand[home].any()               # available = 0 alone
    assert not at_hand[cs.phase_index == 1].any()  # detox


def test_without_removes_a_cue_and_what_comes_only_with_it():
    cs = _schedule(without='without = ["bar"]')
    after = cs.phase_index == 2
    assert not _where(cs, "bar")[after].any()
    base = _schedule()
    friend = lambda s: s.arrays["cs_onset"][:, s.cues.index("old_friend")] >= 0  # noqa: E731
    # the friend is met less (not at the bar any more), but still met
    assert 0 < friend(cs)[after].sum() < friend(base)[after].sum()
    # the phase before is untouched
    before = cs.phase_index == 0
    assert np.array_equal(cs.arrays["context"][before], base.arrays["context"][before])


def test_a_detox_begins_abstinence_and_later_uses_are_lapses():
    # the drug at hand at home too, so that every subject has its chances to use
    text = _text().replace('dose = "2 drinks"', 'dose = "2 drinks"\navailable = 0.5')
    ds = simulate(text, record="daily", progress=False)
    ph = ds.phase.values
    assert float(ds.drug_taken.values[:, ph == "use"].sum()) > 0
    assert not ds.lapse.values[:, ph == "use"].any()
    after = ph == "after"
    assert np.array_equal(ds.lapse.values[:, after], ds.drug_taken.values[:, after])
    assert float(ds.lapse.values[:, after].sum()) > 0


@given(seed=st.integers(0, 2**31 - 1), daily=st.floats(0.01, 1.0),
       lo=st.integers(0, 22), span=st.integers(1, 12), lasts=st.integers(1, 6),
       days=st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True),
       removed=st.booleans())
@settings(max_examples=60, deadline=None)
def test_exposures_stay_in_their_windows_and_removal_changes_only_what_it_removes(
        seed, daily, lo, span, lasts, days, removed):
    hi = min(24, lo + span)
    cues = {"a": CueSpec(kind="place", daily=daily, hours=(lo, hi), lasts=f"{lasts} h",
                         weekdays=days, **{"with": ["b"]}),
            "b": CueSpec(kind="person", daily=0.2),
            "c": CueSpec(kind="mood", daily=0.5, hours=(8, 20))}
    d = np.arange(10, 40)
    kw = dict(wake_h=7.0, step_h=1.0, n=16)
    out = exposures(cues, d, rng=np.random.default_rng(seed), **kw)
    a = out["a"]
    hours = 7.0 + np.arange(16)
    starts = a & ~np.pad(a, ((0, 0), (1, 0)))[:, :-1]
    assert (hours[np.nonzero(starts)[1]] >= lo).all() and (hours[np.nonzero(starts)[1]] < hi).all()
    assert all(WEEKDAYS[day % 7] in days for day in d[a.any(axis=1)])
    assert (out["b"] >= a).all()                  # b comes with a
    gone = exposures(cues, d, rng=np.random.default_rng(seed),
                     without=frozenset({"a"} if removed else {"c"}), **kw)
    kept = "c" if removed else "a"
    assert np.array_equal(gone[kept], out[kept])
    assert not gone["a" if removed else "c"].any()


def test_the_same_seed_gives_the_same_days():
    a, b = (compile_schedule(load_scenario(_text())) for _ in range(2))
    assert np.array_equal(a.arrays["context"], b.arrays["context"])
    assert np.array_equal(a.arrays["slot_operandum"], b.arrays["slot_operandum"])
    assert np.allclose(np.diff(a.day[a.phase_index == 0][:16]) * DAY_S, 3600.0)


@pytest.mark.parametrize("change, message", [
    (('kind = "person"\ndaily = 0.1', 'kind = "neighbour"\ndaily = 0.1'), "kind"),
    (("daily = 0.3", "daily = 1.3"), "probability from 0 to 1"),
    (("available = 0.9", "available = -0.1"), "probability from 0 to 1"),
    (("monthly = [1]", "monthly = [31]"), "1 to 30"),
    (('with = ["old_friend"]', 'with = ["old_frend"]'), "did you mean 'old_friend'"),
    (('state = "stress"', 'state = "stress"\ndaily = 0.5'), "brain's own state"),
    (('weekdays = ["fri", "sat"]', 'weekdays = ["fry"]'), "unknown day"),
    (("hours = [19, 23]", "hours = [23, 19]"), "0 <= start < end"),
])
def test_bad_cue_maps_are_refused(change, message):
    text = _text().replace(*change, 1)
    assert text != _text()
    with pytest.raises(ScenarioError, match=message):
        load_scenario(text)


def test_a_cue_that_never_fires_is_refused():
    # the 2nd of the month falls on days 1, 31 and 61 of the scenario (a Tuesday, a
    # Thursday, a Saturday): a payday on the 2nd that is also a Sunday never comes
    text = _text().replace("monthly = [1]", 'monthly = [2]\nweekdays = ["sun"]', 1)
    with pytest.raises(ScenarioError, match="cue_map.payday: its schedule .* never fires"):
        compile_schedule(load_scenario(text))


def test_without_must_name_a_cue_of_the_map_and_a_map_needs_daily_life():
    with pytest.raises(ScenarioError, match="without names 'pub'.*not in the"):
        load_scenario(_text(without='without = ["pub"]'))
    alone = _text().split("[[phase]]")[0] + """[[phase]]
name = "x"
task = "abstinence"
days = 1
"""
    with pytest.raises(ScenarioError, match="daily_life phases"):
        load_scenario(alone)


def test_consequences_go_with_each_use_and_are_refused_out_of_range():
    cs = _schedule(without='consequences = 1.5\nconsequence_delay = "30 d"')
    from addictsim.pharmacology.reinforcers import REINFORCER_INDEX, Reinforcer

    loss = REINFORCER_INDEX[Reinforcer.MONEY_LOSS]
    at_hand = cs.arrays["slot_operandum"][:, 1] >= 0
    after = cs.phase_index == 2
    cons = cs.arrays["consequence"][:, 1, loss]
    assert at_hand[after].any()
    assert np.all(cons[after & at_hand] == 1.5)
    assert np.all(cs.arrays["consequence_delay"][after & at_hand, 1] == 30.0)
    # only the use carries them, and not before the phase that declares them
    assert np.all(cons[~(after & at_hand)] == 0.0)
    assert np.all(cs.arrays["consequence"][:, [0, 2]] == 0.0)
    for bad in ("-1", '"a lot"'):
        with pytest.raises(ScenarioError, match="consequences are the points"):
            load_scenario(_text(without=f"consequences = {bad}"))


def test_known_consequences_keep_a_person_from_using():
    from addictsim import simulate

    text = _text(without="consequences = 20").replace("subjects = 6", "subjects = 12")
    text = text.replace('dose = "2 drinks"', 'dose = "2 drinks"\navailable = 0.3')
    after = lambda ds: ds.seek.values[:, ds.phase.values == "after"].sum()  # noqa: E731
    weighed = simulate(load_scenario(text), record="episode", progress=False)
    ignored = simulate(load_scenario(text.replace("consequences = 20", "")),
                       record="episode", progress=False)
    assert after(ignored) > 20
    assert after(weighed) < 0.2 * after(ignored)
