"""REFERENCES.md `dezfouli_avg_reward` (see addictsim/analysis/experiments/dezfouli_avg_reward.py for the protocol,
citations and bands).

Dezfouli et al. 2009: the average-reward baseline rises with long drug exposure.
"""

from ._rows import assert_default_row


def test_dezfouli_avg_reward_default_model():
    assert_default_row("dezfouli_avg_reward")
