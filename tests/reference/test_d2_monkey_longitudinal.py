"""REFERENCES.md `d2_monkey_longitudinal` (see addictsim/analysis/experiments/d2_monkey_longitudinal.py for the protocol,
citations and bands).

`d2_monkey_longitudinal`: cocaine lowers D2 fast, the loss plateaus and recovers slowly.
"""

from ._rows import assert_default_row


def test_d2_monkey_longitudinal_default_model():
    assert_default_row("d2_monkey_longitudinal")
