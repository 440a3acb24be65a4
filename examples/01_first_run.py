"""Example 1: a first run.

Simulate the default scenario (``addiction-cycle``: cocaine self-administration, then short
or long daily access in two arms, cue tests on day 1 and day 30 of abstinence), write a run
directory with the report, and print the per-phase summary.

    python examples/01_first_run.py
    ADDICTSIM_EXAMPLE_SUBJECTS=5 ADDICTSIM_EXAMPLE_OUT=/tmp/ex python examples/01_first_run.py

The command-line equivalent is ``addictsim run --subjects N --out DIR``.
Research and teaching only: the output describes virtual subjects, not people.
"""

from __future__ import annotations

import json

import _common

import addictsim


def main() -> None:
    n = _common.subjects()
    out = _common.out_dir("01_first_run") / "addiction-cycle"

    ds = addictsim.simulate("addiction-cycle", subjects=n, seed=20261123)
    span = (f"{ds.sizes['episode']} episodes" if "episode" in ds.sizes
            else f"{ds.sizes['day']} days")
    print(f"simulated {ds.attrs['subjects']} virtual rats, {span} each "
          f"({ds.attrs['record_reason']})")

    run = addictsim.write_run(ds, out, overwrite=True)
    print(f"report: {run / 'report.html'}")

    summary = json.loads((run / "summary.json").read_text())
    print(f"{'phase':16s} {'arm':4s} {'infusions/day':>14s} {'DA at cue':>10s} "
          f"{'DA at drug':>11s} {'craving':>8s}")
    tables = summary["tables"]
    for row in tables.get("by_arm_and_phase") or tables["by_phase"]:
        print(f"{row['phase']:16s} {str(row.get('arm', '')):4s} "
              f"{_cell(row, 'infusions_per_day', 14, '.1f')} "
              f"{_cell(row, 'da_cue', 10, '.2f')} {_cell(row, 'da_outcome', 11, '.2f')} "
              f"{_cell(row, 'craving', 8, '.1f')}")


def _cell(row: dict, key: str, width: int, spec: str) -> str:
    """One right-aligned table cell; '-' where the summary has no value (None)."""
    value = row.get(key)
    return f"{'-':>{width}s}" if value is None else f"{value:{width}{spec}}"


if __name__ == "__main__":
    main()
