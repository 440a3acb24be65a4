"""REFERENCES.md `model_based_deficit_two_step` (see
addictsim/analysis/experiments/model_based_deficit_two_step.py for the protocol, citations and
bands).

`model_based_deficit_two_step`: less model-based control in compulsive agents, on the human
parameter set; the same agents are less sensitive to outcome devaluation.
"""

from ._rows import assert_default_row


def test_model_based_deficit_two_step_default_model():
    assert_default_row("model_based_deficit_two_step")
