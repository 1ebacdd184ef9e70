"""Extract, update and compile the site's message catalogues (claimcheck/locale).

    python scripts/i18n.py            # extract the .pot, update every .po, compile the .mo files
    python scripts/i18n.py --init fr  # start a new language from the .pot

The compiled .mo files are committed and shipped in the package (pyproject package-data), so
`pip install .` needs no build step; tests/test_i18n.py fails when a .mo is out of date with its
.po or a message is left untranslated.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "claimcheck" / "locale"
POT = LOCALE / "claimcheck.pot"


def run(*args: str) -> None:
    CommandLineInterface().run(["pybabel", *args])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--init", metavar="LANG", help="start the catalogue of a new language")
    options = parser.parse_args()
    run(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "-k",
        "_mark:1c,2",
        "--no-location",
        "--sort-output",
        "--omit-header",
        "-o",
        str(POT),
        str(ROOT),
    )
    if options.init:
        run("init", "-D", "claimcheck", "-i", str(POT), "-d", str(LOCALE), "-l", options.init)
    run("update", "-D", "claimcheck", "-i", str(POT), "-d", str(LOCALE), "--no-fuzzy-matching")
    run("compile", "-D", "claimcheck", "-d", str(LOCALE), "--statistics")
    return 0


if __name__ == "__main__":
    sys.exit(main())
