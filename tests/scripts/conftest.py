from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scripts built here never read the real user's template folder."""
    monkeypatch.setenv("WARMCALL_HOME", str(tmp_path / "home"))
