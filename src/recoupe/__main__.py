"""`python -m recoupe` is the `recoupe` command."""

import sys

from .cli import main

sys.exit(main())
