"""Analysis: the reference-phenomena scorecard (later: criteria, survival, statistics)."""

from .scorecard import Check, Row, Status, exit_code, scorecard

__all__ = ["Check", "Row", "Status", "exit_code", "scorecard"]
