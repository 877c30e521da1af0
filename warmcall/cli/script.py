"""``warmcall script LEAD``: the guide for the next call with a lead, or its follow-up e-mail."""

from typing import Annotated

import typer

from warmcall.cli.options import (
    AtOption,
    DbOption,
    JsonOption,
    LeadArg,
    config,
    now,
    open_store,
    resolve_lead,
)

SITUATIONS = "first-contact, follow-up, after-demo, after-offer, reactivation, unpaid-invoice"


def script(
    lead: LeadArg,
    at: AtOption = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="en or es (default: the configured language).", show_default=False
        ),
    ] = None,
    situation: Annotated[
        str | None,
        typer.Option(help=f"Force the situation: {SITUATIONS} (default: read from the history)."),
    ] = None,
    email: Annotated[
        bool, typer.Option("--email", help="Print the confirmation e-mail to send after the call.")
    ] = False,
    call: Annotated[
        int | None,
        typer.Option(
            "--call",
            help="The e-mail recaps this call (default: the latest conversation).",
            show_default=False,
        ),
    ] = None,
    segment: Annotated[
        str | None,
        typer.Option(
            help="business, consumer or sole-trader: the wording "
            "(default: business when the lead has a company).",
            show_default=False,
        ),
    ] = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """What to say on the next call: open on the earlier contact, find where they are,
    unblock their objection, close on two concrete times, then log it.

    \b
    Examples:
      warmcall script ana
      warmcall script ana --lang es --email
      warmcall script 12 --segment consumer
    """
    from warmcall import calls, scripts
    from warmcall.compliance.listings import listed
    from warmcall.errors import UsageError
    from warmcall.pickup.record import question
    from warmcall.render import print_json
    from warmcall.render import script as render
    from warmcall.scripts.slots import agreed_calls

    conf = config()  # a bad `language` in the file is the file's error, named there
    language = (lang or conf.language or "en").lower()[:2]
    if lang is not None and language not in scripts.LANGUAGES:
        raise UsageError("--lang {lang!r}: scripts come in en or es.", lang=lang)
    if situation is not None and situation not in set(scripts.Situation):
        raise UsageError(
            "--situation {situation!r}: choose one of {choices}.",
            situation=situation,
            choices=SITUATIONS,
        )
    if segment is not None and segment not in scripts.SEGMENTS:
        raise UsageError(
            "--segment {segment!r}: choose one of {choices}.",
            segment=segment,
            choices=", ".join(scripts.SEGMENTS),
        )
    moment = now(at, conf)
    with open_store(db, writes=False) as store:
        found = resolve_lead(store, lead, conf)
        history, followups = calls.history(store, found.id)  # type: ignore[arg-type]
        others = agreed_calls(store, found.id, moment)
        on_lists = listed(store, [found.phone_e164]).get(found.phone_e164 or "", ())
        ask = question(store, found, conf)
    built = scripts.build_script(
        found,
        history,
        followups,
        moment,
        conf,
        language,
        situation,
        with_email=email,
        others=others,
        email_call=call,
        strict_email=email,
        segment=segment,
        listed=on_lists,
        ask=ask,
    )
    if json:
        print_json(render.as_json(built, conf.zone, with_email=email))
    elif email:
        render.email(built)
    else:
        render.script(built)
