from pathlib import Path

import pytest

from warmcall import config as cfg
from warmcall.errors import ConfigError


def test_defaults_are_the_spec_values():
    conf = cfg.Config()
    assert conf.rules.max_attempts == 3
    assert conf.rules.attempts_days == 14
    assert conf.rules.rest_hours_after_unanswered == 48
    assert conf.score.followup_due == 10
    assert conf.score.hot == 6 and conf.score.warm == 3
    assert conf.windows.early == "07:30-09:00"
    assert conf.windows.midday == "12:00-14:00"
    assert conf.windows.any == "09:00-18:00"


def test_file_overrides_nested_values(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text(
        'timezone = "America/New_York"\n[score]\nhot = 8\n[windows]\nearly = "07:00-08:30"\n'
    )
    conf = cfg.load(path)
    assert conf.zone.key == "America/New_York"
    assert conf.score.hot == 8.0
    assert conf.score.warm == 3  # untouched
    assert conf.windows.early == "07:00-08:30"


@pytest.mark.parametrize(
    "text, words",
    [
        ("colour = 1\n", "unknown setting 'colour'"),
        ("[score]\nhot = 'lots'\n", "score.hot must be a number"),
        ('timezone = "Mars/Olympus"\n', "not an IANA time zone"),
        ("this is not toml", "Cannot read the configuration file"),
    ],
)
def test_bad_file_is_one_clear_error(tmp_path: Path, text: str, words: str):
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=words):
        cfg.load(path)


def test_tz_environment_is_honoured(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert cfg.Config().zone.key == "Asia/Tokyo"


def test_region_from_locale_then_zone(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_TELEPHONE", raising=False)
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert cfg.Config(timezone="UTC").phone_region == "ES"
    monkeypatch.setenv("LANG", "C.UTF-8")
    if cfg.zone_region("Europe/Paris") is None:
        pytest.skip("no zone.tab on this system")
    assert cfg.Config(timezone="Europe/Paris").phone_region == "FR"


def test_home_override_moves_data_and_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("WARMCALL_HOME", str(tmp_path))
    monkeypatch.delenv("WARMCALL_CONFIG", raising=False)
    assert cfg.default_db_path() == tmp_path / "warmcall.db"
    assert cfg.config_path() == tmp_path / "config.toml"


def test_to_toml_round_trips_any_change(tmp_path: Path):
    conf = cfg.Config(timezone="Europe/Madrid", region="ES", dayfirst=True)
    conf.score.hot = 7.5
    conf.windows.working_days = [1, 2, 3, 4]
    conf.windows.midday = "12:30-14:00"
    path = tmp_path / "c.toml"
    path.write_text(cfg.to_toml(conf))
    assert cfg.load(path) == conf


@pytest.mark.parametrize(
    "text, key",
    [
        ('[windows]\nearly = "25:00-26:00"\n', "windows.early"),
        ('[windows]\nmidday = "noonish"\n', "windows.midday"),
        ("[windows]\nworking_days = [9]\n", "windows.working_days"),
        ("[windows]\nworking_days = []\n", "windows.working_days"),
        ('[windows]\nworking_days = ["mon"]\n', "windows.working_days"),
        ("[score]\nhot = nan\n", "score.hot"),
        ("[score]\nwarm = inf\n", "score.warm"),
        ('language = "fr"\n', "language"),
        ("[rules]\nmax_attempts = -1\n", "rules.max_attempts"),
        ('[rules]\nmax_attempts = "three"\n', "rules.max_attempts"),
        ('[report]\nweek_start = "someday"\n', "report.week_start"),
        ('region = "Spain"\n', "region"),
        ("dayfirst = 3\n", "dayfirst"),
        ("windows = 3\n", "windows"),
        ('[compliance]\nprofile = "../../x"\n', "compliance.profile"),  # not a path
        ('[compliance.countries]\nFR = "../fr"\n', "compliance.countries.FR"),
    ],
)
def test_a_bad_value_is_refused_when_read_naming_file_and_key(tmp_path: Path, text, key):
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        cfg.load(path)
    message = str(caught.value)
    assert str(path) in message and key in message
    assert message.count("\n") == 0 and message.endswith(".")


def test_every_setting_says_what_it_means_in_the_file_config_init_writes() -> None:
    from dataclasses import fields, is_dataclass

    from warmcall import config as cfg

    keys = []
    for f in fields(cfg.Config):
        keys.append(f.name)
        default = getattr(cfg.Config(), f.name)
        if is_dataclass(default):
            keys += [f"{f.name}.{g.name}" for g in fields(default)]
    assert [k for k in keys if k not in cfg.COMMENTS] == []
    written = cfg.to_toml(cfg.Config(), comments=True)
    assert "# this many dials within attempts_days make a lead rest\nmax_attempts = 3" in written
    assert cfg.to_toml(cfg.Config()).count("#") < written.count("#")


def test_a_commented_file_reads_back_as_the_defaults(tmp_path) -> None:
    from warmcall import config as cfg

    path = tmp_path / "config.toml"
    path.write_text(cfg.to_toml(cfg.Config(), comments=True))
    assert cfg.load(path) == cfg.Config()
