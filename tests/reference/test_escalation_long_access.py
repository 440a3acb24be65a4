"""REFERENCES.md `escalation_long_access` (see addictsim/analysis/experiments/escalation_long_access.py for the protocol,
citations and bands).

`escalation_long_access`: long daily access escalates cocaine intake; short access does not.
"""

from ._rows import assert_default_row


def test_escalation_long_access_default_model():
    assert_default_row("escalation_long_access")
