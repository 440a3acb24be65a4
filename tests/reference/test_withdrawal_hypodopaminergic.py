"""REFERENCES.md entry 6, `withdrawal_hypodopaminergic`.

Rossetti, Hmaidan & Gessa 1992, Eur J Pharmacol 221:227 [C]; Diana et al. 1993, PNAS
90:7966 [C]. Checks, for ethanol, morphine, cocaine and amphetamine after a chronic regimen and
abrupt cessation: tonic accumbens dopamine <= 80%; onset within hours (ethanol, morphine) or
after > 24 h (cocaine); back to >= 90% within 14 days; a drug dose in
withdrawal restores dopamine >= 100% and halves `withdrawal`; food in withdrawal gives a smaller
dopamine increment than before exposure.
"""

from ._rows import assert_default_row


def test_withdrawal_hypodopaminergic_default_model():
    assert_default_row("withdrawal_hypodopaminergic")
