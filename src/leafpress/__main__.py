"""``python -m leafpress``: the same as the ``leafpress`` console script."""

import sys

from leafpress.cli import main

sys.exit(main())
