"""``python -m cpc306_portfolio.cli``."""

from . import run

run()
