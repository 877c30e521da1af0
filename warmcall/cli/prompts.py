"""Questions asked on a terminal (the only module that uses questionary)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from questionary import Question

# Inside ``interrupts()``: Ctrl-C or Ctrl-D raise KeyboardInterrupt instead of answering None.
_INTERRUPTS: ContextVar[bool] = ContextVar("interrupts", default=False)
Check = Callable[[str], bool | str]  # True, or the sentence that says what is wrong
# A choice: its text, or ``(title, value)`` when what is shown (in the user's language)
# differs from what is answered.
Choice = str | tuple[str, str]


def _choices(choices: Sequence[Choice]) -> list[Any]:
    import questionary

    return [questionary.Choice(c[0], value=c[1]) if isinstance(c, tuple) else c for c in choices]


@contextmanager
def interrupts() -> Iterator[None]:
    """Let Ctrl-C (and Ctrl-D) on any question raise KeyboardInterrupt.

    Outside, a cancelled question answers None like an empty one; a calling session must
    tell "stop" from "nothing to add", so it asks inside this.
    """
    token = _INTERRUPTS.set(True)
    try:
        yield
    finally:
        _INTERRUPTS.reset(token)


def _safe(question: str) -> str:
    """A question may quote a lead's name: neutralised as every view neutralises data."""
    from warmcall.render import visible

    return visible(question)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or Ctrl-D on a text question inside ``interrupts()``, with what had been typed
    on its line: the caller keeps it (a draft), nothing typed is lost."""

    def __init__(self, typed: str = "") -> None:
        super().__init__()
        self.typed = typed


def _keeping_typed() -> Any:
    """Key bindings that stop a text question with what its line holds (Interrupted)."""
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys

    bindings = KeyBindings()

    @bindings.add(Keys.ControlC, eager=True)
    @bindings.add(Keys.ControlD, eager=True)
    def _stop(event: Any) -> None:
        typed = event.app.current_buffer.text
        event.app.exit(exception=Interrupted(typed), style="class:aborting")

    return bindings


def _ask(question: Question) -> Any:
    if not _INTERRUPTS.get():
        return question.ask()
    try:
        return question.unsafe_ask()
    except EOFError:  # Ctrl-D on an empty line
        raise KeyboardInterrupt from None


def text(question: str, default: str = "", validate: Check | None = None) -> str | None:
    """A line of text; ``validate`` keeps asking, with its sentence, until it says True.

    The sentence is printed above the question again, wrapped to the terminal: a validation
    toolbar would cut a long one at the terminal's edge.
    """
    import questionary

    extra = {"key_bindings": _keeping_typed()} if _INTERRUPTS.get() else {}
    while True:
        answer = _ask(questionary.text(_safe(question), default=default, **extra))
        if answer is None:
            return None
        verdict = validate(answer.strip()) if validate else True
        if verdict is True:
            return answer.strip() or None
        from warmcall.render import console, escape

        console(stderr=True).print(f"[dark_orange]{escape(str(verdict))}[/]")
        default = answer


def select(question: str, choices: Sequence[Choice], default: str | None = None) -> str | None:
    import questionary

    return _ask(questionary.select(_safe(question), choices=_choices(choices), default=default))


def keyed_select(
    question: str, choices: Sequence[tuple[str, str, str]], instruction: str | None = None
) -> str | None:
    """Pick one of ``(key, title, value)`` choices with a single key press (arrows and Enter
    work too); the value is answered. Ctrl-D stops like Ctrl-C."""
    import questionary
    from prompt_toolkit.keys import Keys

    asked = questionary.select(
        _safe(question),
        choices=[
            questionary.Choice(title, value=value, shortcut_key=key)
            for key, title, value in choices
        ],
        use_shortcuts=True,
        instruction=instruction,
    )
    bindings = asked.application.key_bindings
    enter = _handler(bindings, Keys.ControlM)
    for key, _, _ in choices:
        # questionary's shortcut only points at the choice; answer it at once as Enter would.
        bindings.add(key, eager=True)(_answering(_handler(bindings, key), enter))

    @bindings.add(Keys.ControlD, eager=True)
    def _stop(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    return _ask(asked)


def _answering(point: Callable[[Any], Any], enter: Callable[[Any], Any]) -> Callable[[Any], None]:
    def answer(event: Any) -> None:
        point(event)
        enter(event)

    return answer


def _handler(bindings: Any, key: str) -> Callable[[Any], Any]:
    """The handler questionary bound to exactly ``key`` (the latest, as prompt_toolkit runs)."""
    return next(b.handler for b in reversed(bindings.bindings) if b.keys == (key,))


def checkbox(question: str, choices: Sequence[Choice]) -> list[str]:
    import questionary

    return _ask(questionary.checkbox(_safe(question), choices=_choices(choices))) or []


def confirm(question: str, default: bool = False) -> bool:
    """Yes or no, in the user's language: ``(s/N)`` and ``Sí`` in Spanish, where ``s``
    answers yes (``y`` still does); Enter takes the default. Drawn as questionary draws its
    own confirm, whose words and keys are English only."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys
    from questionary import Question
    from questionary.constants import DEFAULT_QUESTION_PREFIX
    from questionary.styles import merge_styles_default

    from warmcall.render.i18n import _

    said: dict[str, bool | None] = {"answer": None}
    hint = _("(Y/n)") if default else _("(y/N)")
    yes_word = _("Yes")

    def tokens() -> list[tuple[str, str]]:
        shown = [
            ("class:qmark", DEFAULT_QUESTION_PREFIX),
            ("class:question", f" {_safe(question)} "),
        ]
        if said["answer"] is None:
            return [*shown, ("class:instruction", f"{hint} ")]
        return [*shown, ("class:answer", yes_word if said["answer"] else _("No"))]

    bindings = KeyBindings()

    def answer(value: bool) -> Callable[[Any], None]:
        def done(event: Any) -> None:
            said["answer"] = value
            event.app.exit(result=value)

        return done

    for key in {"y", yes_word[0].lower()}:
        bindings.add(key)(answer(True))
        bindings.add(key.upper())(answer(True))
    bindings.add("n")(answer(False))
    bindings.add("N")(answer(False))
    bindings.add(Keys.ControlM, eager=True)(lambda event: answer(default)(event))

    @bindings.add(Keys.ControlC, eager=True)
    @bindings.add(Keys.ControlQ, eager=True)
    def _stop(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    @bindings.add(Keys.Any)
    def _other(event: Any) -> None:
        """Nothing else is typed."""

    session = PromptSession(tokens, key_bindings=bindings, style=merge_styles_default([None]))
    return bool(_ask(Question(session.app)))


def autocomplete(question: str, choices: Sequence[str]) -> str | None:
    import questionary

    answer = _ask(questionary.autocomplete(_safe(question), choices=list(choices)))
    return answer.strip() if answer else None
