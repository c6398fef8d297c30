"""regions capability (see docs/architecture.md)."""
