"""The project's own errors, so callers can tell bad input from bugs."""

from __future__ import annotations


class RecoupeError(Exception):
    """Base of every error recoupe raises on purpose."""


class InputError(RecoupeError):
    """An input could not be read: names the input and says what is wrong, in one line."""

    def __init__(self, source: str, problem: str, offset: int | None = None):
        self.source = source
        self.problem = problem
        self.offset = offset
        where = one_line(source) if offset is None else f"{one_line(source)} (at {offset})"
        super().__init__(f"{where}: {one_line(problem)}")


def one_line(text: object) -> str:
    """`text` with line breaks and other unprintable characters written as escapes: a file
    named "a\\nb.txt" must not split its error message over two lines."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class ConfigError(RecoupeError):
    """A configuration value or file is invalid."""


class MissingDependency(RecoupeError):
    """An optional dependency is needed: says which `pip install` brings it."""

    def __init__(self, feature: str, extra: str):
        super().__init__(f"{feature} needs extra packages: pip install 'recoupe[{extra}]'")
