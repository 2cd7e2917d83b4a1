"""Functional tests: the app under Pilot, a real hub (SQLite, PostgreSQL), real terminals and
processes, snapshots."""
