"""``python -m claimcheck``."""

from claimcheck.cli.main import main

main()
