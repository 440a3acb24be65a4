"""REFERENCES.md `hedonic_allostasis_icss` (see addictsim/analysis/experiments/hedonic_allostasis_icss.py for the protocol,
citations and bands).

`hedonic_allostasis_icss`: long access raises brain-reward thresholds persistently.
"""

from ._rows import assert_default_row


def test_hedonic_allostasis_icss_default_model():
    assert_default_row("hedonic_allostasis_icss")
