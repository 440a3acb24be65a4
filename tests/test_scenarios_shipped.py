"""Every shipped scenario (and the template) loads and runs on a tiny cohort. The reference
scenarios (``reference/...``) are run by their rows in tests/reference, each at a real cohort
size with its checks; here they are only required to load."""

import numpy as np
import pytest

import addictsim
from addictsim.scenario import shipped_scenarios

TEMPLATE = "addictsim/scenarios/TEMPLATE.toml"


USER_FACING = sorted(n for n in shipped_scenarios() if not n.startswith("reference/"))


@pytest.mark.parametrize("name", USER_FACING + [TEMPLATE])
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


def test_every_reference_scenario_loads_and_belongs_to_a_row():
    """The reference scenarios are not run here: each must load and be named by one of the
    experiments that tests/reference runs."""
    from pathlib import Path

    import addictsim.analysis.experiments as exps
    from addictsim.analysis.experiments import withdrawal_hypodopaminergic as withdrawal

    code = "".join(p.read_text(encoding="utf-8") for p in Path(exps.__file__).parent.glob("*.py"))
    named = {f"withdrawal_{drug}" for drug in withdrawal.DRUGS}      # f"withdrawal_{drug}"
    for name in sorted(n for n in shipped_scenarios() if n.startswith("reference/")):
        addictsim.load_scenario(name)
        stem = name.split("/", 1)[1]
        assert f'"{stem}"' in code or stem in named, f"{name} is run by no experiment"
