"""What `cpc306 app` loads on its way to a usable Start here: only what Start here shows.

Each check runs in a fresh interpreter (this test process has imported everything) and
reports which heavy modules were left loaded. No time is asserted: bench/app.py measures.
"""

from __future__ import annotations

import json
import subprocess
import sys

#: A page kernel that builds Start here (or any learner page but the export's build) needs
#: none of these: pandas and numpy alone were a fifth of its imports.
NOT_IN_A_PAGE = ("pandas", "numpy", "nbconvert", "papermill")
#: The app's server needs none of the pages' own libraries.
NOT_IN_THE_SERVER = ("ipywidgets", "pandas", "pydantic", "cpc306_portfolio.portfolio.store")


def _left_loaded(code: str, names: tuple[str, ...]) -> list[str]:
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps([n for n in {names!r} if n in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_building_the_learner_pages_loads_no_pandas(sample_copy):
    code = (
        "from cpc306_portfolio.notebooks import pages\n"
        f"folio = {str(sample_copy)!r}\n"
        "pages.start_page(folio)\n"
        "pages.criterion_page(folio, '', 'A2')\n"
        "pages.knowledge_page(folio)\n"
        "pages.export_page(folio)\n"
    )
    assert _left_loaded(code, NOT_IN_A_PAGE) == []


def test_the_app_server_starts_without_the_pages_libraries():
    assert _left_loaded("import cpc306_portfolio.notebooks.server", NOT_IN_THE_SERVER) == []
