"""The ground floor: atomic writes, hashing, and YAML in and out with line numbers."""
