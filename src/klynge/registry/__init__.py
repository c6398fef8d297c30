"""registry capability (see docs/architecture.md)."""
