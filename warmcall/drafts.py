"""Calls typed but not logged: kept as drafts until they are, so nothing typed is lost.

A calling session (``next --go``) stopped in the middle of a call, or a store that refused the
write, leaves what was answered as a draft: one per lead and store, in a file of the user data
folder that only the user can read (0600, in a folder warmcall creates 0700), named by a hash
of the store (no path or password in it). The next ``--go`` or ``call log`` for that lead offers
it, and logging it discards it; ``log_command`` is the ``warmcall call log`` line that records it
from a shell. This module knows no terminal: the CLI asks and says.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from warmcall.calls import CallEntry
from warmcall.models import Channel, Objection, Outcome, Temperature

FOLDER = "drafts"


@dataclass
class Draft:
    """A call's answers as far as they went, for a lead of a store."""

    lead_id: int
    entry: CallEntry
    saved_at: datetime
    complete: bool  # every question was answered (the write itself failed)


def store_key(target: str) -> str:
    """A store's name for its drafts file: a hash of its absolute path or URL."""
    if "://" not in target:
        target = str(Path(target).expanduser().resolve())
    return hashlib.sha256(target.encode()).hexdigest()[:24]


def _path(folder: Path, store: str) -> Path:
    return folder / FOLDER / f"{store}.json"


def _read(folder: Path, store: str) -> dict[str, Any]:
    try:
        data = json.loads(_path(folder, store).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(folder: Path, store: str, drafts: dict[str, Any]) -> None:
    from warmcall.files import write_bytes

    path = _path(folder, store)
    if not drafts:
        path.unlink(missing_ok=True)
        return
    write_bytes(path, json.dumps(drafts, ensure_ascii=False, indent=1).encode())


def save(folder: Path, store: str, draft: Draft) -> None:
    """Keep ``draft`` (replacing the lead's earlier one). OSError as the file system says."""
    drafts = _read(folder, store)
    drafts[str(draft.lead_id)] = {
        "entry": _entry_json(draft.entry),
        "saved_at": draft.saved_at.isoformat(),
        "complete": draft.complete,
    }
    _write(folder, store, drafts)


def find(folder: Path, store: str, lead_id: int) -> Draft | None:
    """The lead's draft, if one is kept and still readable."""
    data = _read(folder, store).get(str(lead_id))
    try:
        return Draft(
            lead_id=lead_id,
            entry=_entry_from(data["entry"]),  # type: ignore[index]
            saved_at=datetime.fromisoformat(data["saved_at"]),  # type: ignore[index]
            complete=bool(data.get("complete")),  # type: ignore[union-attr]
        )
    except (TypeError, KeyError, ValueError):
        return None


def discard(folder: Path, store: str, lead_id: int) -> None:
    drafts = _read(folder, store)
    if drafts.pop(str(lead_id), None) is not None:
        _write(folder, store, drafts)


def logged_as(folder: Path, store: str, lead_id: int, entry: CallEntry) -> None:
    """A call was logged for the lead: its draft goes when the call is the draft's (the same
    outcome at the same minute, as ``log_command`` records it)."""
    draft = find(folder, store, lead_id)
    if draft is None:
        return
    same = draft.entry.outcome == entry.outcome and _minute(draft.entry.at) == _minute(entry.at)
    if same:
        discard(folder, store, lead_id)


def _minute(at: datetime) -> int:
    return int(at.timestamp()) // 60


def _entry_json(entry: CallEntry) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in fields(CallEntry):
        value = getattr(entry, f.name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, list):
            value = [str(v) for v in value]
        elif isinstance(value, (Outcome, Channel, Temperature)):
            value = str(value)
        data[f.name] = value
    return data


def _entry_from(data: dict[str, Any]) -> CallEntry:
    next_at = data.get("next_at")
    return CallEntry(
        outcome=Outcome(data["outcome"]),
        at=datetime.fromisoformat(data["at"]),
        channel=Channel(data.get("channel") or Channel.PHONE),
        duration=data.get("duration"),
        notes=data.get("notes"),
        objections=[Objection(o) for o in data.get("objections") or []],
        temperature=Temperature(data["temperature"]) if data.get("temperature") else None,
        next_at=datetime.fromisoformat(next_at) if next_at else None,
        next_has_time=bool(data.get("next_has_time", True)),
        next_action=data.get("next_action"),
        next_goal=data.get("next_goal"),
        lost=bool(data.get("lost")),
        sent=data.get("sent"),
        shown=data.get("shown"),
        recap=data.get("recap"),
        timeline=data.get("timeline"),
    )


def _moment(at: datetime, zone: ZoneInfo, has_time: bool = True) -> str:
    """A moment as ``call log`` reads it back exactly: your time with its offset."""
    local = at.astimezone(zone)
    if not has_time:
        return f"{local:%Y-%m-%d}"
    clock = "%H:%M:%S" if local.second else "%H:%M"
    offset = local.strftime("%z")
    return local.strftime(f"%Y-%m-%d {clock} ") + f"{offset[:3]}:{offset[3:]}"


def log_command(lead_id: int, entry: CallEntry, zone: ZoneInfo, db: str | None) -> list[str]:
    """The ``warmcall call log`` arguments that record ``entry`` for the lead, as typed."""
    args = ["warmcall", "call", "log", str(lead_id), "-o", str(entry.outcome)]
    args += ["--at", _moment(entry.at, zone)]
    if entry.channel != Channel.PHONE:
        args += ["--channel", str(entry.channel)]
    if entry.duration is not None:
        args += ["--duration", f"{entry.duration}s"]
    if entry.notes:
        args += ["--notes", entry.notes]
    for objection in entry.objections:
        args += ["--objection", str(objection)]
    if entry.temperature is not None:
        args += ["--temperature", str(entry.temperature)]
    if entry.next_at is not None:
        args += ["--next", _moment(entry.next_at, zone, entry.next_has_time)]
    for option, value in (
        ("--next-action", entry.next_action),
        ("--next-goal", entry.next_goal),
        ("--sent", entry.sent),
        ("--shown", entry.shown),
        ("--recap", entry.recap),
        ("--timeline", entry.timeline),
    ):
        if value:
            args += [option, value]
    if entry.lost:
        args.append("--lost")
    if db:
        from warmcall.store.db import safe_url

        args += ["--db", safe_url(db, drop_secrets=True)]
    return args
