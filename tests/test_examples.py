"""Every script in examples/ runs on a tiny cohort (STYLE.md: examples are code that runs in CI).

Each example runs in its own process, as a user would run it, with
``ADDICTSIM_EXAMPLE_SUBJECTS=5`` and ``ADDICTSIM_EXAMPLE_OUT`` set to a temporary folder. It must
exit 0, print something, and write nothing outside that folder (the working directory is
another, empty, temporary folder that must stay empty).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("[0-9][0-9]_*.py"))


def test_examples_exist_and_are_documented():
    assert len(EXAMPLES) >= 5
    page = (ROOT / "docs" / "examples.md").read_text(encoding="utf-8")
    missing = [p.name for p in EXAMPLES if p.name not in page]
    assert not missing, f"examples not listed in docs/examples.md: {missing}"


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_on_a_tiny_cohort(script, tmp_path):
    out = tmp_path / "out"
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {**os.environ, "ADDICTSIM_EXAMPLE_SUBJECTS": "5", "ADDICTSIM_EXAMPLE_OUT": str(out),
           "MPLBACKEND": "Agg"}
    res = subprocess.run([sys.executable, str(script)], cwd=cwd, env=env, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, f"{script.name} exited {res.returncode}\n{res.stdout}\n{res.stderr}"
    assert res.stdout.strip(), f"{script.name} printed nothing"
    assert not any(cwd.iterdir()), f"{script.name} wrote into the working directory"
    assert out.is_dir() and any(out.rglob("*")), f"{script.name} wrote nothing under its out folder"
