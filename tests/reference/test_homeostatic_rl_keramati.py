"""REFERENCES.md `homeostatic_rl_keramati` (see addictsim/analysis/experiments/homeostatic_rl_keramati.py for the protocol,
citations and bands).

`homeostatic_rl_keramati`: reward as drive reduction around a drifting setpoint.
"""

from ._rows import assert_default_row


def test_homeostatic_rl_keramati_default_model():
    assert_default_row("homeostatic_rl_keramati")
