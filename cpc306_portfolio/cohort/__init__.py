"""The cohort: the batch, its per-learner worker, kernels, learners' folders, the dashboard."""
