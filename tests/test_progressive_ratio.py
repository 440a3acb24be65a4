"""The progressive-ratio task (Richardson & Roberts 1996): the apparatus raises the ratio
after each delivery in a session, the series restarts with the next session, and the
breakpoint is the last ratio completed; bad input is one clear line."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from addictsim import ScenarioError, load_scenario, simulate
from addictsim.engine import Record, pad_schedule
from addictsim.scenario import richardson_roberts
from addictsim.world import apparatus
from addictsim.world.schedule import compile_schedule
from addictsim.world.tasks.progressive_ratio import breakpoints

PR = """schema_version = 1
[scenario]
name = "pr"
cues = ["light"]
[cohort]
subjects = 12
[[phase]]
name = "fr1"
task = "self_administration"
dose = "0.75 mg/kg"
cue = "light"
days = 3
[[phase]]
name = "pr"
task = "progressive_ratio"
dose = "0.75 mg/kg"
cue = "light"
session = "1 h"
timeout = "0 s"
days = 2
EXTRA
"""


def test_the_default_series_is_richardson_and_roberts():
    assert richardson_roberts(12) == [1, 2, 4, 6, 9, 12, 15, 20, 25, 32, 40, 50]
    sc = load_scenario(PR.replace("EXTRA", ""))
    assert sc.phase[1].series[:5] == [1, 2, 4, 6, 9]
    assert load_scenario(PR.replace("EXTRA", "ratios = [1, 5, 10]")).phase[1].series == [1, 5,
                                                                                        10]


def _rows(text: str):
    cs = compile_schedule(load_scenario(text))
    rows, _ = pad_schedule(cs, Record.EPISODE, jnp.float32)
    return cs, rows


def test_each_delivery_raises_the_ratio_and_a_session_restarts_the_series():
    cs, rows = _rows(PR.replace("EXTRA", "ratios = [1, 2, 3]"))
    pr = np.flatnonzero(cs.phase_index == 1)
    assert np.all(cs.arrays["pr_ratios"][pr, :3] == [1, 2, 3])
    assert np.all(cs.arrays["pr_ratios"][cs.phase_index == 0] == 0)   # FR rows: no series
    state = apparatus.init()
    delivered = []
    for e in pr[:12]:                       # press on every window of the first session
        row = jax.tree.map(lambda x: x[e], rows)
        state, ep = apparatus.step(row, state, jnp.asarray(1), jnp.asarray(0.5))
        delivered.append(bool(ep.completed))
    # ratios 1, 2, 3, then past the end of the series: nothing more
    assert delivered[:6] == [True, False, True, False, False, True]
    assert not any(delivered[6:])
    first_of_next = pr[np.flatnonzero(cs.arrays["session_start"][pr])[1]]
    row = jax.tree.map(lambda x: x[first_of_next], rows)
    _, ep = apparatus.step(row, state, jnp.asarray(1), jnp.asarray(0.5))
    assert bool(ep.completed)               # a new session asks for the first step again


def test_breakpoints_are_the_last_ratio_completed():
    s = [1, 2, 4, 6, 9]
    np.testing.assert_array_equal(breakpoints(s, [0, 1, 3, 5]), [0, 1, 4, 9])
    assert np.isnan(breakpoints(s, [np.nan]))[0]


def test_in_the_engine_each_delivery_costs_the_next_ratio_of_the_series():
    ds = simulate(PR.replace("EXTRA", ""), subjects=12, record="daily", progress=False)
    n = ds.drug_taken.values[:, 3].astype(int)          # the first PR day (1 h)
    presses = ds.seek.values[:, 3].astype(int)
    series = np.asarray(richardson_roberts())
    cost = np.concatenate([[0], np.cumsum(series)])
    # n deliveries took at least the first n ratios' presses, and not the (n + 1)th's
    assert np.all(n > 0)
    assert np.all((presses >= cost[n]) & (presses < cost[n + 1]))
    assert np.all(breakpoints(series, n) == series[n - 1])


BAD = [
    ("not-increasing", "ratios = [1, 4, 2]",
     ["phase[1]", "ratios", "strictly increasing", "ratios[2] = 2", "ratios[1] = 4"]),
    ("not-whole", "ratios = [1, 2.5]", ["phase[1]", "ratios[1] = 2.5", "whole number"]),
    ("fixed-ratio-key", "ratio = 5", ["phase[1]", "'ratio'", "ratios"]),
    ("too-long", "ratios = " + str(list(range(1, 70))), ["phase[1]", "at most 64"]),
    ("aversive", 'reinforcer = "shock"\ndose = "0.5 mA"', ["phase[1]", "reinforcer", "shock"]),
]


@pytest.mark.parametrize("extra, pieces", [(e, p) for _, e, p in BAD], ids=[b[0] for b in BAD])
def test_bad_progressive_ratio_is_one_clear_line(extra, pieces):
    text = PR.replace("EXTRA", extra)
    if "reinforcer" in extra:
        text = text.replace('dose = "0.75 mg/kg"\ncue = "light"\nsession', 'cue = "light"\nsession')
    with pytest.raises(ScenarioError) as info:
        load_scenario(text)
    msg = str(info.value)
    assert "\n" not in msg.strip(), msg
    for piece in pieces:
        assert piece in msg, f"{piece!r} not in {msg!r}"


def test_bad_progressive_ratio_exits_2_on_the_command_line(refused_run):
    refused_run(PR.replace("EXTRA", BAD[0][1]), ["strictly increasing"], name="pr.toml")
