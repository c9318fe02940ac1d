"""``python -m cpc306_portfolio.notebooks.serve``: the app's server, a kernel importing beside it.

The server's first step, before it imports Voilà and Jupyter Server (about 0.6 s): start
the process that becomes the first page kernel (:mod:`.warm_kernel`), so the two import
side by side on two cores instead of one after the other. Then run :mod:`.server`.
"""

from __future__ import annotations


def main() -> None:
    """Start a page kernel's process ahead, then the server (same arguments as :mod:`.server`)."""
    import sys

    if sys.platform != "win32":  # a Windows kernel's launch sets up its interrupt event too
        from .warm_kernel import start_warm

        start_warm()
    from .server import main as serve

    serve()


if __name__ == "__main__":
    main()
