"""The hub: the centre's store that every workstation syncs with (SYNC.md).

FastAPI on uvicorn in front of SQLAlchemy Core, on a SQLite file (one site, a demo) or PostgreSQL
(a centre of a thousand agents; hub processes are stateless, so several serve one database).
Nothing here imports the UI.
"""
