"""Tasks: each compiles its settings into schedule rows the apparatus plays.

One task per file; each names its source paper.
"""

from . import abstinence, conditioned_reinforcement, pavlovian, self_administration

TASKS = {
    "pavlovian": pavlovian,
    "self_administration": self_administration,
    "conditioned_reinforcement": conditioned_reinforcement,
    "abstinence": abstinence,
}

__all__ = ["TASKS"]
