"""A rule profile is named, never pathed: ``../../x`` cannot make warmcall read any .toml."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from warmcall.compliance import rules
from warmcall.compliance.profiles import available, load_profile
from warmcall.errors import ConfigError

STRICT = 'hours = ["10:00-11:00"]\n'


@pytest.fixture(autouse=True)
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("WARMCALL_HOME", str(tmp_path / "home"))
    rules.clear_caches()
    yield
    rules.clear_caches()


@pytest.mark.parametrize("name", ["../../x", "../x", "/tmp/x", "x/y", "x.toml", "", "b2b ", "é"])
def test_a_profile_name_that_is_not_plain_is_refused(tmp_path: Path, name: str):
    (tmp_path / "x.toml").write_text(STRICT)  # what ../x would have read
    with pytest.raises(ConfigError, match="Rule profile names are plain names"):
        load_profile(name)


def test_user_profiles_come_only_from_the_profiles_folder(tmp_path: Path):
    profiles = tmp_path / "home" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "de-b2c.toml").write_text(STRICT)
    (tmp_path / "home" / "outside.toml").write_text(STRICT)
    assert [str(r) for r in load_profile("de-b2c").hours] == ["10:00-11:00"]
    assert "de-b2c" in available()
    with pytest.raises(ConfigError, match="'outside' does not exist"):
        load_profile("outside")
