"""`python -m policy` runs the rasoat command line."""

import sys

from .cli import main

sys.exit(main())
