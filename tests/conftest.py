"""Test configuration: JAX in strict mode (no implicit rank promotion), no persistent cache writes
outside a temporary directory."""

import os
import tempfile

os.environ.setdefault("ADDICTSIM_CACHE_DIR", os.path.join(tempfile.gettempdir(), "addictsim-test-cache"))

from addictsim.engine import parallel_environment, reproducible_environment  # noqa: E402

reproducible_environment()  # before JAX starts its backend: bitwise chunk invariance
parallel_environment(cores=2)  # as the CLI does on a 2-core machine: exercises sharding

import jax  # noqa: E402

jax.config.update("jax_numpy_rank_promotion", "raise")
