"""`sign_goal_tracking`, an entry this project adds (see
addictsim/analysis/experiments/sign_goal_tracking.py for the protocol, citations and bands).

Sign-trackers and goal-trackers each make up a sizeable share of a cohort (Meyer et al.
2012); cue dopamine is acquired by sign-trackers, and blocking dopamine-taught learning
prevents sign-tracking but not goal-tracking (Flagel et al. 2011).
"""

from ._rows import assert_default_row


def test_sign_goal_tracking_default_model():
    assert_default_row("sign_goal_tracking")
