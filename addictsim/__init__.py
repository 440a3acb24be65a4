"""addictsim: a simulator of the neuroscience of addiction (research and teaching only).

Public API (re-exports only)::

    ds = addictsim.simulate("addiction-cycle", subjects=200, seed=1)
    sc = addictsim.load_scenario("path/to/scenario.toml")
"""

from ._params import Species
from ._version import __version__
from .brain.params import BrainParams, Model
from .engine import NumericalError, Record
from .results import open_results, simulate, write_run
from .scenario import Scenario, ScenarioError, load_scenario, shipped_scenarios

__all__ = ["BrainParams", "Model", "NumericalError", "Record", "Scenario", "ScenarioError",
           "Species", "__version__", "load_scenario", "open_results", "shipped_scenarios",
           "simulate", "write_run"]
