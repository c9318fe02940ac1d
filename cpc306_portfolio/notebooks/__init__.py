"""The learner's notebooks: generation from templates, the views and the ipywidgets forms."""
