"""Analysis: the reference-phenomena scorecard (later: criteria, survival, statistics)."""

from .scorecard import Check, Row, Status, exit_code, run_scorecard

__all__ = ["Check", "Row", "Status", "exit_code", "run_scorecard"]
