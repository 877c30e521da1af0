"""Where the script templates run: Jinja's sandbox, with the work a template may ask bounded.

A template is a file anyone could hand the user, so it gets the data it is given and no more:
no attribute tricks reach Python's internals (Jinja's sandbox), and no expression makes
warmcall build a gigabyte or loop for minutes. ``{{ "a" * 99999999 }}``, ``{{ 9 ** 9 ** 9 }}``,
``"x".ljust(10**9)``, a filter asked for a huge width: each is refused before the work is
done; a loop that writes too much stops at ``MAX_OUTPUT`` characters, and one that runs too
long at ``MAX_SECONDS``. Whatever goes wrong in a template (a division by zero, a template that
extends or includes itself, an unknown filter, a syntax error) is one ConfigError that names
the template file and its line.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from inspect import isgenerator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from warmcall.errors import ConfigError

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.runtime import Context

# The longest text or list one expression may make, and the most a template may write: the
# shipped templates write a few thousand characters, and a lead's longest field fits.
MAX_TEXT = 1_000_000
MAX_OUTPUT = 5_000_000
# The longest a template may run (checked where a clock signal can interrupt it: the main
# thread of a Unix process; the size bounds hold everywhere).
MAX_SECONDS = 5.0
# The memory a template may take beyond what warmcall holds when it starts (Linux).
MAX_MEMORY = 512 * 2**20
# The largest whole number an expression may make, in bits (2**256 is plenty for a script).
MAX_BITS = 256
# The widths and precisions of a ``%`` pattern (``%99999999s``, ``%.9999999f``) and of a
# ``format`` one (``{:>99999999}``): the numbers in them, not the text around.
_PERCENT = re.compile(r"%[-#0 +]*(\d*)(?:\.(\d*))?")
_BRACES = re.compile(r"\{[^{}:]*:([^{}]*)\}")


class TooMuch(Exception):
    """A template asked for more work than a script needs (see the module's bounds)."""

    def __init__(self, what: str, where: tuple[str, int] | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.where = where  # the template and line, where no traceback says it


def _sized(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple) else 0


def _check_size(value: Any) -> Any:
    if _sized(value) > MAX_TEXT or (
        isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS
    ):
        raise TooMuch("size")
    return value


def _check_pattern(pattern: Any, braces: bool = False) -> None:
    """A ``%`` pattern (or, with ``braces``, a ``str.format`` one) whose widths and
    precisions stay within ``MAX_TEXT``: ``"Order 1234567: %s"`` is fine."""
    if not isinstance(pattern, str):
        return
    if braces:
        numbers = [n for spec in _BRACES.findall(pattern) for n in re.findall(r"\d+", spec)]
    else:
        numbers = [n for found in _PERCENT.findall(pattern) for n in found if n]
    if any(int(n) > MAX_TEXT for n in numbers):
        raise TooMuch("width")


def _check_numbers(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """No whole-number argument (a width, a count) beyond ``MAX_TEXT``."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
            raise TooMuch("argument")


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, refusing the operations that would make huge values."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)  # lipsum(10**9): filler text, of no use to a script

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            count = right if _sized(left) else left
            length = _sized(left) or _sized(right)
            if length and isinstance(count, int) and length * count > MAX_TEXT:
                raise TooMuch("size")
            if _whole(left) and _whole(right) and _bits(left) + _bits(right) > MAX_BITS:
                raise TooMuch("size")
        elif operator == "**":
            if _whole(left) and _whole(right) and _bits(left) * abs(right) > MAX_BITS:
                raise TooMuch("size")
        elif operator == "%":
            _check_pattern(left)
        elif operator == "+" and _sized(left) + _sized(right) > MAX_TEXT:
            raise TooMuch("size")
        return _check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        if isinstance(getattr(method, "__self__", None), str):  # "x".ljust(10**9), .format
            _check_numbers(args, kwargs)
            if getattr(method, "__name__", "") in ("format", "format_map"):
                _check_pattern(method.__self__, braces=True)
        return _check_size(SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs))

    def bound_filters(self) -> None:
        """Every filter checks its arguments and its result (``center(10**9)``), once."""
        for name, fn in list(self.filters.items()):
            if not getattr(fn, "_bounded", False):
                self.filters[name] = _bounded(fn, name)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bits(value: int) -> int:
    return abs(value).bit_length()


def _bounded(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    @functools.wraps(fn)  # keeps Jinja's pass_context marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_numbers(args[1:], kwargs)  # the value filtered comes first (or second)
        if name == "format" and args:
            _check_pattern(args[0])
        return _check_size(fn(*args, **kwargs))

    bounded._bounded = True  # type: ignore[attr-defined]
    return bounded


def environment(lang: str, user_dir: Path) -> BoundedSandbox:
    """Jinja2 with the user's templates first, then the package's; undefined names fail."""
    return BoundedSandbox(
        loader=ChoiceLoader(
            [
                FileSystemLoader(str(user_dir / lang)),
                PackageLoader("warmcall.scripts", f"templates/{lang}"),
            ]
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )


def render(env: Environment, name: str, context: dict[str, Any]) -> str:
    """A template's text, within the bounds; a broken or greedy template (ours or the
    user's) is one ConfigError naming its file and line."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    if isinstance(env, BoundedSandbox):
        env.bound_filters()
    try:
        template = env.get_template(name)
        parts: list[str] = []
        written = 0
        with _time_limit(), _memory_limit():
            stream = template.generate(**context)
            for part in stream:
                written += len(part)
                if written > MAX_OUTPUT:
                    raise TooMuch("output", _writing(stream))
                parts.append(part)
        return "".join(parts)
    except TemplateNotFound as exc:
        raise ConfigError("The script template {name!r} is missing.", name=exc.name) from None
    except TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise ConfigError(
            "The template {where}, line {lineno}: {message}.",
            where=where,
            lineno=exc.lineno,
            message=str(exc.message or "").rstrip("."),
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            "Cannot read the script templates for {name!r}: {exc}.", name=name, exc=exc
        ) from None
    except Exception as exc:  # raised while the template ran: said with its file and line
        raise _failure(exc, name) from None


def _failure(exc: Exception, name: str) -> ConfigError:
    """What went wrong while a template ran, with the template's file and line."""
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError

    located = exc.where if isinstance(exc, TooMuch) else None
    where, line = located or _template_frame(exc.__traceback__, name)
    if isinstance(exc, TooMuch) and exc.what == "time":
        return ConfigError(
            "The template {where}, line {line} ran for more than {seconds} seconds; "
            "a script template must not loop that long.",
            where=where,
            line=line,
            seconds=round(MAX_SECONDS, 1),
        )
    if isinstance(exc, TooMuch) and exc.what == "output":
        return ConfigError(
            "The template {where}, line {line} writes more than {limit} characters; "
            "a script is much shorter.",
            where=where,
            line=line,
            limit=MAX_OUTPUT,
        )
    if isinstance(exc, TooMuch):
        return ConfigError(
            "The template {where}, line {line} asks for a value too large for a script "
            "(over {limit} characters or items).",
            where=where,
            line=line,
            limit=MAX_TEXT,
        )
    if isinstance(exc, MemoryError):
        return ConfigError(
            "The template {where}, line {line} needs more memory than a script may take "
            "({limit} MB); a script template must not build such large values.",
            where=where,
            line=line,
            limit=MAX_MEMORY // 2**20,
        )
    if isinstance(exc, RecursionError):
        return ConfigError(
            "The template {where}, line {line} extends, includes or calls itself without end.",
            where=where,
            line=line,
        )
    if isinstance(exc, SecurityError):
        return ConfigError(
            "The template {where}, line {line} is refused: {exc}.", where=where, line=line, exc=exc
        )
    if isinstance(exc, TemplateError):
        return ConfigError(
            "The template {where}, line {line}: {exc}.",
            where=where,
            line=line,
            exc=str(exc).rstrip("."),
        )
    # 1/0, [][1], a range past the sandbox's: what the template's own code raised
    return ConfigError(
        "The template {where}, line {line} fails: {kind}: {error}.",
        where=where,
        line=line,
        kind=type(exc).__name__,
        error=str(exc).rstrip("."),
    )


@contextmanager
def _memory_limit() -> Iterator[None]:
    """At most ``MAX_MEMORY`` more address space while a template runs (on Linux): one
    operation that would build a huge value in one go (``("x" * 10**6).replace("x", "y" *
    1000)``, a gigabyte) fails at once with MemoryError instead of taking the machine's memory
    before any check or signal can stop it."""
    try:
        import resource

        with open("/proc/self/status", encoding="ascii") as fh:
            size = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, StopIteration, ValueError):
        yield
        return
    limit = size + MAX_MEMORY
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield  # already bounded as tightly
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextmanager
def _time_limit() -> Iterator[None]:
    """``TooMuch("time")`` raised in the work once it has run ``MAX_SECONDS`` (where a timer
    signal can be had: the main thread on Unix; elsewhere the size bounds only)."""
    import signal

    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def late(signum: int, frame: Any) -> None:
        raise TooMuch("time")

    before = signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, MAX_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def _writing(stream: Generator[str, None, None]) -> tuple[str, int] | None:
    """The template and line a suspended render is writing at: the innermost template frame
    among the generators it is paused in (an include is a generator inside its includer's)."""
    found = None
    gen: Any = stream
    for _ in range(1000):
        frame = getattr(gen, "gi_frame", None)
        if frame is None:
            break
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            where = template.filename or template.name or "?"
            found = (where, template.get_corresponding_lineno(frame.f_lineno))
        gen = gen.gi_yieldfrom or next(
            (v for v in frame.f_locals.values() if isgenerator(v) and v.gi_frame is not None),
            None,
        )
    return found


def _template_frame(tb: TracebackType | None, name: str) -> tuple[str, int | str]:
    """The innermost template file and line in a Jinja2 traceback (Jinja rewrites the
    traceback so that a template's frames carry its file and line)."""
    found: tuple[str, int | str] = (name, "?")
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
