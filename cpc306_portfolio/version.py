"""The toolkit's version, written once: packaging reads it from here (pyproject.toml)."""

__version__ = "0.1.0"
