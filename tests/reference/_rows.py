"""The shared assertion of the reference tests: a default-model row passes, or fails only on
checks it declares xfail (with the reason in the row's note)."""

from addictsim.analysis.scorecard import Row, Status, run_entry


def assert_default_row(ref_id: str) -> Row:
    (row,) = run_entry(ref_id, models=["default"])
    failing = [(c.name, c.simulated, c.low, c.high) for c in row.checks
               if not c.passed and not c.xfail]
    assert not failing, failing
    assert row.status in (Status.PASS, Status.XFAIL)
    for c in row.checks:
        if c.xfail and not c.passed:
            assert c.xfail in row.note
    return row
