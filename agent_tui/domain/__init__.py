"""Pure rules: no I/O, no Textual. Everything here is a function of its arguments."""
