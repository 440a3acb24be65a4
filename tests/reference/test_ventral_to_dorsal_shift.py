"""REFERENCES.md `ventral_to_dorsal_shift` (see addictsim/analysis/experiments/ventral_to_dorsal_shift.py for the protocol,
citations and bands).

`ventral_to_dorsal_shift`: cue-evoked dopamine is recruited in the dorsolateral striatum over
weeks of cocaine use, and that recruitment depends on the ventral striatum.
"""

from ._rows import assert_default_row


def test_ventral_to_dorsal_shift_default_model():
    assert_default_row("ventral_to_dorsal_shift")
