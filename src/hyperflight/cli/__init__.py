"""Command-line interface (thin: parse, call the API, render)."""
