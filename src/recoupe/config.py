"""One options object for library and CLI: packaged defaults, a user TOML file over them.

Each module reads its own section (`options.section("neardup")`) and turns it
into its own typed options, so adding a knob touches one module and the
defaults file only.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Mapping, TypeVar

from .errors import ConfigError

T = TypeVar("T")


def _packaged_defaults() -> dict[str, Any]:
    text = resources.files("recoupe").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _overlay(base: dict[str, Any], over: dict[str, Any], where: str) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _overlay(out[key], value, f"{where}.{key}")
        else:
            out[key] = value
    return out


@dataclass
class Options:
    """All settings, by section. Build with `Options.load(path)` or `Options()` for defaults."""

    values: dict[str, Any] = field(default_factory=_packaged_defaults)

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: dict[str, Any]) -> "Options":
        values = _packaged_defaults()
        if path is not None:
            try:
                user = tomllib.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc
            values = _overlay(values, user, str(path))
        if overrides:
            values = _overlay(values, overrides, "overrides")
        return cls(values)

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.values.get(name, {}))

    def typed(self, name: str, kind: type[T]) -> T:
        """The section as the module's own dataclass; unknown keys are an error, not ignored."""
        return section_as(name, self.section(name), kind)


def section_as(name: str, values: Mapping[str, Any], kind: type[T]) -> T:
    """Settings of section `name` as its dataclass: an unknown key or a bad value is a ConfigError."""
    assert is_dataclass(kind)
    known = {f.name for f in fields(kind)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"[{name}]: unknown setting(s) {', '.join(unknown)}")
    try:
        return kind(**dict(values))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[{name}]: {exc}") from exc
