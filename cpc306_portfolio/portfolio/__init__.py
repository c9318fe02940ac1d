"""The portfolio on disk: one Portfolio holding its parts (layout, record store, keep-out guard, privacy checks, writer), the record kinds, schemas, manifests, the declaration."""
