"""The Textual screens of the workstation, one per file, with their widgets and styles."""
