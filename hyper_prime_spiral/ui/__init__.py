"""ui package.

pygame prints a "pygame-ce x.y (SDL ...)" banner to stdout when first imported; the app keeps
the terminal quiet, so the banner is switched off here, before any ui module imports pygame.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
