"""The portfolio on disk: one Portfolio holding its parts, its record kinds, schemas, manifests.

The parts (see ``folio.py``): the folder layout, the record store, the keep-out guard, the
privacy checks and the writer; ``kinds.py`` defines the kinds of record it holds.
"""
