"""Command-line interface: thin Typer + Rich layer over the services."""
