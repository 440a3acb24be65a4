"""The go/no-go task (Kaufman et al. 2003; Smith et al. 2014): the schedule (trial order,
stimulus contexts, the habit keyed to the task, the stimuli's similarity, the penalty),
commission errors counted alike in every record mode, the prefrontal veto holding back the
prepotent press, the analysis, and bad settings refused with exit 2."""

from __future__ import annotations

import math

import numpy as np
import pytest

from _bad_input import assert_cli_exit_2, assert_rejected
from addictsim import load_scenario, simulate
from addictsim.analysis.go_nogo import cohens_d, go_nogo_summary
from addictsim.pharmacology.reinforcers import REINFORCER_INDEX, Reinforcer
from addictsim.world.schedule import compile_schedule
from addictsim.world.tasks.go_nogo import GO_CONTEXT, NOGO_CONTEXT

GNG = """schema_version = 1
[scenario]
name = "gng"
species = "human"
contexts = ["clinic"]
[cohort]
subjects = 40
EXTRA_ARMS
[[phase]]
name = "go/no-go"
task = "go_nogo"
context = "clinic"
SETTINGS
"""


#: a control arm and an arm whose prefrontal cortex is silenced during the task
SILENCED_ARMS = """[[arm]]
name = "control"
[[arm]]
name = "silenced"
[arm.phases."go/no-go"]
prefrontal = 0.0
"""


def scenario(settings: str = "", arms: str = "") -> str:
    if "trials" not in settings:
        settings += "\ntrials = 200"
    return GNG.replace("SETTINGS", settings).replace("EXTRA_ARMS", arms)


def test_the_schedule_holds_the_no_go_share_in_a_fixed_order_with_the_habit_on_the_task():
    sc = load_scenario(scenario("days = 2\nnogo_share = 0.2\nstimulus_similarity = 0.4\n"
                                "penalty = 3"))
    cs = compile_schedule(sc)
    nogo = cs.trial_type == "no-go"
    day = cs.day_index - cs.day_index[0]
    assert [int(nogo[day == d].sum()) for d in (0, 1)] == [40, 40]
    assert np.array_equal(nogo[day == 0], nogo[day == 1])    # the same order each session
    a = cs.arrays
    assert np.array_equal(a["nogo"], nogo)
    go_c, nogo_c, clinic = (cs.contexts.index(c) for c in (GO_CONTEXT, NOGO_CONTEXT, "clinic"))
    assert np.all(a["context"][nogo] == nogo_c) and np.all(a["context"][~nogo] == go_c)
    assert np.all(a["habit_context"] == clinic)
    assert np.allclose(a["gen_scale"][nogo, go_c], 0.4) and np.allclose(
        a["gen_scale"][~nogo, nogo_c], 0.4)
    assert np.allclose(a["gen_scale"][:, clinic], 1.0)
    loss = a["slot_amounts"][nogo, 1, REINFORCER_INDEX[Reinforcer.MONEY_LOSS]]
    money = a["slot_amounts"][~nogo, 1, REINFORCER_INDEX[Reinforcer.MONEY]]
    assert np.allclose(loss, 3.0) and np.allclose(money, 1.0)
    assert not np.any(a["slot_amounts"][nogo, 1, REINFORCER_INDEX[Reinforcer.MONEY]])
    assert nogo[day == 0].any() and not nogo[day == 0].all()


def test_the_no_go_order_is_shuffled_not_blocked():
    cs = compile_schedule(load_scenario(scenario()))
    nogo = cs.trial_type == "no-go"
    first_half = nogo[: len(nogo) // 2].sum()
    assert 0.3 < first_half / nogo.sum() < 0.7


def test_commission_errors_agree_across_record_modes_and_lose_points():
    text = scenario()
    ep = simulate(text, record="episode", progress=False)
    daily = simulate(text, record="daily", progress=False)
    nogo = ep.trial_type.values == "no-go"
    pressed = ep.action.values == 1
    assert np.array_equal(daily.commission.values.sum(1), pressed[:, nogo].sum(1))
    assert pressed[:, nogo].sum() > 0
    # a commission error is the only thing that costs: liking is negative exactly there
    lost = ep.liking.values < 0
    assert np.array_equal(lost, pressed & nogo[None, :])
    (row,) = go_nogo_summary(daily)
    (row_ep,) = go_nogo_summary(ep)
    assert row["commission_rate"] == pytest.approx(row_ep["commission_rate"])
    assert row["hit_rate"] == pytest.approx(row_ep["hit_rate"])
    assert row["hit_rate"] > 0.7 and row["commission_rate"] < 0.3


def test_silencing_the_prefrontal_cortex_releases_the_prepotent_press():
    sc = scenario(arms=SILENCED_ARMS).replace("subjects = 40", "subjects = 400")
    rows = {r["arm"]: r for r in go_nogo_summary(simulate(sc, record="daily", progress=False))}
    # more commission errors when silenced, by more than 2.5 standard errors (the size of
    # the effect in subjects with intact training is small: d of 0.3-0.5 across seeds)
    sil, con = rows["silenced"], rows["control"]
    se = math.sqrt(sil["commission_sd"] ** 2 / sil["subjects"]
                   + con["commission_sd"] ** 2 / con["subjects"])
    assert sil["commission_rate"] > con["commission_rate"] + 2.5 * se
    assert sil["commission_d"] > 0.2
    assert rows["control"]["commission_d"] is None


def test_with_the_habit_keyed_to_the_stimuli_the_veto_has_nothing_to_hold_back():
    """Ablation: a habit that sees the stimulus (habit_context = context) learns the
    punishment itself, so silencing the prefrontal cortex no longer raises commissions."""
    from addictsim.world.tasks import go_nogo

    sc = scenario(arms=SILENCED_ARMS).replace("subjects = 40", "subjects = 400")
    original = go_nogo.compile

    def stimulus_habit(p, scenario, b, **kw):
        n0 = len(b.rows)
        t = original(p, scenario, b, **kw)
        for r in b.rows[n0:]:
            r["habit_context"] = r["context"]
        return t

    mp = pytest.MonkeyPatch()
    mp.setattr(go_nogo, "compile", stimulus_habit)
    try:
        rows = {r["arm"]: r for r in go_nogo_summary(simulate(sc, record="daily",
                                                              progress=False))}
    finally:
        mp.undo()
    assert rows["silenced"]["commission_d"] < 0.2


def test_cohens_d_is_the_pooled_standardised_difference():
    ref = np.array([0.0, 1.0, 2.0, 3.0])
    assert cohens_d(ref + 1.0, ref) == pytest.approx(1.0 / np.std(ref, ddof=1))
    assert np.isnan(cohens_d(np.ones(3), np.ones(3)))


@pytest.mark.parametrize("settings, pieces", [
    ("nogo_share = 0", ["nogo_share", "between 0 and 1", "0"]),
    ("nogo_share = 1", ["nogo_share", "between 0 and 1"]),
    ("nogo_share = 1.5", ["nogo_share", "1.5"]),
    ("penalty = -1", ["penalty", "-1"]),
    ("stimulus_similarity = 2", ["stimulus_similarity", "2"]),
    ('reinforcer = "shock"', ["reinforcer", "shock"]),
    ("trials = 1", ["trials"]),
    ("trials = 20000\niti = \"10 s\"", ["do not fit in a day"]),
    ("nogo_sahre = 0.2", ["nogo_sahre", "nogo_share"]),
])
def test_bad_go_nogo_settings_are_one_line_errors(settings, pieces):
    assert_rejected(scenario(settings), pieces)


def test_a_bad_no_go_share_exits_2_on_the_command_line(tmp_path):
    assert_cli_exit_2(tmp_path, scenario("nogo_share = 0"), "nogo_share")


def test_the_report_shows_the_go_nogo_figure_table_and_summary(tmp_path):
    import json

    from addictsim.results import write_run

    ds = simulate(scenario(arms=SILENCED_ARMS), record="daily", progress=False)
    out = write_run(ds, tmp_path / "run")
    summary = json.loads((out / "summary.json").read_text())
    rows = {r["arm"]: r for r in summary["go_nogo"]}
    assert set(rows) == {"control", "silenced"} and rows["silenced"]["commission_d"] is not None
    assert (out / "figures" / "go_nogo.png").stat().st_size > 10_000
    html = (out / "report.html").read_text()
    assert "Response inhibition (go/no-go)" in html and "Deficit d (vs control)" in html
