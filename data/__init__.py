"""The demo data set: a deterministic, realistic generator and the reference lists it draws from."""
