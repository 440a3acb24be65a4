"""The shared assertion of the reference tests: a default-model row passes, or fails only on
checks it declares xfail (with the reason in the row's note).

``QUICK``: the rows run at the cohort sizes of ``addictsim validate --quick`` unless pytest
was given ``--full`` (tests/conftest.py), which runs them at their full sizes as
``addictsim validate`` does. Every row passes at both sizes; the full sizes take about twice
as long, more than the test command that CI runs can spend."""

import os

from addictsim.analysis.scorecard import Row, Status, run_entry

QUICK = os.environ.get("ADDICTSIM_TEST_FULL") != "1"


def assert_default_row(ref_id: str) -> Row:
    (row,) = run_entry(ref_id, models=["default"], quick=QUICK)
    failing = [(c.name, c.simulated, c.low, c.high) for c in row.checks
               if not c.passed and not c.xfail]
    assert not failing, failing
    assert row.status in (Status.PASS, Status.XFAIL)
    for c in row.checks:
        if c.xfail and not c.passed:
            assert c.xfail in row.note
    return row
