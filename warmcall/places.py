"""Where warmcall keeps its files, and the language the interface speaks before any command
runs (``--help``): light enough to read at every start.

``WARMCALL_HOME`` moves both the data and the config directory (handy for tests and for a
second persona); ``WARMCALL_CONFIG`` names the file itself; otherwise the user's platform
directories (platformdirs).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "warmcall"


def home() -> Path | None:
    value = os.environ.get("WARMCALL_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    if base := home():
        return base
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    if base := home():
        return base
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """What warmcall may rebuild (the calendar of holidays): in ``WARMCALL_HOME`` when set,
    else the user's cache directory, never the data folder (a command on ``--db ELSEWHERE``
    leaves that uncreated)."""
    if base := home():
        return base / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    value = os.environ.get("WARMCALL_CONFIG")
    return Path(value).expanduser() if value else config_dir() / "config.toml"


def default_db_path() -> Path:
    return data_dir() / "warmcall.db"


def language_setting(path: Path | None = None) -> str:
    """The configured ``language`` alone, for the words of ``--help`` before any command runs:
    English when the file is missing or unreadable (``config.load`` says why), else the value
    as written (``render.i18n.use`` falls back to English for one it does not speak)."""
    try:
        text = (path or config_path()).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "en"
    if "language" not in text:
        return "en"
    import tomllib

    try:
        language = tomllib.loads(text).get("language")
    except tomllib.TOMLDecodeError:
        return "en"
    return language if isinstance(language, str) else "en"
