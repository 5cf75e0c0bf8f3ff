"""Entry point: `python -m bench [--quick]`."""

import sys

from bench.run import main

sys.exit(main())
