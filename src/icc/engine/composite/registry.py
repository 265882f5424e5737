"""Registries of named methods: one per pipeline step, each a mapping name → function.

A spec names a method and gives its parameters; :meth:`Registry.call` checks both before calling, so that a typo
is an error listing what is valid instead of a silent default.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import Any


class SpecError(ValueError):
    """A pipeline spec, metadata table, data table or assumption file that cannot be used; the message says what,
    where and what is valid."""


class Registry(Mapping[str, Callable[..., Any]]):
    """Named methods of one pipeline step.

    >>> r = Registry("normalise")
    >>> @r.register("double")
    ... def double(x, *, by=2):
    ...     return x * by
    >>> r.call("double", {"by": 3}, 2)
    6
    >>> for params in ({}, {"times": 3}):
    ...     try:
    ...         r.call("triple" if not params else "double", params, 2)
    ...     except SpecError as e:
    ...         print(e)
    normalise: unknown method 'triple'; valid methods: double
    normalise method 'double': unknown parameter(s) times; valid parameters: by
    """

    def __init__(self, step: str):
        self.step = step
        self._methods: dict[str, Callable[..., Any]] = {}

    def register(self, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def add(fn: Callable[..., Any]) -> Callable[..., Any]:
            self._methods[name] = fn
            return fn

        return add

    def __getitem__(self, name: str) -> Callable[..., Any]:
        try:
            return self._methods[name]
        except KeyError:
            raise SpecError(
                f"{self.step}: unknown method {name!r}; valid methods: {', '.join(sorted(self._methods))}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._methods)

    def __len__(self) -> int:
        return len(self._methods)

    def parameters(self, name: str) -> dict[str, Any]:
        """The method's keyword parameters and their defaults (``inspect.Parameter.empty`` when required)."""
        sig = inspect.signature(self[name])
        return {p.name: p.default for p in sig.parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY}

    def check(self, name: str, params: Mapping[str, Any]) -> None:
        """Raise :class:`SpecError` for an unknown method, an unknown parameter or a missing required one."""
        allowed = self.parameters(name)
        unknown = sorted(set(params) - set(allowed))
        if unknown:
            valid = ", ".join(allowed) or "none"
            raise SpecError(
                f"{self.step} method {name!r}: unknown parameter(s) {', '.join(unknown)}; valid parameters: {valid}"
            )
        missing = [p for p, default in allowed.items() if default is inspect.Parameter.empty and p not in params]
        if missing:
            raise SpecError(f"{self.step} method {name!r}: missing required parameter(s) {', '.join(missing)}")
        kinds = self.kinds(name)
        for key, value in params.items():
            want = kinds.get(key)
            if want is None or (value is None and want.endswith("| None")):
                continue
            ok = {
                "number": isinstance(value, int | float) and not isinstance(value, bool),
                "whole number": isinstance(value, int) and not isinstance(value, bool),
                "true or false": isinstance(value, bool),
                "text": isinstance(value, str),
                "mapping": isinstance(value, Mapping),
                "list": isinstance(value, list | tuple),
            }[want.split(" |")[0]]
            if not ok:
                raise SpecError(
                    f"{self.step} method {name!r}: parameter {key} must be a {want.split(' |')[0]}, not {value!r}"
                )

    def kinds(self, name: str) -> dict[str, str]:
        """What each keyword parameter must be, read from its annotation ("number", "text", …; "| None" when it
        may also be left empty)."""
        names = {"float": "number", "int": "whole number", "bool": "true or false", "str": "text"}
        out = {}
        for p in inspect.signature(self[name]).parameters.values():
            if p.kind is not inspect.Parameter.KEYWORD_ONLY:
                continue
            text = str(p.annotation).replace("'", "")
            base, _, rest = text.partition(" | ")
            kind = names.get(base) or (
                "mapping" if base.startswith("dict") else "list" if base.startswith("list") else None
            )
            if kind:
                out[p.name] = kind + (" | None" if rest == "None" else "")
        return out

    def call(self, name: str, params: Mapping[str, Any], *args: Any) -> Any:
        self.check(name, params)
        return self[name](*args, **params)
