"""The cohort: the batch, its per-learner worker, learners' folders, the dashboard."""
