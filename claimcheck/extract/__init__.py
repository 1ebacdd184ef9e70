"""Pure text -> candidate claims (no click, no SQLAlchemy)."""
