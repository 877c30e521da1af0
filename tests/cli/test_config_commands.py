import json

from warmcall import config as cfg


def test_init_writes_every_default_and_it_reads_back(cli, home):
    (home / "config.toml").unlink()
    assert cli("config", "init").exit_code == 0
    assert cfg.load(home / "config.toml") == cfg.Config()
    again = cli("config", "init")
    assert again.exit_code == 1 and "--force" in again.stderr


def test_show_reports_the_settings_in_force(cli, home):
    (home / "config.toml").write_text('timezone = "America/New_York"\n[rules]\nmax_attempts = 4\n')
    shown = json.loads(cli("config", "show", "--json").stdout)
    assert shown["effective_timezone"] == "America/New_York"
    assert shown["rules"]["max_attempts"] == 4
    assert shown["rules"]["attempts_days"] == 14
    assert shown["paths"]["store"] == str(home / "warmcall.db")
