"""`warmcall call log / list` and the timeline of `lead show`, through the real CLI.

Every moment is given with --at (the call's time) or `lead show --at` (the clock), so no
assertion depends on the real date.
"""

import json

import pytest

NOW = "2026-11-25 07:50"  # conftest's NOW: Wednesday 25 November 2026, Madrid


@pytest.fixture
def ana(cli):
    added = cli("lead", "add", "Ana Martínez", "--company", "Innova", "--phone", "612 345 678",
                "--email", "ana@innova.es", "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    return json.loads(added.stdout)


def log(cli, *args):
    return cli("call", "log", *args)


def shown(cli, ref="ana", at=NOW):
    result = cli("lead", "show", ref, "--json", "--at", at)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_readme_example_line(cli, ana):
    result = log(cli, "ana", "--outcome", "vm", "--at", "2026-11-23 16:40", "--next", "fri 10:00",
                 "--next-action", "send revised offer")  # fmt: skip
    assert result.exit_code == 0, result.output
    line = " ".join(result.stdout.split())
    assert line == (
        "Logged voicemail with Ana Martínez (Innova) at Mon 23 Nov 16:40 · "
        "next: Fri 27 Nov 10:00 — send revised offer"
    )
    again = log(cli, "ana", "-o", "connected", "--at", "2026-11-25 07:00")
    assert "follow-up of Fri kept" in " ".join(again.stdout.split())


@pytest.mark.parametrize(
    "text, due",
    [
        ("fri 10:00", "2026-11-27T10:00:00+01:00"),  # the Friday after Monday's call
        ("tomorrow 12:30", "2026-11-24T12:30:00+01:00"),
        ("+3d", "2026-11-26T16:40:00+01:00"),
        ("2026-12-01 08:15", "2026-12-01T08:15:00+01:00"),
        ("next week", "2026-11-30T00:00:00+01:00"),  # Monday, the day alone
    ],
)
def test_next_is_read_from_the_calls_own_time(cli, ana, text, due):
    result = log(cli, "ana", "-o", "connected", "--at", "2026-11-23 16:40", "--next", text,
                 "--next-action", "send revised offer", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["at"] == "2026-11-23T16:40:00+01:00"
    assert data["opened"]["due_at"] == due and data["closed"] is None


def test_a_next_step_without_a_time_shows_the_day_alone(cli, ana):
    log(cli, "ana", "-o", "connected", "--at", "2026-11-23 16:40", "--next", "next week",
        "--next-action", "send the contract")  # fmt: skip
    timeline = cli("lead", "show", "ana", "--at", NOW).stdout
    assert "Mon 30 Nov  " in timeline and "Mon 30 Nov 00:00" not in timeline


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["--outcome", "perhaps"], 2, "Unknown outcome 'perhaps'"),
        (["-o", "connected", "--at", "the other day"], 2, "Cannot read 'the other day'"),
        (["-o", "connected", "--next", "someday", "--next-action", "x"], 2, "Cannot read"),
        (["-o", "callback"], 2, "A callback needs the agreed time"),
        (["-o", "connected", "--next", "fri 10:00"], 2, "--next-action"),
        (["-o", "connected", "--duration", "long"], 2, "Cannot read 'long' as a duration"),
        ([], 2, "Missing option '--outcome'"),
    ],
)
def test_bad_input_is_one_sentence_and_writes_nothing(cli, ana, args, code, words):
    result = log(cli, "ana", *args)
    assert result.exit_code == code, result.output
    assert words in result.stderr and "Traceback" not in result.output
    assert shown(cli)["calls"] == []


def test_unknown_or_missing_lead(cli, ana):
    unknown = log(cli, "nobody", "-o", "vm")
    assert unknown.exit_code == 1 and "No lead matches 'nobody'" in unknown.stderr
    missing = log(cli, "-o", "vm")  # no terminal: a usage error, never a question
    assert missing.exit_code == 2 and "Missing argument 'LEAD'" in missing.stderr


def test_do_not_call_then_a_new_call_is_refused_with_the_date(cli, ana):
    dnc = log(cli, "ana", "-o", "dnc", "--at", "2026-11-23 16:40", "--notes", "asked to be removed")
    assert dnc.exit_code == 0 and "will not be called again" in dnc.stdout
    lead = shown(cli)
    assert lead["status"] == "dnc" and lead["dnc_at"] == "2026-11-23T16:40:00+01:00"
    refused = log(cli, "ana", "-o", "connected", "--at", "2026-11-24 10:00")
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        "Ana Martínez asked not to be called on 23 Nov 2026 (asked to be removed); "
        "no new call is logged."
    )
    assert len(shown(cli)["calls"]) == 1


def test_wrong_number_and_temperature_and_lost(cli, ana):
    log(cli, "ana", "-o", "wrong", "--at", "2026-11-20 10:00")
    assert shown(cli)["phone_flag"] == "wrong-number"
    log(cli, "ana", "-o", "connected", "--at", "2026-11-21 10:00", "--temperature", "hot")
    assert shown(cli)["temperature"] == "hot"
    ni = log(cli, "ana", "-o", "ni", "--at", "2026-11-22 10:00")  # no terminal: not asked
    assert ni.exit_code == 0 and shown(cli)["status"] == "active"
    lost = log(cli, "ana", "-o", "ni", "--at", "2026-11-23 10:00", "--lost")
    assert "marked lost" in lost.stdout and shown(cli)["status"] == "lost"


def test_show_json_carries_the_timeline(cli, ana):
    log(cli, "ana", "-o", "connected", "--at", "2026-11-19 12:05", "--channel", "visit",
        "--duration", "12m", "--notes", "asked about pricing", "--objection", "price",
        "--objection", "timing", "--temperature", "hot", "--next", "mon 10:00",
        "--next-action", "send revised offer", "--next-goal", "agree on a pilot")  # fmt: skip
    log(cli, "ana", "-o", "vm", "--at", "2026-11-24 16:40", "--next", "fri 10:00",
        "--next-action", "call again")  # fmt: skip
    data = shown(cli)
    assert [c["at"] for c in data["calls"]] == [
        "2026-11-24T16:40:00+01:00",
        "2026-11-19T12:05:00+01:00",
    ]
    assert {k: v for k, v in data["calls"][1].items() if k != "id"} == {
        "at": "2026-11-19T12:05:00+01:00",
        "outcome": "connected",
        "channel": "visit",
        "duration": 720,
        "notes": "asked about pricing",
        "objections": ["price", "timing"],
        "temperature": "hot",
        "timeline": None,
        "rep": "maria",  # the system's user: the rep by default
    }
    assert [{k: v for k, v in f.items() if k != "id"} for f in data["followups"]] == [
        {"due_at": "2026-11-27T10:00:00+01:00", "action": "call again", "goal": None,
         "done_at": None, "status": "open"},
        {"due_at": "2026-11-23T10:00:00+01:00", "action": "send revised offer",
         "goal": "agree on a pilot", "done_at": "2026-11-24T16:40:00+01:00", "status": "moved"},
    ]  # fmt: skip
    later = shown(cli, at="2026-11-27 10:01")
    assert later["followups"][0]["status"] == "overdue"


def test_timeline_reads_newest_first_with_every_detail(cli, ana, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    log(cli, "ana", "-o", "connected", "--at", "2026-11-19 12:05", "--duration", "4:30",
        "--notes", "asked about pricing", "--objection", "price", "--temperature", "hot",
        "--next", "mon 10:00", "--next-action", "send revised offer")  # fmt: skip
    log(cli, "ana", "-o", "vm", "--at", "2026-11-24 16:40", "--channel", "sms")
    out = cli("lead", "show", "ana", "--at", NOW).stdout
    timeline = out[out.index("Timeline") :].splitlines()
    assert "2 touches, 1 follow-up" in timeline[0]
    rows = [" ".join(line.split()) for line in timeline[1:]]
    assert rows[0].startswith("Tue 24 Nov 16:40 voicemail sms")
    # a text message is no conversation: Monday's step is still open, and overdue
    assert rows[1].startswith("Mon 23 Nov 10:00 next step overdue send revised offer")
    assert rows[2] == (
        "Thu 19 Nov 12:05 connected 4m30s · asked about pricing · objections: price · now hot"
    )
    assert "\x1b[" not in out  # NO_COLOR


def test_show_without_calls_says_so(cli, ana):
    assert "No calls yet." in cli("lead", "show", "ana").stdout


def test_call_list_filters_and_orders(cli, ana):
    cli("lead", "add", "Bob Smith", "--phone", "+1 212 555 0100")
    log(cli, "ana", "-o", "vm", "--at", "2026-11-18 09:00")
    log(cli, "bob", "-o", "connected", "--at", "2026-11-20 17:30", "--notes", "wants a demo")
    log(cli, "ana", "-o", "meeting", "--at", "2026-11-24 11:00", "--next", "mon 10:00",
        "--next-action", "demo")  # fmt: skip
    listed = json.loads(cli("call", "list", "--json").stdout)
    assert [(c["lead"], c["outcome"]) for c in listed] == [
        ("Ana Martínez", "meeting"),
        ("Bob Smith", "connected"),
        ("Ana Martínez", "voicemail"),
    ]
    ana_only = json.loads(cli("call", "list", "ana", "--json").stdout)
    assert [c["outcome"] for c in ana_only] == ["meeting", "voicemail"]
    days = cli("call", "list", "--since", "2026-11-19", "--until", "2026-11-20", "--json")
    assert [c["outcome"] for c in json.loads(days.stdout)] == ["connected"]  # the 20th included
    picked = cli("call", "list", "-o", "vm", "-o", "meeting", "--limit", "1", "--json")
    assert [c["outcome"] for c in json.loads(picked.stdout)] == ["meeting"]
    table = cli("call", "list").stdout
    assert table.index("Tue 24 Nov 11:00") < table.index("Fri 20 Nov 17:30")
    assert "wants a demo" in table and "3 calls" in table


def test_call_list_keeps_when_and_what_whole_at_80_columns(cli, ana, monkeypatch):
    log(cli, "ana", "-o", "connected", "--channel", "visit", "--duration", "4m",
        "--at", "2026-11-24 13:40", "--notes", "walked the shop floor " * 5)  # fmt: skip
    monkeypatch.setenv("COLUMNS", "80")
    row = cli("call", "list").stdout.splitlines()[1]
    assert len(row) <= 80
    assert row.startswith("1  Tue 24 Nov 13:40")  # the id first: `call edit 1` corrects it
    assert "connected · visit · 4m" in row and "walked the" in row


def test_call_list_empty_and_bad_outcome(cli, ana):
    assert "No calls match" in cli("call", "list").stdout
    bad = cli("call", "list", "-o", "maybe")
    assert bad.exit_code == 2 and "Unknown outcome 'maybe'" in bad.stderr  # SPEC §6: usage


HISTORY = (
    "E-mail,Date,Disposition,Notes,Duration\n"
    "ana@innova.es,23/11/2026 16:40,Left voicemail,,\n"
    "ana@innova.es,24/11/2026 10:00,Connected,asked about pricing,272\n"
)


def test_call_import_from_stdin_with_a_json_summary(cli, ana):
    result = cli("call", "import", "-", "--json", input=HISTORY)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["rows"], summary["imported"], summary["rejected"]) == (2, 2, 0)
    assert summary["outcomes"] == {"voicemail": 1, "connected": 1}
    calls = shown(cli)["calls"]
    assert [(c["at"], c["outcome"], c["duration"]) for c in calls] == [
        ("2026-11-24T10:00:00+01:00", "connected", 272),
        ("2026-11-23T16:40:00+01:00", "voicemail", None),
    ]


def test_call_import_rejects_the_file_with_line_numbers(cli, ana, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(HISTORY + "zoe@nowhere.com,25/11/2026 09:00,Busy,,\n", encoding="utf-8")
    result = cli("call", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "1 of 3 rows cannot be imported, so nothing was written (--skip-invalid imports the "
        "others):",
        "  line 4: no lead has the e-mail zoe@nowhere.com",
    ]
    assert shown(cli)["calls"] == []
    rejects = tmp_path / "rejects.csv"
    skipped = cli("call", "import", str(path), "--skip-invalid", "--rejects", str(rejects))
    assert skipped.exit_code == 0
    assert "Imported 2 calls from 3 rows; 1 rejected." in skipped.stdout
    assert "line 4: no lead has the e-mail zoe@nowhere.com" in skipped.stdout
    assert rejects.read_text(encoding="utf-8").splitlines()[1].startswith("4,no lead has")
    assert len(shown(cli)["calls"]) == 2


def test_call_import_dry_run_and_missing_file(cli, ana, tmp_path):
    dry = cli("call", "import", "-", "--dry-run", input=HISTORY)
    assert dry.exit_code == 0 and "Would import 2 calls from 2 rows." in dry.stdout
    assert shown(cli)["calls"] == []
    missing = cli("call", "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1 and "Cannot read" in missing.stderr


def _spawn(tmp_path, *args):
    import os
    import sys

    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMCALL_")}
    env.update(WARMCALL_HOME=str(tmp_path), TZ="Europe/Madrid", TERM="xterm", NO_COLOR="1")
    # prompt_toolkit would wait for the cursor-position reply pexpect never sends.
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    return pexpect.spawn(sys.executable, ["-m", "warmcall", *args], env=env, encoding="utf-8",
                         timeout=30, dimensions=(40, 120))  # fmt: skip


def _finish(child):
    import pexpect

    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_at_a_terminal_missing_values_are_asked(tmp_path):
    assert _finish(_spawn(tmp_path, "lead", "add", "Ana Martínez", "--company", "Innova")) == 0
    child = _spawn(tmp_path, "call", "log", "--at", "2026-11-25 07:50")
    child.expect("Lead:")
    child.sendline("martinez")
    child.expect("Outcome:")
    child.send("\x1b[B\x1b[B")  # down twice: callback
    child.sendline("")
    child.expect("Notes")
    child.sendline("wants the numbers first")
    child.expect("Objections raised")
    child.send(" ")  # the first: price
    child.sendline("")
    child.expect("Timeline they gave")
    child.sendline("maybe in spring")
    child.expect("Call back when")
    child.sendline("tomorrow 17:00")
    child.expect("Next step, what")
    child.sendline("send the price sheet")
    child.expect("Goal")
    child.sendline("")
    child.expect("Logged callback with")
    child.expect("Ana Martínez")
    # The year shows when the real clock is in another one: the test holds on any date.
    child.expect("next: (Thu )?26 Nov( 2026)? 17:00 — send the price sheet")
    assert _finish(child) == 0
    calls = _spawn(tmp_path, "lead", "show", "ana", "--json")
    calls.expect('"objections": \\[\\s*"price"\\s*\\]')
    calls.expect('"timeline": "maybe in spring"')
    assert _finish(calls) == 0


def test_not_interested_at_a_terminal_asks_about_lost(tmp_path):
    assert _finish(_spawn(tmp_path, "lead", "add", "Ana Martínez")) == 0
    child = _spawn(tmp_path, "call", "log", "ana", "-o", "ni")
    child.expect("Mark Ana Martínez as lost")
    child.sendline("y")
    child.expect("marked lost")
    assert _finish(child) == 0


def test_a_meeting_without_a_date_is_a_usage_error(cli, ana):
    result = log(cli, "ana", "-o", "meeting", "--at", "2026-11-24 11:00")
    assert result.exit_code == 2
    assert "meeting needs its date" in result.stderr
    assert json.loads(cli("call", "list", "--json").stdout) == []


def test_a_no_answer_leaves_the_agreed_step_open_and_says_so(cli, ana):
    log(cli, "ana", "-o", "connected", "--at", "2026-11-23 16:40", "--next", "fri 10:00",
        "--next-action", "send revised offer")  # fmt: skip
    result = log(cli, "ana", "-o", "na", "--at", "2026-11-25 07:00")
    line = " ".join(result.stdout.split())
    assert "follow-up of Fri still open" in line and "kept" not in line
    data = shown(cli)
    assert [f["status"] for f in data["followups"]] == ["open"]


def test_a_new_phone_clears_the_wrong_number_flag(cli, ana):
    log(cli, "ana", "-o", "wrong-number", "--at", "2026-11-24 11:00")
    assert shown(cli)["phone_flag"] == "wrong-number"
    edited = cli("lead", "edit", "ana", "--phone", "611 222 333", "--json")
    assert edited.exit_code == 0, edited.output
    assert json.loads(edited.stdout)["phone_flag"] is None


def test_a_call_in_the_future_is_refused(cli, ana):
    result = log(cli, "ana", "-o", "connected", "--at", "2026-11-25 12:30")  # NOW is 07:50
    assert result.exit_code == 1
    assert "cannot be logged in the future" in result.stderr and "Traceback" not in result.output
    assert json.loads(cli("call", "list", "--json").stdout) == []


def test_undo_needs_yes_without_a_terminal_and_takes_the_last_call_back(cli, ana):
    log(cli, "ana", "-o", "connected", "--at", "2026-11-23 16:40", "--next", "fri 10:00",
        "--next-action", "send revised offer")  # fmt: skip
    log(cli, "ana", "-o", "connected", "--at", "2026-11-24 10:00", "--temperature", "hot")
    refused = cli("call", "undo")
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    assert len(json.loads(cli("call", "list", "--json").stdout)) == 2
    undone = cli("call", "undo", "--yes", "--json")
    assert undone.exit_code == 0, undone.output
    data = json.loads(undone.stdout)
    assert data["at"] == "2026-11-24T10:00:00+01:00" and data["restored"] == ["temperature"]
    assert [f["status"] for f in data["reopened"]] == ["open"]
    after = shown(cli)
    assert after["temperature"] == "warm"
    assert [f["status"] for f in after["followups"]] == ["open"]
    words = " ".join(cli("call", "undo", "--yes").stdout.split())
    assert words.startswith("Undid call #1: connected with Ana Martínez")
    assert "step of Fri 27 Nov 10:00 removed" in words
    nothing = cli("call", "undo", "--yes")
    assert nothing.exit_code == 1 and "no call to undo" in nothing.stderr


def test_call_edit_by_id_from_the_list(cli, ana):
    log(cli, "ana", "-o", "connected", "--at", "2026-11-23 16:40", "--next", "fri 10:00",
        "--next-action", "send revised offer")  # fmt: skip
    log(cli, "ana", "-o", "connected", "--at", "2026-11-24 10:00")
    listed = json.loads(cli("call", "list", "--json").stdout)
    second = listed[0]["id"]
    assert [f["status"] for f in shown(cli)["followups"]] == ["kept"]
    fixed = cli("call", "edit", str(second), "-o", "voicemail", "--notes", "left word")
    assert fixed.exit_code == 0, fixed.output
    assert f"Corrected #{second} voicemail" in " ".join(fixed.stdout.split())
    data = shown(cli)
    assert [f["status"] for f in data["followups"]] == ["open"]
    assert (data["calls"][0]["outcome"], data["calls"][0]["notes"]) == ("voicemail", "left word")
    assert cli("call", "edit", str(second)).exit_code == 2  # nothing to correct
    future = cli("call", "edit", str(second), "--at", "2026-11-26 10:00")
    assert future.exit_code == 1 and "future" in future.stderr
    missing = cli("call", "edit", "99", "--notes", "x")
    assert missing.exit_code == 1 and "No call has id 99" in missing.stderr


def test_a_dial_that_breaks_the_frequency_rule_is_logged_with_a_warning(cli, ana):
    for at in ("2026-11-23 10:00", "2026-11-23 16:00", "2026-11-24 10:00"):
        log(cli, "ana", "-o", "connected", "--at", at)
    fourth = log(cli, "ana", "-o", "no-answer", "--at", "2026-11-24 16:00", "--json")
    assert fourth.exit_code == 0, fourth.output
    data = json.loads(fourth.stdout)
    assert [(w["rule"], w["count"], w["limit"]) for w in data["warnings"]] == [("attempts", 4, 3)]
    assert "Warning: this is dial 4 in 14 days" in fourth.stderr
    assert "rules.max_attempts" in fourth.stderr
    fifth = log(cli, "ana", "-o", "voicemail", "--at", "2026-11-24 18:00")
    assert fifth.exit_code == 0
    assert "went unanswered less than 48 hours ago" in fifth.stderr
    assert "rules.rest_hours_after_unanswered" in fifth.stderr
    assert len(json.loads(cli("call", "list", "--json").stdout)) == 5


def test_at_a_terminal_a_meeting_asks_its_date_and_undo_asks_to_confirm(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMCALL_")}
    env.update(WARMCALL_HOME=str(tmp_path), TZ="Europe/Madrid", TERM="xterm", NO_COLOR="1")
    (tmp_path / "config.toml").write_text('timezone = "Europe/Madrid"\nregion = "ES"\n')

    def spawn(*args):
        return pexpect.spawn(sys.executable, ["-m", "warmcall", *args], env=env,
                             encoding="utf-8", timeout=30, dimensions=(40, 100))  # fmt: skip

    add = spawn("lead", "add", "Ana", "--phone", "612345678")
    add.expect(pexpect.EOF)
    # dates long past, whatever the real clock says
    child = spawn("call", "log", "ana", "-o", "meeting", "--at", "2026-01-05 10:00")
    child.expect("Next step when\\? The meeting")
    child.sendline("2026-01-09 10:00")
    child.expect("Next step, what")
    child.sendline("demo at their office")
    child.expect(
        "Logged .*meeting.* with .*Ana.* · next: (Fri )?09 Jan( 2026)? 10:00 — demo at their office"
    )
    child.expect(pexpect.EOF)
    undo = spawn("call", "undo")
    undo.expect("Undo call #1: meeting with Ana")
    undo.sendline("y")
    undo.expect("Undid call #1: .*meeting.* with .*Ana")
    undo.expect("removed")
    undo.expect(pexpect.EOF)
    undo.close()
    assert undo.exitstatus == 0


def test_next_across_zones_shows_their_clock_and_says_when_it_is_a_poor_time(
    cli,
) -> None:
    """A Mexico City lead (early window, 07:30-09:00 there): "mon 08:30" typed as usual is
    Madrid time, 01:30 in Mexico, and the caller is told; --their-time reads it as theirs."""
    added = cli("lead", "add", "Valeria Cruz", "--phone", "+52 55 1234 5678", "--window",
                "early", "--timezone", "America/Mexico_City",
                "--at", "2026-11-20 09:00")  # fmt: skip
    assert added.exit_code == 0, added.output
    mine = cli("call", "log", "valeria", "-o", "callback", "--at", "2026-11-25 07:40",
               "--next", "mon 08:30", "--next-action", "demo for the owner")  # fmt: skip
    assert mine.exit_code == 0, mine.output
    assert "08:30 (01:30 in Mexico City)" in " ".join(mine.stdout.split())
    said = " ".join(mine.stderr.split())
    assert "01:30 their time is outside their window (early)" in said
    assert "kept as agreed" in said
    theirs = cli("call", "log", "valeria", "-o", "callback", "--at", "2026-11-25 07:45",
                 "--next", "mon 08:30", "--their-time", "--next-action", "demo",
                 "--json")  # fmt: skip
    assert theirs.exit_code == 0, theirs.output
    data = json.loads(theirs.stdout)
    assert data["opened"]["due_at"] == "2026-11-30T15:30:00+01:00"  # 08:30 in Mexico City
    assert data["next_problems"] == []


def test_a_next_step_on_a_public_holiday_there_is_named(cli) -> None:
    added = cli("lead", "add", "John Carter", "--phone", "+1 212 555 0100", "--window", "any",
                "--at", "2026-11-02 09:00")  # fmt: skip
    assert added.exit_code == 0, added.output
    logged = cli("call", "log", "john", "-o", "callback", "--at", "2026-11-25 07:40",
                 "--next", "2026-11-26 16:00", "--next-action", "pricing", "--json")  # fmt: skip
    assert logged.exit_code == 0, logged.output
    codes = [p["code"] for p in json.loads(logged.stdout)["next_problems"]]
    assert "holiday" in codes  # Thanksgiving in New York


def test_the_call_views_speak_the_configured_language(cli, ana, home):
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n'
    )
    result = log(cli, "ana", "--outcome", "vm", "--at", "2026-11-23 16:40", "--next",
                 "2026-11-27 10:00", "--next-action", "enviar la oferta revisada")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert " ".join(result.stdout.split()) == (
        "Registrado con Ana Martínez (Innova) el lun 23 nov 16:40: buzón de voz · "
        "siguiente: vie 27 nov 10:00 — enviar la oferta revisada"
    )
    again = " ".join(log(cli, "ana", "-o", "connected", "--at", "2026-11-25 07:00").stdout.split())
    assert "seguimiento del vie cumplido" in again
    listed = cli("call", "list", "--at", NOW).stdout
    for words in ("Cuándo", "Contacto", "Resultado", "conversación", "buzón de voz", "2 llamadas"):
        assert words in listed
    card = cli("lead", "show", "ana", "--at", NOW).stdout
    for words in ("teléfono", "temperatura", "templado", "zona horaria desconocida", "Historial",
                  "2 contactos, 1 seguimiento", "siguiente paso", "cumplido"):  # fmt: skip
        assert words in card
    for english in ("Timeline", "temperature", "next step", "your time zone"):
        assert english not in card


# --- corrections, callbacks, limits (issues 19 and 20) -------------------------------------------


def test_a_callback_needs_only_its_time(cli, ana):
    result = log(cli, "ana", "-o", "callback", "--at", "2026-11-24 11:00", "--next", "fri 10:00")
    assert result.exit_code == 0, result.output
    assert "next: Fri 27 Nov 10:00 — call back" in " ".join(result.stdout.split())
    assert [f["action"] for f in shown(cli)["followups"]] == ["call back"]


def test_a_no_answer_corrected_to_connected_gets_its_agreed_step(cli, ana):
    log(cli, "ana", "-o", "na", "--at", "2026-11-23 16:40")
    call_id = shown(cli)["calls"][0]["id"]
    fixed = cli("call", "edit", str(call_id), "-o", "connected", "--next", "fri 10:00",
                "--next-action", "send the revised offer", "--json")  # fmt: skip
    assert fixed.exit_code == 0, fixed.output
    data = json.loads(fixed.stdout)
    assert data["id"] == call_id and data["outcome"] == "connected"
    # --next is read from the call's time (Monday): that Friday.
    assert data["opened"]["due_at"] == "2026-11-27T10:00:00+01:00"
    assert [(f["action"], f["status"]) for f in shown(cli)["followups"]] == [
        ("send the revised offer", "open")
    ]
    missing = cli("call", "edit", str(call_id), "--next-goal", "a pilot", "--next-action", "x")
    assert missing.exit_code == 0, missing.output  # the step's time stays as agreed
    bad = cli("call", "edit", str(call_id), "--next", "someday")
    assert bad.exit_code == 2 and "Cannot read 'someday'" in bad.stderr


def test_an_undone_call_id_is_not_given_to_the_next_call(cli, ana):
    log(cli, "ana", "-o", "na", "--at", "2026-11-23 16:40")
    log(cli, "ana", "-o", "vm", "--at", "2026-11-24 16:40")
    undone = json.loads(cli("call", "undo", "--yes", "--json").stdout)
    again = log(cli, "ana", "-o", "busy", "--at", "2026-11-24 17:00", "--json")
    assert json.loads(again.stdout)["id"] == undone["id"] + 1


def test_undoing_a_do_not_call_asks_why_like_a_lift(cli, ana):
    log(cli, "ana", "-o", "dnc", "--at", "2026-11-24 11:00", "--notes", "remove me")
    silent = cli("call", "undo", "--yes")
    assert silent.exit_code == 2 and "--reason" in silent.stderr
    assert shown(cli)["status"] == "dnc"
    undone = cli("call", "undo", "--yes", "--reason", "logged on the wrong lead")
    assert undone.exit_code == 0, undone.output
    after = shown(cli)
    assert after["status"] == "active"
    lift = [e for e in after["events"] if e["kind"] == "lift"]
    assert len(lift) == 1 and lift[0]["reason"].startswith("logged on the wrong lead")


def test_a_duration_beyond_a_day_is_refused_and_a_huge_limit_is_a_usage_error(cli, ana):
    long = log(cli, "ana", "-o", "connected", "--at", "2026-11-24 11:00", "--duration", "99999999h")
    assert long.exit_code == 1 and "at most 24 hours" in long.stderr
    assert shown(cli)["calls"] == []
    huge = cli("call", "list", "--limit", str(10**21))
    assert huge.exit_code == 2 and "--limit" in huge.stderr
    assert cli("call", "list", "--limit", "-1").exit_code == 2


def test_a_conversation_on_a_number_flagged_wrong_clears_the_flag(cli, ana):
    log(cli, "ana", "-o", "wrong", "--at", "2026-11-23 10:00")
    assert shown(cli)["phone_flag"] == "wrong-number"
    talk = log(cli, "ana", "-o", "connected", "--at", "2026-11-24 10:00")
    assert talk.exit_code == 0, talk.output
    assert "wrong-number flag cleared" in " ".join(talk.stdout.split())
    assert shown(cli)["phone_flag"] is None


def test_at_a_terminal_undoing_a_do_not_call_asks_why(tmp_path):
    assert _finish(_spawn(tmp_path, "lead", "add", "Ana Martínez")) == 0
    logged = _spawn(tmp_path, "call", "log", "ana", "-o", "dnc", "--at", "2026-01-05 10:00",
                    "--notes", "remove me")  # fmt: skip
    assert _finish(logged) == 0
    edit = _spawn(tmp_path, "call", "edit", "1", "-o", "vm")  # not a do-not-call after all
    edit.expect("Ana Martínez asked not to be called. Why lift the objection")
    edit.sendline("she never objected")
    edit.expect("Corrected #1")
    assert _finish(edit) == 0
    again = _spawn(tmp_path, "call", "log", "ana", "-o", "dnc", "--at", "2026-01-06 10:00")
    assert _finish(again) == 0
    undo = _spawn(tmp_path, "call", "undo", "--yes")
    undo.expect("Ana Martínez asked not to be called. Why lift the objection")
    undo.sendline("")  # an empty reason is not one
    undo.expect("Say why")
    undo.sendline("logged on the wrong lead")
    undo.expect("Undid call #2")
    assert _finish(undo) == 0
    show = _spawn(tmp_path, "lead", "show", "ana", "--json")
    show.expect('"kind": "lift",\\s*"reason": "she never objected')
    show.expect('"kind": "lift",\\s*"reason": "logged on the wrong lead')
    assert _finish(show) == 0
