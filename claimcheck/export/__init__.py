"""Pure renderers of a Report DTO (no click, no SQLAlchemy)."""
