"""The workstation's side of sync (SYNC.md): push the outbox, pull the hub's changes, cache what
online search returns. No UI here: the app runs ``run_sync`` in a worker thread."""
