"""Figures and the self-contained HTML report for addictsim results."""

from .figures import (FigureInfo, fig_cue_dopamine_by_week, fig_dopamine_by_drug,
                      fig_escalation, fig_habit_attention, fig_receptor_availability,
                      fig_reward_threshold, fig_withdrawal_mood, make_figures, summary_tables)
from .html import write_report

__all__ = ["FigureInfo", "fig_cue_dopamine_by_week", "fig_dopamine_by_drug", "fig_escalation",
           "fig_habit_attention", "fig_receptor_availability", "fig_reward_threshold",
           "fig_withdrawal_mood", "make_figures", "summary_tables", "write_report"]
