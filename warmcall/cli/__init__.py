"""The face of warmcall: Typer commands that parse, call the core once, and render."""
