"""How large the files the evidence form attaches may be (the app's server reads these too).

A module of its own so the server, which sizes its websocket messages from them, starts
without importing the form and ipywidgets.
"""

from __future__ import annotations

#: The largest file the form attaches, in decimal megabytes as file managers show them.
MAX_FILE_MB = 100
MAX_FILE_BYTES = MAX_FILE_MB * 1000 * 1000
#: What one choice of files may come to: ipywidgets sends them in one websocket message.
MAX_CHOICE_BYTES = 5 * MAX_FILE_BYTES
