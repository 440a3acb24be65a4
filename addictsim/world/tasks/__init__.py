"""Tasks: each compiles its settings into schedule rows the apparatus plays.

One task per file; each names its source paper.
"""

from . import (abstinence, challenge, conditioned_reinforcement, dose_response, microdialysis,
               pavlovian, reward_threshold, self_administration)

TASKS = {
    "pavlovian": pavlovian,
    "self_administration": self_administration,
    "conditioned_reinforcement": conditioned_reinforcement,
    "abstinence": abstinence,
    "microdialysis": microdialysis,
    "challenge": challenge,
    "dose_response": dose_response,
    "reward_threshold": reward_threshold,
}

__all__ = ["TASKS"]
