"""Unit tests: pure and fast (no app on screen, no hub, no terminal, no subprocess)."""
