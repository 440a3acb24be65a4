"""Where the relapse sequence starts (``analysis.cue_map``): a cue is ablated only after
abstinence began, the same subjects are compared, the cue that brings the drug carries the
risk, and the report and summary show the ranking and the chain at first lapses."""

from __future__ import annotations

import functools
import json
import re

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

from addictsim import load_scenario
from addictsim.analysis import cue_map
from addictsim.cli import app

SCENARIO = """schema_version = 1
[scenario]
name = "cue-map-test"
species = "human"
seed = 9
contexts = ["home"]
[cohort]
subjects = 24

[cue_map.bar]
kind = "place"
daily = 0.6
hours = [18, 22]
lasts = "3 h"
available = 0.9

[cue_map.rain]
kind = "mood"
daily = 0.3
hours = [8, 20]

[cue_map.stress]
kind = "body"
state = "stress"

[[phase]]
name = "use"
task = "daily_life"
context = "home"
dose = "2 drinks"
days = 40

[[phase]]
name = "detox"
task = "abstinence"
days = 5

[[phase]]
name = "after"
task = "daily_life"
context = "home"
dose = "2 drinks"
days = 40
"""


@functools.lru_cache(maxsize=1)
def _ablation():
    return cue_map.cue_ablation(SCENARIO, record="episode")


def test_a_cue_is_taken_away_only_after_abstinence_began():
    sc = load_scenario(SCENARIO)
    gone = cue_map.without(sc, "bar")
    assert [p.without for p in gone.phase if p.task == "daily_life"] == [[], ["bar"]]
    body = cue_map.without(sc, "stress")
    assert body.cohort.overrides()["insula_gain"] == 0.0
    assert [p.without for p in body.phase if p.task == "daily_life"] == [[], []]


def test_ablation_keeps_arms_own_changes_and_needs_no_scenario_text():
    import tomllib

    from addictsim.scenario import Scenario

    text = SCENARIO + """
[[arm]]
name = "home"
[[arm]]
name = "moved"
[arm.phases.after]
without = ["rain"]
"""
    for sc in (load_scenario(text), Scenario.model_validate(tomllib.loads(text))):
        gone = cue_map.without(sc, "bar")
        after = {arm: gone.phases_for(arm)[2].without for arm in ("home", "moved")}
        assert after == {"home": ["bar"], "moved": ["bar", "rain"]}
        assert sc.phases_for("moved")[2].without == ["rain"]        # the original is kept


def test_the_cue_that_brings_the_drug_carries_the_risk():
    base, rows = _ablation()
    by = {r["cue"]: r for r in rows}
    assert set(by) == {"bar", "rain", "stress"}
    assert rows[0]["cue"] == "bar" and rows[0]["rank"] == 1
    assert by["bar"]["relapsed_with_cue"] > 0.5
    # the drug is at hand only at the bar: without it nobody can use again
    assert by["bar"]["relapsed_without_cue"] == 0.0 and by["bar"]["risk_share"] == 1.0
    assert by["bar"]["relapse_free_days_gained"] > 0
    lo, hi = by["bar"]["relapse_free_days_gained_ci"]
    assert lo <= by["bar"]["relapse_free_days_gained"] <= hi
    assert abs(by["rain"]["risk_share"]) < by["bar"]["risk_share"]


def test_the_chain_at_first_lapses():
    base, _ = _ablation()
    chain = cue_map.first_lapse_chain(base)
    assert chain["subjects"] > 0
    assert chain["cues_at_first_lapse"]["bar"] == 1.0          # the only place with the drug
    stages = {s["stage"]: s for s in chain["stages"]}
    assert set(stages) == {"cue_value", "craving", "attentional_bias", "habit_weight"}
    # recomputed by hand: the median over subjects of craving in their first lapse after
    # the return
    lapse = base.lapse.values & (base.day.values >= base.at_risk_from.values[:, None])
    who = np.flatnonzero(lapse.any(axis=1))
    first = np.argmax(lapse[who], axis=1)
    assert stages["craving"]["at_first_lapse"] == pytest.approx(
        float(np.median(base.craving.values[who, first])))
    assert 0.0 <= stages["attentional_bias"]["when_resisting"] <= 1.0


def test_ablation_summary_on_known_outcomes():
    # 10 subjects at risk from day 0, 20 days: with the cue all relapse on day 5; without
    # it the first 4 do not, the others on day 5 as before
    lapse = np.zeros((10, 20))
    lapse[:, 3:6] = 1
    base = xr.Dataset({"lapse": (("subject", "day"), lapse)},
                      coords={"day": np.arange(20), "at_risk_from": ("subject", np.zeros(10)),
                              "arm": ("subject", np.array(["all"] * 10))})
    fewer = lapse.copy()
    fewer[:4] = 0
    rows = cue_map.ablation_summary(base, {"x": base, "y": base.copy(data={"lapse": fewer})})
    assert [r["cue"] for r in rows] == ["y", "x"]
    y = rows[0]
    assert y["risk_share"] == pytest.approx(0.4) and y["relapsed_without_cue"] == 0.6
    # relapse on day 6 (counted from 1) with the cue; without it 4 subjects stay free to 20
    assert y["relapse_free_days_gained"] == pytest.approx(4 * (20 - 5) / 10)
    assert rows[1]["risk_share"] == 0.0


def test_run_ranks_the_cues_and_reports_them(tmp_path):
    out = tmp_path / "run"
    path = tmp_path / "cue-map-test.toml"
    path.write_text(SCENARIO)
    res = CliRunner().invoke(app, ["run", str(path), "--subjects", "12", "--out", str(out),
                                   "--record", "episode"])
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "summary.json").read_text())
    assert [r["cue"] for r in summary["cue_ablation"]][0] == "bar"
    assert summary["first_lapse_chain"]["subjects"] > 0 and summary["relapse"]
    assert (out / "figures" / "cue_map.png").exists()
    html = (out / "report.html").read_text()
    assert "Where the relapse sequence starts" in html and "Lapse and relapse" in html
    quick = tmp_path / "quick"
    res = CliRunner().invoke(app, ["run", str(path), "--subjects", "12", "--out", str(quick),
                                   "--record", "episode", "--no-ablate"])
    assert res.exit_code == 0, res.output
    assert "cue_ablation" not in json.loads((quick / "summary.json").read_text())


def test_move_away_is_the_cue_map_person_in_a_new_town_without_the_bar_and_the_friend():
    from addictsim.world.schedule import compile_schedule

    home, away = load_scenario("cue-map"), load_scenario("move-away")
    assert home.cue_map == away.cue_map and home.cohort == away.cohort
    assert home.scenario.seed == away.scenario.seed
    last_home, last_away = home.phase[-1], away.phase[-1]
    assert (last_home.context, last_away.context) == ("home", "new_town")
    assert last_away.without == ["bar", "old_friend"]
    # the same days before the move; afterwards, no bar and no old friend
    a, b = compile_schedule(home), compile_schedule(away)
    before = a.phase_index < 2
    names = lambda s, m: np.array(s.contexts)[s.arrays["context"][m]]  # noqa: E731
    assert np.array_equal(names(a, before), names(b, before))
    moved = b.phase_index == 2
    assert set(names(b, moved)) == {"new_town"}
    assert (b.arrays["cs_onset"][moved][:, b.cues.index("old_friend")] < 0).all()
    assert (b.arrays["cs_onset"][moved][:, b.cues.index("payday")] >= 0).any()


def test_run_pools_lives_each_with_its_own_days(tmp_path):
    from addictsim import open_results

    path = tmp_path / "cue-map-test.toml"
    path.write_text(SCENARIO)
    out = tmp_path / "lives"
    res = CliRunner().invoke(app, ["run", str(path), "--subjects", "4", "--lives", "3",
                                   "--out", str(out), "--record", "episode"])
    assert res.exit_code == 0, res.output
    ds = open_results(out)
    assert ds.sizes["subject"] == 12
    assert sorted(set(ds.life.values.tolist())) == [0, 1, 2]
    summary = json.loads((out / "summary.json").read_text())
    assert "cue_ablation" not in summary and summary["relapse"]
    assert summary["relapse"][0]["n_at_risk"] <= 12
    bad = tmp_path / "bad"
    for cmd, message in (([str(path), "--lives", "0"], "--lives must be a positive integer"),
                         (["self-administration", "--lives", "2"], "has no \\[cue_map\\]")):
        res = CliRunner().invoke(app, ["run", *cmd, "--out", str(bad)])
        assert res.exit_code == 2, res.output
        assert re.search(message, res.output), res.output
        assert not bad.exists()
