"""Every shipped scenario (and the template) loads and runs on a tiny cohort."""

import numpy as np
import pytest

import addictsim
from addictsim.scenario import shipped_scenarios

TEMPLATE = "addictsim/scenarios/TEMPLATE.toml"


@pytest.mark.parametrize("name", sorted(shipped_scenarios()) + [TEMPLATE])
def test_shipped_scenario_runs_on_a_tiny_cohort(name):
    sc = addictsim.load_scenario(name)
    ds = addictsim.simulate(sc, subjects=2, progress=False)
    assert ds.sizes["subject"] == 2
    for k, v in ds.data_vars.items():
        assert v.attrs.get("units") and v.attrs.get("long_name"), k
        if np.issubdtype(v.dtype, np.floating):
            assert np.isfinite(v.values).all(), k
    assert ds.attrs["scenario_name"] == sc.name
    assert ds.attrs["scenario_text"] == sc.source_text
    if any(p.task == "demand" for p in sc.phase):   # the report can draw its demand curve
        from addictsim.analysis.demand import demand_data

        assert [d.phase for d in demand_data(ds)] == [p.name for p in sc.phase
                                                       if p.task == "demand"]


def test_default_scenario_is_shipped():
    assert "addiction-cycle" in shipped_scenarios()
    sc = addictsim.load_scenario("addiction-cycle")
    assert sc.cohort.subjects == 1000
