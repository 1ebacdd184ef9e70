"""Run claimcheck in a child process that dies by SIGKILL at a chosen point of its transaction.

    python -m tests.killer MODULE:FUNCTION N [signal|announce] -- claimcheck arguments...

Wraps ``MODULE.FUNCTION`` so that its N-th call first runs (its rows are flushed to the database
inside the open transaction) and then:
- ``signal``: the process sends itself SIGKILL: a crash at the worst moment, no cleanup, no
  rollback from Python; what survives is up to the database;
- ``announce``: the process prints ``WRITING`` on stdout and carries on, so the test can kill it
  from outside at a moment of its choosing.

Used by tests/test_faults.py and tests/test_concurrency.py.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from typing import Any


def main(argv: list[str]) -> None:
    target, count, how = argv[0], int(argv[1]), argv[2]
    rest = argv[argv.index("--") + 1 :]
    module_name, function_name = target.split(":")
    module = importlib.import_module(module_name)
    original = getattr(module, function_name)
    calls = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        result = original(*args, **kwargs)
        if calls == count:
            if how == "signal":
                os.kill(os.getpid(), signal.SIGKILL)
            else:
                print("WRITING", flush=True)
        return result

    setattr(module, function_name, wrapper)
    from claimcheck.cli.main import main as claimcheck

    claimcheck(rest)


if __name__ == "__main__":
    main(sys.argv[1:])
