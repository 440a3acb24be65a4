"""REFERENCES.md `devaluation_habit` (see addictsim/analysis/experiments/devaluation_habit.py for the protocol,
citations and bands).

`devaluation_habit`: seeking is goal-directed early and habitual after overtraining; drug
seeking becomes habitual after less training than food seeking.
"""

from ._rows import assert_default_row


def test_devaluation_habit_default_model():
    assert_default_row("devaluation_habit")
