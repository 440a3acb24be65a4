"""REFERENCES.md entry 2, `redish_noncompensable_drug` (a comparison model).

Redish 2004, Science 306:1944 [C abstract; the rule's exact form is R]. Checks:
V_drug keeps increasing (> 2% between exposures 500 and 1,000) while V_natural
plateaus (within 2%); P(choose drug) against an equal natural reward rises with
exposure; the indifference cost rises with exposure. The default (production)
model must instead show a bounded drug value.
"""

from addictsim.analysis.scorecard import Status, run_entry

from ._rows import QUICK


def test_redish2004_drug_value_grows_without_bound():
    (row,) = run_entry("redish_noncompensable_drug", models=["redish2004"], quick=QUICK)
    failing = [(c.name, c.simulated) for c in row.checks if not c.passed]
    assert row.status is Status.PASS, failing


def test_default_drug_value_is_bounded():
    (row,) = run_entry("redish_noncompensable_drug", models=["default"], quick=QUICK)
    assert row.status is Status.PASS
    assert "bounded" in row.note
