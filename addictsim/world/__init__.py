"""The simulated world: tasks, schedules and the conditioning notation."""
