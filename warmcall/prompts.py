"""Questions asked on a terminal (the only module that uses questionary)."""

from __future__ import annotations

from collections.abc import Sequence


def text(question: str, default: str = "") -> str | None:
    import questionary

    answer = questionary.text(question, default=default).ask()
    return answer.strip() if answer else None


def select(question: str, choices: Sequence[str], default: str | None = None) -> str | None:
    import questionary

    return questionary.select(question, choices=list(choices), default=default).ask()


def checkbox(question: str, choices: Sequence[str]) -> list[str]:
    import questionary

    return questionary.checkbox(question, choices=list(choices)).ask() or []


def confirm(question: str, default: bool = False) -> bool:
    import questionary

    return bool(questionary.confirm(question, default=default).ask())


def autocomplete(question: str, choices: Sequence[str]) -> str | None:
    import questionary

    answer = questionary.autocomplete(question, choices=list(choices)).ask()
    return answer.strip() if answer else None
