"""claimcheck: a local-first fact-checking claim tracker."""

__version__ = "0.1.0"
