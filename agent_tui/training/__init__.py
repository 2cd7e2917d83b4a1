"""Training: simulated customers, scenario runs and their scoring (core: no textual, rich or screens)."""
