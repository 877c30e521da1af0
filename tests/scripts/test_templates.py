"""The house of the scripts: tracks per objection, no waiting phrases, the words in template
folders (labels.toml included) that a user can override, in a sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import NOW
from tests.scripts.make import at, call, followup, lead, section, text
from warmcall.errors import ConfigError, Refused
from warmcall.models import Objection, Status
from warmcall.scripts import Situation, build_script, earlier_contact

# Phrases that leave the caller waiting on the other person; none of our words may use them.
WAITING = (
    "i wanted to follow up", "just following up", "following up on", "did you get my email",
    "did you get my e-mail", "did you receive my", "we'll be in touch", "we will be in touch",
    "just checking in", "touching base", "quería hacer un seguimiento", "¿recibió mi correo?",
    "recibió mi correo", "ha recibido mi correo", "ya le diremos", "nos pondremos en contacto",
    "me gustaría volver a llamarle",
)  # fmt: skip
TEMPLATES = Path(__file__).resolve().parents[2] / "warmcall" / "scripts" / "templates"


@pytest.mark.parametrize(
    ("objection", "lang", "header", "step"),
    [
        ("price", "en", "Price · raised Thu 12 Nov", "which part they need first"),
        ("price", "es", "Precio · surgió el jue 12 nov", "qué parte necesita primero"),
        ("timing", "en", "Timing · raised Thu 12 Nov", "fix the day you pick it up again"),
        ("timing", "es", "Plazos · surgió el jue 12 nov", "fije el día en que lo retoman"),
        ("authority", "en", "Someone else decides · raised", "what that person needs to see"),
        ("authority", "es", "Decide otra persona · surgió", "qué necesita ver esa persona"),
        ("need", "en", "Need · raised Thu 12 Nov", "Restate the value around that one problem"),
        ("need", "es", "Necesidad · surgió el jue 12 nov", "Reformule el valor"),
        ("competitor", "en", "Competitor · raised Thu 12 Nov", "Compare on the two or three"),
        ("competitor", "es", "Competencia · surgió el jue 12 nov", "Compare en los dos o tres"),
        ("other", "en", "Other · raised Thu 12 Nov", "Ask plainly what is in the way"),
        ("other", "es", "Otra · surgió el jue 12 nov", "qué lo está frenando"),
    ],
)
def test_each_objection_seen_gets_its_track(objection, lang, header, step, config):
    calls = [call(at(12, 10), notes="Talked", objections=(Objection(objection),))]
    script = build_script(lead(), calls, [], NOW, config, lang)
    unblock = section(script, "Unblock" if lang == "en" else "Desbloquear")
    assert unblock[0].startswith(header)
    assert any(step in line for line in unblock[1:4])


def test_seen_objections_come_first_and_likely_ones_fill_up(config):
    calls = [
        call(at(20, 10), objections=(Objection.COMPETITOR,), call_id=2),
        call(at(12, 10), objections=(Objection.PRICE, Objection.TIMING), call_id=1),
    ]
    heads = [
        x for x in section(build_script(lead(), calls, [], NOW, config), "Unblock") if "·" in x
    ]
    assert heads == [
        "Competitor · raised Fri 20 Nov",
        "Price · raised Thu 12 Nov",
        "Timing · raised Thu 12 Nov",
    ]
    demo = build_script(lead(), [call(at(12, 10), shown="demo")], [], NOW, config)
    assert [x for x in section(demo, "Unblock") if "·" in x] == []  # questions, no tracks


@pytest.mark.parametrize(
    ("context", "source", "kind", "detail"),
    [
        ("recomendado por Luis Martínez, de Innova", None, "referral", "Luis Martínez"),
        ("Nos conocimos en la feria Hostelco", None, "event", "la feria Hostelco"),
        (None, "Trade show ABC 2026", "event", "Trade show ABC 2026"),
        (None, "web form 2026-03", "form", "web form 2026-03"),
        ("Old colleague of Pedro", None, "other", None),
        (None, None, "none", None),
    ],
)
def test_earlier_contact_is_quoted_from_context_and_source(context, source, kind, detail):
    found = earlier_contact(lead(context=context, source=source))
    assert found.kind == kind
    assert (found.who or found.what) == detail


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("situation", [str(s) for s in Situation])
@pytest.mark.parametrize("history", ["none", "objections"])
def test_no_phrase_puts_the_caller_in_a_waiting_position(lang, situation, history, config):
    calls = []
    if history == "objections":
        calls = [call(at(12, 10), notes="Talked", objections=tuple(Objection), call_id=1)]
    followups = [followup(at(25, 10), call_id=1)] if calls else []
    for moment in (NOW, at(12, 18)):  # before the call, and just after it
        script = build_script(lead(), calls, followups, moment, config, lang, situation)
        everything = (text(script) + "\n" + (script.email or "")).casefold()
        for phrase in WAITING:
            assert phrase not in everything, (phrase, situation, lang)


def test_the_shipped_templates_hold_no_waiting_phrase_and_no_label_in_python():
    files = list(TEMPLATES.glob("*/*.j2"))
    assert {f.parent.name for f in files} == {"en", "es"}
    assert {p.parent.name for p in TEMPLATES.glob("*/labels.toml")} == {"en", "es"}
    for path in files:
        body = path.read_text(encoding="utf-8").casefold()
        spoken = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("{#"))
        for phrase in WAITING:
            assert phrase not in spoken.replace('"', ""), (phrase, path.name)
    code = "\n".join(p.read_text() for p in TEMPLATES.parent.glob("*.py"))
    assert "LABELS" not in code and "pidió que le llamáramos" not in code


def test_both_label_files_name_the_same_things():
    import tomllib

    en, es = (
        tomllib.loads((TEMPLATES / lang / "labels.toml").read_text()) for lang in ("en", "es")
    )
    for table in ("outcome", "objection", "channel", "stage", "temperature", "situation", "sent"):
        assert set(en[table]) == set(es[table]), table


def test_a_users_labels_file_changes_one_word(tmp_path, config):
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "labels.toml").write_text('[situation]\nafter-offer = "tras la oferta"\n')
    calls = [call(at(12, 10), sent="offer")]
    script = build_script(lead(), calls, [], NOW, config, "es", templates=tmp_path)
    assert script.title.endswith("— tras la oferta")
    assert "Objeciones" in text(script) or "Desbloquear" in [s.title for s in script.sections]


def test_a_user_template_overrides_the_shipped_one(tmp_path, config):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "open.j2").write_text(
        "## Open\n> Buenas, {{ first_name }}: {{ lead.company }} here, on {{ now|date }}.\n"
    )
    script = build_script(lead(), [], [], NOW, config, templates=tmp_path)
    assert section(script, "Open") == ["> Buenas, Ana: Innova here, on 25 November."]
    assert section(script, "Close")  # the other templates still come from the package
    spanish = build_script(lead(), [], [], NOW, config, "es", templates=tmp_path)
    assert "Buenas" not in text(spanish)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("## Open\n{% if %}\n", "open.j2, line 2"),
        ("## Open\n{{ nothing_like_this }}\n", "open.j2, line 2: 'nothing_like_this' is undefined"),
        ("## Open\n{{ lead.__class__.__mro__ }}\n", "is refused|unsafe|undefined"),
        ("## Open\n{{ ''.__class__.__subclasses__() }}\n", "is refused|unsafe|undefined"),
    ],
)
def test_a_broken_or_unsafe_user_template_is_one_clear_error(tmp_path, config, body, message):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "open.j2").write_text(body)
    with pytest.raises(ConfigError, match=message):
        build_script(lead(), [], [], NOW, config, templates=tmp_path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("## Open\n\n{{ 1/0 }}\n", "open.j2, line 3 fails: ZeroDivisionError"),
        ('## Open\n{% extends "open.j2" %}\n', "open.j2, line 2 extends, includes or calls itself"),
        ('## Open\n{% include "open.j2" %}\n', "open.j2, line 2 extends, includes or calls itself"),
        ("## Open\n{{ first_name|no_such_filter }}\n", "open.j2, line 2: No filter named"),
        ("## Open\n{% for %}\n", "open.j2, line 2: "),
        ('## Open\n{{ "a" * 99999999 }}\n', "open.j2, line 2 asks for a value too large"),
        ("## Open\n{{ 9 ** 9 ** 9 }}\n", "open.j2, line 2 asks for a value too large"),
        ('## Open\n{{ "x".ljust(10**9) }}\n', "open.j2, line 2 asks for a value too large"),
        ('## Open\n{{ "x"|center(10**9) }}\n', "open.j2, line 2 asks for a value too large"),
        ('## Open\n{{ "%999999999s" % 1 }}\n', "open.j2, line 2 asks for a value too large"),
        ('## Open\n{{ "{:>999999999}".format(1) }}\n', "open.j2, line 2 asks for a value"),
        (
            "## Open\n{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}"
            "{% endfor %}\n",
            "open.j2, line 2 writes more than 5000000 characters",
        ),
    ],
)
def test_a_failing_or_greedy_user_template_is_one_sentence_naming_file_and_line(
    tmp_path, config, body, message, monkeypatch
):
    """What the template's own code does wrong, or a value or output no script needs, is
    refused quickly, before the work is done (``"a" * 99999999`` took 2 minutes and 1.1 GB)."""
    from warmcall.scripts import sandbox

    monkeypatch.setattr(sandbox, "MAX_SECONDS", 120.0)  # on a busy machine: the size speaks
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "open.j2").write_text(body)
    with pytest.raises(ConfigError, match=message) as caught:
        build_script(lead(), [], [], NOW, config, templates=tmp_path)
    assert str(tmp_path / "en" / "open.j2") in str(caught.value)
    assert ".." not in str(caught.value)


def test_a_user_template_that_loops_too_long_is_stopped(tmp_path, config, monkeypatch):
    from warmcall.scripts import sandbox

    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.5)
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "open.j2").write_text(
        "## Open\n{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n"
    )
    with pytest.raises(ConfigError, match="open.j2, line 2 ran for more than 0.5 seconds"):
        build_script(lead(), [], [], NOW, config, templates=tmp_path)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="the memory bound is Linux's")
@pytest.mark.parametrize(
    "expression",
    [
        '("x" * 1000000).replace("x", "y" * 1000)',  # one call, a gigabyte
        '(["x" * 1000] * 1000000)|join',
        '("{0}" * 300000).format("y" * 100000)',
    ],
)
def test_one_operation_that_would_take_gigabytes_fails_at_once(tmp_path, config, expression):
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "open.j2").write_text(f"## Open\n{{{{ {expression} }}}}\n")
    with pytest.raises(ConfigError, match="open.j2, line 2 needs more memory than a script"):
        build_script(lead(), [], [], NOW, config, templates=tmp_path)
    assert resource.getrlimit(resource.RLIMIT_AS) == before  # the process gets its own back


def test_the_bounds_leave_a_user_template_its_ordinary_work(tmp_path, config):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "open.j2").write_text(
        '## Open\n> {{ "-" * 10 }} {{ "%-6s|" % first_name }} {{ (2 ** 10) * 3 }}'
        " {{ range(3)|join(',') }} {{ first_name|center(9) }}"
        ' {{ "order 12345678: %s" % 7 }} {{ "{} 2026123456 {:>4}".format(1, 2) }}.\n'
    )
    script = build_script(lead(), [], [], NOW, config, templates=tmp_path)
    assert section(script, "Open") == [
        "> ---------- Ana   | 3072 0,1,2    Ana    order 12345678: 7 1 2026123456    2."
    ]


def test_a_do_not_call_lead_is_refused_with_the_date_of_the_objection(config):
    dnc = lead(status=Status.DNC, dnc_at=at(20, 11), dnc_reason="asked by phone")
    with pytest.raises(Refused, match="objected to calls on 20 Nov 2026 \\(asked by phone\\)"):
        build_script(dnc, [], [], NOW, config)
