import sys

from govdesk.cli import main

sys.exit(main())
