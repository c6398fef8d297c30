"""routing capability (see docs/architecture.md)."""
