"""Import a CSV given as text, the way every import test here does."""

from __future__ import annotations

import io

from tests.conftest import NOW
from warmcall import leads
from warmcall.config import Config
from warmcall.imports import leads as importer
from warmcall.store.db import Database


def load(store: Database, config: Config, text: str, **options: object) -> importer.ImportResult:
    """``text`` imported as a file named test.csv, at ``NOW``, with these ImportOptions."""
    source = importer.open_csv(io.BytesIO(text.encode()), "test.csv")
    opts = importer.ImportOptions(**options)  # type: ignore[arg-type]
    return importer.import_leads(store, source, config, NOW, opts)


def people(store: Database) -> dict[str, leads.Lead]:
    """Every lead in the store, by name."""
    return {lead.name: lead for lead in leads.find(store)}
