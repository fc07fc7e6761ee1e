"""Interactive panels: each joins a model and a chart into one object that code can drive."""
