"""`warmcall lead import` and `lead export` through the real CLI, on a real store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.test_importer import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def names(cli) -> set[str]:
    return {lead["name"] for lead in json.loads(cli("lead", "list", "--json").stdout)}


def test_standard_input_is_read_with_a_dash(cli) -> None:
    result = cli("lead", "import", "-", input="Nombre;Correo\nAna Ruiz;ana@x.es\n")
    assert result.exit_code == 0, result.output
    assert "Imported standard input: 1 row" in result.stdout and "1 new" in result.stdout
    assert names(cli) == {"Ana Ruiz"}


def test_one_bad_row_rejects_the_file_with_every_line(cli) -> None:
    result = cli("lead", "import", str(FIXTURES / "invalid_rows.csv"))
    assert result.exit_code == 1
    first, *lines = result.stderr.strip().splitlines()
    assert first.startswith("Nothing was imported: 6 of 9 rows in invalid_rows.csv are invalid")
    assert [line.split(":")[0].strip() for line in lines] == [f"line {n}" for n in range(3, 9)]
    assert "line 4: 'not-an-email' is not an e-mail address." in result.stderr
    assert "Traceback" not in result.output and names(cli) == set()


def test_skip_invalid_imports_the_rest_and_rejects_go_to_a_file(cli, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.csv"
    result = cli(
        "lead", "import", str(FIXTURES / "invalid_rows.csv"), "--skip-invalid",
        "--rejects", str(rejects),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 new" in result.stdout and "6 rejected" in result.stdout
    assert names(cli) == {"Ana Valid", "Odd Phone", "Placeholder Mail"}
    rows = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert [r["line"] for r in rows] == ["3", "4", "5", "6", "7", "8"]
    assert rows[3]["name"] == "Bad Window" and "lunchtime" in rows[3]["reason"]


def test_dry_run_writes_nothing(cli) -> None:
    result = cli("lead", "import", str(FIXTURES / "preamble_quoted.csv"), "--dry-run")
    assert result.exit_code == 0 and "3 new" in result.stdout
    assert "Nothing was written" in result.stdout and names(cli) == set()


def test_on_duplicate_update_changes_the_existing_lead(cli) -> None:
    cli("lead", "add", "Carmen Ruiz", "--email", "carmen@acme.es", "--company", "Acme")
    text = "name,email,company,temperature\nCarmen Ruiz Gil,CARMEN@acme.es,Acme Iberia,hot\n"
    skipped = cli("lead", "import", "-", input=text)
    assert "1 skipped" in skipped.stdout
    updated = cli("lead", "import", "-", "--on-duplicate", "update", "--json", input=text)
    assert json.loads(updated.stdout)["updated"] == 1
    (carmen,) = json.loads(cli("lead", "list", "--json").stdout)
    assert (carmen["name"], carmen["company"], carmen["temperature"]) == (
        "Carmen Ruiz",  # never renamed by a file
        "Acme Iberia",
        "hot",
    )


def test_map_and_the_json_summary(cli) -> None:
    text = "Persona,Tlf directo,Feria\nMarta Gil,600 111 222,Expo Retail\n"
    result = cli(
        "lead", "import", "-", "--map", "Persona=name", "--map", "Tlf directo=phone",
        "--map", "Feria=source", "--temperature", "hot", "--json", input=text,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert {k: summary[k] for k in ("rows", "imported", "updated", "skipped", "rejected")} == {
        "rows": 1, "imported": 1, "updated": 0, "skipped": 0, "rejected": 0
    }  # fmt: skip
    assert summary["columns"] == {"Persona": "name", "Tlf directo": "phone", "Feria": "source"}
    (marta,) = json.loads(cli("lead", "list", "--json").stdout)
    assert (marta["phone_e164"], marta["source"], marta["temperature"]) == (
        "+34600111222",
        "Expo Retail",
        "hot",
    )


def test_rejected_import_with_json_still_prints_the_summary(cli) -> None:
    result = cli("lead", "import", str(FIXTURES / "invalid_rows.csv"), "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["written"] is False and [e["line"] for e in summary["rejects"]][:2] == [3, 4]


# The keys both imports' --json carry, with one meaning (README, "One result shape").
SHARED = {"source", "encoding", "delimiter", "rows", "imported", "rejected", "rejects",
          "dry_run", "written", "columns"}  # fmt: skip


def test_lead_and_call_import_give_one_result_shape(cli, tmp_path: Path) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text("Name;E-mail;Phone\nAna Ruiz;ana@innova.es;612 345 678\n;x@y.es;\n")
    calls = tmp_path / "calls.csv"
    calls.write_text(
        "E-mail;Date;Disposition\nana@innova.es;2026-11-23 16:40;Left voicemail\n"
        "zoe@nowhere.com;2026-11-23 17:00;Busy\n"
    )
    said = []
    for command, path in (("lead", leads), ("call", calls)):
        result = cli(command, "import", str(path), "--skip-invalid", "--json")
        assert result.exit_code == 0, result.output
        said.append(json.loads(result.stdout))
    lead, call = said
    assert lead.keys() >= SHARED and call.keys() >= SHARED
    for summary, name, header, field in ((lead, "leads.csv", "E-mail", "email"),
                                         (call, "calls.csv", "Date", "at")):  # fmt: skip
        read = (summary["source"], summary["delimiter"], summary["encoding"])
        assert read == (name, ";", "utf-8")
        assert (summary["rows"], summary["imported"], summary["rejected"]) == (2, 1, 1)
        assert [r["line"] for r in summary["rejects"]] == [3]
        assert summary["written"] is True and summary["dry_run"] is False
        assert summary["columns"][header] == field  # column → field, for both
    assert "errors" not in lead and "errors" not in call


def test_a_refused_call_import_still_prints_its_json(cli, tmp_path: Path) -> None:
    cli("lead", "add", "Ana Ruiz", "--email", "ana@innova.es")
    calls = tmp_path / "calls.csv"
    calls.write_text("E-mail,Date,Disposition\nana@innova.es,2026-11-23 16:40,Busy\nzoe@x.es,,\n")
    result = cli("call", "import", str(calls), "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["written"] is False and [r["line"] for r in summary["rejects"]] == [3]


def test_errors_are_one_sentence(cli, tmp_path: Path) -> None:
    missing = cli("lead", "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1
    expected = f"Cannot read {tmp_path / 'nope.csv'}: No such file or directory."
    assert missing.stderr.strip() == expected
    bad_map = cli("lead", "import", "-", "--map", "Tlf=telephone", input="name\nAna\n")
    assert bad_map.exit_code == 2 and "'telephone' is not a lead field" in bad_map.stderr
    # The call import reads --map with the same parser: the same usage error, its fields.
    calls_map = cli("call", "import", "-", "--map", "Tlf=telephone", input="email\nana@x.es\n")
    assert calls_map.exit_code == 2 and "'telephone' is not a call field" in calls_map.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    nothing = cli("lead", "import", str(empty))
    assert nothing.exit_code == 1
    assert nothing.stderr.strip() == "empty.csv is empty: there is no header to read."
    folder = cli("lead", "import", str(tmp_path))
    assert folder.exit_code == 1 and "is a folder" in folder.stderr
    for result in (missing, bad_map, calls_map, nothing, folder):
        assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1


def test_export_csv_neutralises_formulas_and_reimports_itself(cli, tmp_path: Path) -> None:
    text = "name,email,phone,context,notes\n=SUM(A1),f@x.es,+34 612 345 678,fair,@me\n"
    cli("lead", "import", "-", input=text)
    out = tmp_path / "leads.csv"
    result = cli("lead", "export", "-o", str(out))
    assert result.exit_code == 0 and "Exported 1 lead to" in result.stderr
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    assert (row["name"], row["notes"], row["phone"]) == ("'=SUM(A1)", "'@me", "+34 612 345 678")
    cli("lead", "forget", "f@x.es", "--yes")
    refused = json.loads(cli("lead", "import", str(out), "--json").stdout)
    assert (refused["imported"], refused["suppressed"]) == (0, 1)  # forgotten stays forgotten
    cli("lead", "unsuppress", "f@x.es", "--reason", "she wrote to us again")
    cli("lead", "unsuppress", "+34 612 345 678", "--reason", "she wrote to us again")
    again = cli("lead", "import", str(out), "--json")
    assert json.loads(again.stdout)["imported"] == 1
    (lead,) = json.loads(cli("lead", "list", "--json").stdout)
    assert (lead["name"], lead["notes"]) == ("=SUM(A1)", "@me")


def test_export_json_to_standard_output(cli) -> None:
    cli("lead", "add", "Ana", "--email", "ana@x.es", "--tag", "fair")
    result = cli("lead", "export", "--format", "json")
    (ana,) = json.loads(result.stdout)
    assert ana["email"] == "ana@x.es" and ana["tags"] == ["fair"] and ana["id"] == 1


def test_the_example_file_imports_and_plans(cli) -> None:
    result = cli("lead", "import", str(ROOT / "examples" / "leads.csv"), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["rejected"], summary["imported"], summary["ignored_columns"]) == (0, 15, [])
    rows = list(csv.DictReader(io.StringIO(cli("lead", "export").stdout)))
    assert all(r["context"] and r["source"] for r in rows)  # every lead says how we know them


def test_a_rejected_import_speaks_the_configured_language(cli, home: Path, tmp_path) -> None:
    """SPEC §6: the refusal and each line's reason in Spanish; --rejects keeps the reasons
    as the JSON does, in English."""
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n'
    )
    result = cli("lead", "import", str(FIXTURES / "invalid_rows.csv"))
    assert result.exit_code == 1
    first, *lines = result.stderr.strip().splitlines()
    assert first.startswith("No se ha importado nada: 6 de las 9 filas de invalid_rows.csv")
    assert "  línea 4: 'not-an-email' no es una dirección de correo." in lines
    broken = tmp_path / "broken.csv"
    broken.write_text('name,email\n"Ana Ruiz,ana@x.es\nBob Sanz,bob@x.es\n', encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    skipped = cli("lead", "import", str(broken), "--skip-invalid", "--rejects", str(rejects))
    assert skipped.exit_code == 0, skipped.output
    assert "línea 2: unas comillas abiertas en esta línea no se cierran nunca" in skipped.stdout
    assert "a quote opened on this line is never closed" in rejects.read_text(encoding="utf-8")
    assert names(cli) == {"Bob Sanz"}
