"""Click's own usage errors (an unknown option, a missing argument, a value outside its
choices) in the user's language.

Click writes these in English inside the library, as finished sentences. The shapes it uses
are few and stable, so each is matched here and worded again through the catalogue; a
sentence no shape matches is shown as Click wrote it. The exit code stays 2 (SPEC §6).
"""

from __future__ import annotations

import re
from typing import Any

from warmcall.render.i18n import N_, _

_INVALID = r"Invalid value for (?P<name>'.+?'|.+?): (?P<value>.+) "
# (Click's sentence, our template with the same named parts), most specific first.
# Typer's own sentences ("No such command", "Missing command.") come already worded: TYPER_WORDS.
SHAPES = [
    (re.compile(r"No such option: (?P<option>\S+) \(Possible options: (?P<like>.+)\)$"),
     N_("There is no option {option} (did you mean {like}?).")),
    (re.compile(r"No such option: (?P<option>\S+)$"), N_("There is no option {option}.")),
    (re.compile(r"Missing argument '(?P<name>.+)'\.$"),
     N_("{name} is missing: name it after the command.")),
    (re.compile(r"Missing option '(?P<name>.+)'\.$"), N_("The option {name} is missing.")),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<extra>.+)\)$"),
     N_("Too many values: {extra} is more than the command takes.")),
    (re.compile(r"Option '(?P<option>.+)' requires an argument\.$"),
     N_("The option {option} needs a value.")),
    (re.compile(r"Option '(?P<option>.+)' does not take a value\.$"),
     N_("The option {option} takes no value.")),
    (re.compile(_INVALID + r"is not one of (?P<choices>.+)\.$"),
     N_("{name} cannot be {value}: choose one of {choices}.")),
    (re.compile(_INVALID + r"is not a valid (?:integer|int range)\.$"),
     N_("{name} needs a whole number, not {value}.")),
    (re.compile(_INVALID + r"is not a valid (?:float|float range)\.$"),
     N_("{name} needs a number, not {value}.")),
    (re.compile(_INVALID + r"is not in the range (?P<range>.+)\.$"),
     N_("{name} cannot be {value}: it must be {range}.")),
]  # fmt: skip


# The words Typer passes through ``gettext`` (``cli.speech.speak`` routes them to the catalogue).
TYPER_WORDS = (
    N_("Arguments"), N_("Options"), N_("Commands"), N_("default: {default}"), N_("required"),
    N_("env var: {var}"), N_("(dynamic)"), N_("Aborted!"), N_("Missing command."),
    N_("No such command {name!r}."),
)  # fmt: skip


def sentence(message: str) -> str:
    """Click's error sentence in the current language."""
    for shape, template in SHAPES:
        if found := shape.match(message):
            return _(template).format(**found.groupdict())
    return message


def show(error: Any) -> str:
    """What Click's ``UsageError.show`` prints, in the current language: the usage line, where
    to find help, then the sentence."""
    lines = []
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        lines.append(ctx.get_usage())  # "Usage:" worded by cli.speech.speak's formatter
        if ctx.command.get_help_option(ctx) is not None:
            command = f"{ctx.command_path} {ctx.help_option_names[0]}"
            lines.append(_("Try {command} for help.").format(command=repr(command)))
        lines.append("")
    lines.append(_("Error: {sentence}").format(sentence=sentence(error.format_message())))
    return "\n".join(lines)
