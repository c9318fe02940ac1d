"""``python -m cpc306_portfolio.cli``."""

from . import main

main()
