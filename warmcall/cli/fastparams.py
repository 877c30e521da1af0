"""Plain options without Pydantic: ``warmcall next`` must answer in a blink.

Typer 0.29 coerces every parameter that is not an already-boolean flag through a Pydantic
``TypeAdapter``, so the first option of any command imports Pydantic: about 90 ms, a fifth of
``next``'s whole budget. The options warmcall declares are almost all plain ``str``, ``int``
and ``bool`` (or ``None``): this converts those directly, with the same min/max checks, and
leaves everything else (enums, lists, paths, clamped numbers) to Typer. If Typer's internals
change shape, nothing is patched and Typer works as it always does.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

try:
    from typer import core
    from typer._click.exceptions import BadParameter
    from typer._coercion import RuntimeParam
except ImportError:  # another Typer: no Pydantic coercion to avoid
    core = None  # type: ignore[assignment]

_PLAIN = {str: "text", int: "integer", bool: "flag"}


def plain_type(annotation: Any) -> type | None:
    """``str``, ``int`` or ``bool`` (alone or with ``None``), else None."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else None
    return annotation if annotation in _PLAIN else None


_BOOLS = {"1": True, "true": True, "yes": True, "on": True,
          "0": False, "false": False, "no": False, "off": False}  # fmt: skip


def _convert(kind: type, value: Any) -> Any:
    if isinstance(value, kind):
        return value
    if kind is bool:
        word = str(value).strip().lower()
        if word not in _BOOLS:
            raise ValueError(value)
        return _BOOLS[word]
    return kind(value)


if core is not None and hasattr(core, "_TyperParameter"):

    class PlainRuntimeParam(RuntimeParam):
        """Converts a command-line string to ``str``, ``int`` or ``bool`` and checks bounds."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            kind = plain_type(self.annotation)
            assert kind is not None
            try:
                result = _convert(kind, value)
            except (TypeError, ValueError):
                raise BadParameter(
                    f"{value!r} is not a valid {_PLAIN[kind]}.", ctx=ctx, param=param
                ) from None
            info = self.parameter_info
            if info.min is not None and result < info.min:
                raise BadParameter(f"{result} is below {info.min}.", ctx=ctx, param=param)
            if info.max is not None and result > info.max:
                raise BadParameter(f"{result} is above {info.max}.", ctx=ctx, param=param)
            return result

    _typer_runtime_param = core._TyperParameter.get_runtime_param

    def _runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            described = self.type_descriptor
            info = described.parameter_info
            if (
                plain_type(described.annotation) is not None
                and described.file_annotation is None
                and info.parser is None
                and not info.clamp
            ):
                self._runtime_param = PlainRuntimeParam(
                    parameter_info=info, annotation=described.annotation
                )
        return _typer_runtime_param(self)

    core._TyperParameter.get_runtime_param = _runtime_param  # type: ignore[method-assign]
