"""Shared settings for the examples: cohort size and output folder from the environment.

``ADDICTSIM_EXAMPLE_SUBJECTS``  virtual subjects per run (default 100; CI uses 5)
``ADDICTSIM_EXAMPLE_OUT``       folder the examples write into (default: a new temporary folder)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def subjects(default: int = 100) -> int:
    """The cohort size for this run of the example."""
    value = os.environ.get("ADDICTSIM_EXAMPLE_SUBJECTS", "")
    n = int(value) if value.strip() else default
    if n <= 0:
        raise SystemExit(f"ADDICTSIM_EXAMPLE_SUBJECTS must be a positive integer, got {value!r}")
    return n


def out_dir(name: str) -> Path:
    """A fresh folder for this example's files, under ``ADDICTSIM_EXAMPLE_OUT``."""
    base = os.environ.get("ADDICTSIM_EXAMPLE_OUT")
    root = Path(base) if base else Path(tempfile.mkdtemp(prefix="addictsim-examples-"))
    path = root / name
    path.mkdir(parents=True, exist_ok=True)
    return path
