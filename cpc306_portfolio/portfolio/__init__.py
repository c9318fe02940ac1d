"""The portfolio on disk: typed records, the store, schemas, manifests, reflection models."""
