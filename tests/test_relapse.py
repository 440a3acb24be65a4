"""Relapse and survival after the return to the drug (``analysis.relapse``): the rule
"use on N days within M", its record on episode and daily grids, event times with
censoring, Kaplan-Meier survival, point prevalence; the ``[relapse]`` table's bad input."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from addictsim import load_scenario, simulate
from addictsim.analysis import relapse
from addictsim.scenario import ScenarioError

RUN = """schema_version = 1
[scenario]
name = "relapse"
species = "human"
seed = 5
contexts = ["home"]
[cohort]
subjects = 16
RULE
[[phase]]
name = "use"
task = "daily_life"
context = "home"
dose = "2 drinks"
available = 0.5
days = 20
[[phase]]
name = "detox"
task = "abstinence"
days = 5
[[phase]]
name = "after"
task = "daily_life"
context = "home"
dose = "2 drinks"
available = 0.3
days = 40
"""


@functools.lru_cache(maxsize=4)
def _run(record: str, rule: str = ""):
    return simulate(RUN.replace("RULE", rule), record=record, progress=False)


def _daily(lapsed: np.ndarray, at_risk_from: np.ndarray) -> xr.Dataset:
    """A daily record with the given lapses (subjects x days 0..D-1)."""
    s, d = lapsed.shape
    return xr.Dataset({"lapse": (("subject", "day"), lapsed.astype(float))},
                      coords={"subject": np.arange(s), "day": np.arange(d),
                              "at_risk_from": ("subject", at_risk_from.astype(float)),
                              "arm": ("subject", np.array(["all"] * s))})


def test_the_rule_counts_use_days_in_a_sliding_window():
    lapsed = np.array([[1, 0, 1, 0, 0, 0, 0, 1, 1, 0]], bool)
    met = relapse.relapse_by_day(lapsed, relapse.Rule(3, 7))
    # days 0, 2 and 7 are not within 7 days; 2, 7, 8 are (window 2..8)
    assert list(np.flatnonzero(met[0])) == [8]
    assert relapse.relapse_by_day(lapsed, relapse.Rule(1, 1))[0].tolist() == lapsed[0].tolist()


@given(st.lists(st.booleans(), min_size=1, max_size=40), st.integers(1, 10), st.integers(0, 9))
@settings(max_examples=80, deadline=None)
def test_the_rule_agrees_with_a_plain_count(days, within, k):
    use_days = min(within, k + 1)
    lapsed = np.array([days], bool)
    met = relapse.relapse_by_day(lapsed, relapse.Rule(use_days, within))[0]
    for d in range(len(days)):
        assert met[d] == (sum(days[max(0, d - within + 1):d + 1]) >= use_days)


def test_event_times_and_censoring():
    lapsed = np.zeros((3, 12), bool)
    lapsed[0, [3, 4, 5]] = True          # lapses on day 3 (the 2nd day at risk), relapses on 5
    lapsed[1, [1]] = True                # a lapse before its return does not count
    # subject 2 never uses
    ds = _daily(lapsed, np.array([2.0, 2.0, 2.0]))
    t = relapse.event_times(ds, relapse.Rule(3, 7))
    assert t.lapse.tolist() == [2.0, 10.0, 10.0] and t.lapse_event.tolist() == [True, False, False]
    assert t.relapse.tolist() == [4.0, 10.0, 10.0]
    assert t.relapse_event.tolist() == [True, False, False]
    assert t.follow.tolist() == [10, 10, 10]


def test_kaplan_meier_matches_the_product_limit_by_hand():
    t = np.array([2, 3, 3, 5, 8, 8, 9], float)
    ev = np.array([1, 1, 0, 1, 0, 1, 0], bool)
    s = relapse.kaplan_meier(t, ev, np.array([1, 2, 3, 5, 8, 9, 10]), follow=9)
    # at risk 7, 6, (5: one event, one censored at 3), 4, 3, 2
    by_hand = [1.0, 6 / 7, 6 / 7 * 5 / 6, 6 / 7 * 5 / 6 * 3 / 4, 6 / 7 * 5 / 6 * 3 / 4 * 2 / 3]
    assert np.allclose(s[:5], by_hand)
    assert np.isclose(s[5], by_hand[-1]) and np.isnan(s[6])   # beyond the follow-up


def test_point_prevalence_reads_the_last_days():
    lapsed = np.zeros((4, 30), bool)
    lapsed[0, 25] = True                 # used in the last 7 days
    lapsed[1, 17] = True                 # in the last 14 (days 16-29), not the last 7
    lapsed[2, 5] = True                  # long before
    ds = _daily(lapsed, np.zeros(4))
    assert relapse.point_prevalence(ds, 30, 7) == pytest.approx(3 / 4)
    assert relapse.point_prevalence(ds, 30, 14) == pytest.approx(2 / 4)
    assert np.isnan(relapse.point_prevalence(ds, 31, 7))


def test_the_relapse_record_agrees_between_episodes_and_days():
    ep, daily = _run("episode"), _run("daily")
    assert ep.relapse.dtype == bool and daily.relapse.attrs["rule"] == "use on 3 days within 7"
    last = np.r_[np.diff(ep.day_index.values) != 0, True]     # each day's last episode
    days = ep.day_index.values[last]
    assert np.array_equal(ep.relapse.values[:, last],
                          daily.relapse.values[:, np.isin(daily.day.values, days)])
    # relapse needs lapses, so none before the return
    after = ep.day.values >= ep.at_risk_from.values[0]
    assert not ep.relapse.values[:, ~after].any() and ep.relapse.values[:, after].any()


def test_the_scenario_rule_is_applied():
    strict = _run("daily", "[relapse]\nuse_days = 7\nwithin = \"7 d\"\n")
    loose = _run("daily")
    assert strict.relapse.values.sum() < loose.relapse.values.sum()
    assert strict.attrs["relapse_use_days"] == 7
    assert relapse.relapse_summary(strict)[0]["relapse_rule"] == "use on 7 days within 7"


def test_the_summary_reports_survival_with_its_follow_up():
    rows = relapse.relapse_summary(_run("daily"))
    assert len(rows) == 1
    r = rows[0]
    assert r["n_at_risk"] == 16 and r["follow_up_days"] == 40
    assert 0.0 <= r["lapsed_share"] <= 1.0 and r["relapsed_share"] <= r["lapsed_share"]
    assert r["free_of_lapse_day_180"] is None          # beyond 40 days of follow-up
    # nobody at risk (no return to the drug): no summary
    no_return = RUN.replace("RULE", "").split("[[phase]]\nname = \"after\"")[0]
    assert relapse.relapse_summary(simulate(no_return, record="daily", progress=False)) == []


@pytest.mark.parametrize("rule, message", [
    ("use_days = 8\nwithin = \"7 d\"", "can never be met"),
    ("use_days = 3\nwithin = \"36 h\"", "whole number of days"),
    ("use_days = 0", "greater than or equal to 1"),
    ("use_dayz = 3", "use_dayz"),
])
def test_bad_relapse_rules_are_refused(rule, message):
    with pytest.raises(ScenarioError, match=message):
        load_scenario(RUN.replace("RULE", f"[relapse]\n{rule}\n"))


def test_hazard_fit_tells_a_falling_hazard_from_a_constant_one():
    rng = np.random.default_rng(0)
    follow = 365.0
    # a constant hazard: the exponential is the better model (the extra parameter costs)
    t = rng.exponential(60.0, 1500)
    const = relapse.hazard_fit(np.minimum(t, follow), t < follow)
    assert const.rate == pytest.approx(1 / 60.0, rel=0.1)
    assert const.delta_aic < 2.0
    # log-logistic times with shape 0.7 (a hazard that only falls), median 40 days
    u = rng.random(1500)
    t = 40.0 * (u / (1.0 - u)) ** (1 / 0.7)
    falling = relapse.hazard_fit(np.minimum(t, follow), t < follow)
    assert falling.alpha == pytest.approx(40.0, rel=0.15)
    assert falling.beta == pytest.approx(0.7, rel=0.1)
    assert falling.delta_aic > 100.0
    nothing = relapse.hazard_fit(np.full(5, 30.0), np.zeros(5, bool))
    assert np.isnan(nothing.delta_aic)


def test_lives_draw_their_own_days_and_people_and_pool_them():
    sc = load_scenario(RUN.replace("RULE", ""))
    ds = relapse.simulate_lives(sc, 3, 4)
    assert ds.sizes["subject"] == 12
    assert list(np.unique(ds.life.values)) == [0, 1, 2]
    one = simulate(sc, subjects=4, record="episode", progress=False)
    # each life meets other days: where the drug is at hand differs between lives
    at_hand = [simulate(sc.model_copy(update={"scenario": sc.scenario.model_copy(
        update={"seed": 5 + i})}), subjects=1, record="episode",
        progress=False).trial_type.values for i in range(2)]
    assert not np.array_equal(*at_hand)
    assert "trial_type" not in ds.coords       # dropped: it differs between lives
    assert np.array_equal(ds.day.values, one.day.values)
    # and other people: the lives' parameters differ
    p = ds.param_discount_rate.values          # a parameter that varies between people
    assert not np.allclose(p[:4], p[4:8])
    times = relapse.event_times(ds)
    assert times.at_risk.all() and times.lapse.shape == (12,)
    with pytest.raises(ValueError, match="at least 1"):
        relapse.simulate_lives(sc, 0, 4)
