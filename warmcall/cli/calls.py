"""``warmcall call …``: log, list and import calls."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Log each touch and the agreed next step; list and import calls.", no_args_is_help=True
)
