"""`python -m budgetkg.cli`: the same as the `budgetkg` command."""
import sys

from budgetkg.cli import main

sys.exit(main())
