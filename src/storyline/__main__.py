"""``python -m storyline`` runs the command line."""

import sys

from storyline.cli import main

sys.exit(main())
