"""REFERENCES.md `relapse_base_rates` (see addictsim/analysis/experiments/relapse_base_rates.py
for the protocol, citations and bands).

`relapse_base_rates`: after a detox with minimal treatment, relapse is common, front-loaded
and slows with time (McLellan et al. 2000; Hunt, Barnett & Branch 1971; Kirshenbaum, Olsen
& Bickel 2009).
"""

from ._rows import assert_default_row


def test_relapse_base_rates_default_model():
    row = assert_default_row("relapse_base_rates")
    checks = {c.name: c for c in row.checks}
    # front-loaded: most of the year's relapses come in the first three months
    s90 = checks["survival_free_of_relapse_90_days"].simulated
    s365 = checks["survival_free_of_relapse_365_days"].simulated
    assert (1.0 - s90) > 0.75 * (1.0 - s365)
