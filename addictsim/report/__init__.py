"""Figures and the self-contained HTML report for addictsim results."""

from .figures import FigureInfo, make_figures, summary_tables
from .html import write_report

__all__ = ["FigureInfo", "make_figures", "summary_tables", "write_report"]
