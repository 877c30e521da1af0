"""Small faults a new user saw in their first week (issue 21's leftovers), in English and in
Spanish: each screen says what is so, in the user's language and at 80 columns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import CONFIG_TOML

Cli = Callable[..., Result]
AT = ("--at", "2026-11-23 10:00")  # a Monday


@pytest.fixture
def spanish(home: Path) -> None:
    (home / "config.toml").write_text(CONFIG_TOML + 'language = "es"\n')


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def test_a_consents_wording_is_quoted_the_spanish_way(cli: Cli, spanish: None) -> None:
    ok(cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", *AT))
    ok(cli("lead", "consent", "ana", "opt-in", "--channel", "phone", "--text", "Llámenme", *AT))
    shown = ok(cli("lead", "show", "ana", *AT)).stdout
    assert "«Llámenme»" in shown and "“" not in shown


def test_someones_words_are_quoted_in_each_languages_marks() -> None:
    from warmcall.render import i18n

    with i18n.speaking("es"):
        assert i18n.quoted("vuelva el lunes") == "«vuelva el lunes»"
    with i18n.speaking("en"):
        assert i18n.quoted("call Monday") == "“call Monday”"


def test_a_next_step_note_for_a_lead_of_unknown_zone_says_so(cli: Cli) -> None:
    ok(cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", *AT))  # Madrid or the Canaries
    logged = ok(cli("call", "log", "ana", "-o", "connected", "--next", "thu 07:30",
                    "--next-action", "demo", *AT))  # fmt: skip
    notes = " ".join(logged.stderr.split())
    assert "zone unknown — set it with `lead edit --timezone`" in notes
    assert "06:30 in Atlantic/Canary is outside the calling hours" in notes
    assert "their time" not in notes  # no clock of a place they may not be in
    ok(cli("lead", "edit", "ana", "--timezone", "Europe/Madrid", *AT))
    known = ok(cli("call", "log", "ana", "-o", "connected", "--next", "thu 06:30",
                   "--next-action", "demo", *AT))  # fmt: skip
    said = " ".join(known.stderr.split())
    assert "06:30 their time is outside the calling hours" in said and "unknown" not in said


def test_the_settings_file_warmcall_writes_fits_80_columns(cli: Cli, home: Path) -> None:
    (home / "config.toml").unlink()
    ok(cli("config", "init"))
    written = (home / "config.toml").read_text().splitlines()
    assert [line for line in written if len(line) > 80] == []
    assert "# (its holidays are your days off; empty: from locale or zone)" in written


def test_a_yes_or_no_question_in_spanish_takes_s_for_si(home: Path, spanish: None) -> None:
    import json
    import subprocess
    import sys

    pexpect = pytest.importorskip("pexpect")
    from tests.cli.test_session import env

    def warmcall(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "warmcall", *args], env=env(home),
                              capture_output=True, text=True, check=True)  # fmt: skip
        return done.stdout

    warmcall("lead", "add", "Ana Ruiz", "--phone", "612 345 678", *AT)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "warmcall", "call", "log", "ana", "-o", "ni", "--at", "2026-11-23 10:05"],
        env=env(home), encoding="utf-8", timeout=60, dimensions=(24, 80),
    )  # fmt: skip
    child.expect("¿Dar por perdido el contacto con Ana Ruiz")
    child.expect(r"\(s/N\)")
    child.send("s")
    child.expect("Sí")
    child.expect(pexpect.EOF)
    assert "Yes" not in child.before
    assert json.loads(warmcall("lead", "show", "ana", "--json"))["status"] == "lost"


def test_call_log_and_explain_read_as_spanish(cli: Cli, spanish: None) -> None:
    ok(cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", "--timezone", "Europe/Madrid",
           "--stage", "sql", "--at", "2026-11-16 10:00"))  # fmt: skip
    logged = ok(cli("call", "log", "ana", "-o", "connected", "--next", "sáb 10:00",
                    "--next-action", "llamar", "--at", "2026-11-18 10:00"))  # fmt: skip
    said = " ".join(logged.output.split())
    # what was logged, after whom: "Registrado: no le interesa con Ana" was no Spanish
    assert said.startswith("Registrado con Ana Ruiz el mié 18 nov 10:00: conversación")
    assert "el sáb no es día de llamadas en su zona" in said
    explained = " ".join(ok(cli("next", "--explain", "--at", "2026-11-23 10:00")).stdout.split())
    assert "días sin llamar" in explained and "sin tocar" not in explained
    assert "charla positiva" in explained and "última positiva" not in explained


def test_a_value_missing_or_refused_is_said_in_spanish(cli: Cli, spanish: None) -> None:
    ok(cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", *AT))
    said = {
        "lead": cli("call", "log", "-o", "vm", *AT),  # no terminal: nobody to ask
        "name": cli("lead", "add", input=""),
        "outcome": cli("call", "log", "ana", *AT),
        "sent": cli("call", "log", "ana", "-o", "vm", "--sent", "regalo", *AT),
    }
    assert {k: r.exit_code for k, r in said.items()} == dict.fromkeys(said, 2)
    assert "Falta CONTACTO: indíquelo después de la orden." in said["lead"].stderr
    assert "Falta NOMBRE" in said["name"].stderr
    assert "Falta la opción --outcome." in said["outcome"].stderr
    assert "'--sent' no puede ser 'regalo': elija uno de offer" in said["sent"].stderr
    for result in said.values():
        assert "required" not in result.stderr and "Invalid value" not in result.stderr


def test_import_summaries_agree_in_number_in_spanish(
    cli: Cli, spanish: None, tmp_path: Path
) -> None:
    ok(cli("lead", "add", "Ana Ruiz", "--email", "ana@innova.es", *AT))
    calls = tmp_path / "llamadas.csv"
    calls.write_text(
        "Correo,Fecha,Resultado\nana@innova.es,2026-11-20 10:00,Buzón de voz\n"
        "zoe@x.es,2026-11-20 11:00,Ocupado\n"
    )
    dry = ok(cli("call", "import", str(calls), "--skip-invalid", "--dry-run", *AT)).stdout
    assert "Se importaría 1 llamada de 2 filas; 1 rechazada." in dry
    assert "No se ha escrito nada (--dry-run)." in dry  # as lead import says it
    leads = tmp_path / "contactos.csv"
    leads.write_text("Nombre,Teléfono\nEva Gil,12\n")
    said = " ".join(ok(cli("lead", "import", str(leads), "--dry-run", *AT)).stdout.split())
    assert "1 número de teléfono no se pudo normalizar: se guarda tal cual, marcado con ?" in said


def test_empty_lists_name_what_to_type_in_spanish(cli: Cli, spanish: None) -> None:
    said = " ".join(
        " ".join(ok(cli(*command)).stdout.split())
        for command in (("registry", "list"), ("lead", "list"), ("call", "list", *AT))
    )
    assert "warmcall registry import ARCHIVO --name robinson --as-of FECHA" in said
    assert "warmcall lead add NOMBRE" in said and "warmcall lead import ARCHIVO" in said
    assert "warmcall call log CONTACTO --outcome" in said
    for english in ("FILE", "DATE", "NAME", "LEAD"):
        assert english not in said


def test_a_follow_up_kept_after_its_time_reads_as_such(cli: Cli, spanish: None) -> None:
    ok(cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", *AT))
    ok(cli("call", "log", "ana", "-o", "connected", "--next", "mar 10:00", "--next-action",
           "enviar la oferta", *AT))  # fmt: skip
    late = ok(cli("call", "log", "ana", "-o", "connected", "--at", "2026-11-25 07:30"))
    said = " ".join(late.stdout.split())
    assert "seguimiento del mar cumplido tarde" in said and "retraso" not in said


def test_a_corrected_or_undone_call_says_whom_then_what(cli: Cli, spanish: None) -> None:
    ok(cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", *AT))
    ok(cli("call", "log", "ana", "-o", "vm", *AT))
    fixed = ok(cli("call", "edit", "1", "-o", "ni", *AT)).stdout
    assert " ".join(fixed.split()).startswith(
        "Corregida la llamada #1 con Ana Ruiz el lun 23 nov 10:00: no le interesa"
    )
    undone = ok(cli("call", "undo", "--yes", *AT)).stdout
    assert "Deshecha la llamada #1 con Ana Ruiz el lun 23 nov 10:00: no le interesa" in " ".join(
        undone.split()
    )


def test_numbers_are_written_the_spanish_way(cli: Cli, spanish: None) -> None:
    from warmcall.render import i18n

    ok(cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", "--timezone", "Europe/Madrid",
           "--temperature", "hot", *AT))  # fmt: skip
    shown = ok(cli("next", "--explain", *AT)).stdout
    assert "+6,0" in shown and "+6.0" not in shown  # the hot lead's points
    with i18n.speaking("es"):
        assert (i18n.number(12345), i18n.number(19.4, ".1f")) == ("12.345", "19,4")
    with i18n.speaking("en"):
        assert (i18n.number(12345), i18n.number(19.4, ".1f")) == ("12,345", "19.4")


def test_a_leads_stage_is_a_spanish_word(cli: Cli, spanish: None) -> None:
    ok(cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", "--stage", "customer", *AT))
    ok(cli("lead", "add", "Eva Gil", "--phone", "612 345 679", "--stage", "prospect", *AT))
    ok(cli("lead", "add", "Luis Paz", "--phone", "612 345 670", "--stage", "sql", *AT))
    shown = {
        n: " ".join(ok(cli("lead", "show", n, *AT)).stdout.split()) for n in ("ana", "eva", "luis")
    }
    assert "etapa cliente" in shown["ana"] and "etapa cliente potencial" in shown["eva"]
    assert "etapa SQL" in shown["luis"]  # an acronym stays one
    listed = ok(cli("lead", "list")).stdout
    assert "customer" not in listed and "prospect" not in listed


def test_the_help_of_go_says_q_leaves(cli: Cli, spanish: None) -> None:
    said = " ".join(ok(cli("next", "--help")).stdout.split())
    assert "(q para salir)" in said  # "(q para)" read as "q for"


def test_a_value_outside_its_vocabulary_is_a_spanish_sentence(cli: Cli, spanish: None) -> None:
    ok(cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", *AT))
    maybe = cli("lead", "consent", "ana", "quizá", "--channel", "teléfono", *AT)
    assert maybe.exit_code == 2
    assert maybe.stderr.strip().endswith(
        "El valor de consent debe ser uno de opt-in, customer, form, b2b, none, revoked, "
        "no 'quizá'."
    )  # not "consent debe ser uno de…", a sentence with an English subject
