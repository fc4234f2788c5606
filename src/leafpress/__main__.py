"""``python -m leafpress``: the same as the ``leafpress`` console script."""

from leafpress.cli import run

run()
