"""Reference experiments: one module per implemented REFERENCES.md entry.

Each module declares ``SPECIES``, ``SOURCE``, ``MODELS`` (model variant ->
``Expectation``) and ``run(model, *, quick) -> Result``. Each runs shipped
scenario files under ``addictsim/scenarios/reference/`` (so users can run the
same experiments) with the default brain of its species: scenarios set the
protocol and the cohort, never the brain's parameters.
"""
