"""Typed settings schemas for components. Framework-free.

A schema validates raw values (from a form or JSON) into typed ones, fills defaults and
reports every problem at once as error codes with parameters; the Django layer turns
codes into translated messages.
"""

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

TYPES = ("boolean", "integer", "string", "text", "choice", "date")


@dataclass(frozen=True)
class SettingError:
    # One of: required, invalid_type, below_minimum, above_maximum, too_long, invalid_choice, unknown.
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


class SchemaValidationError(ValueError):
    def __init__(self, errors: dict[str, list[SettingError]]):
        super().__init__(", ".join(f"{name}: {[e.code for e in errs]}" for name, errs in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Setting:
    name: str
    type: str
    label: Any = ""
    default: Any = None
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    choices: tuple[tuple[str, Any], ...] = ()
    help_text: Any = ""

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"setting {self.name!r}: unknown type {self.type!r}")

    def clean(self, raw: Any) -> Any:
        """The typed value, or raises SettingError. ``None`` and "" mean "not given"."""
        if raw is None or raw == "":
            if self.required and self.type != "boolean":
                raise _Invalid("required")
            return False if self.type == "boolean" and self.default is None else self.default
        value = getattr(self, f"_clean_{self.type}")(raw)
        if self.type == "integer":
            if self.minimum is not None and value < self.minimum:
                raise _Invalid("below_minimum", minimum=self.minimum)
            if self.maximum is not None and value > self.maximum:
                raise _Invalid("above_maximum", maximum=self.maximum)
        if self.type in ("string", "text") and value == "" and self.required:
            raise _Invalid("required")  # only blanks
        if self.type in ("string", "text") and self.max_length is not None and len(value) > self.max_length:
            raise _Invalid("too_long", max_length=self.max_length, length=len(value))
        return value

    @staticmethod
    def _clean_boolean(raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in {"true", "on", "1", "yes"}:
            return True
        if isinstance(raw, str) and raw.lower() in {"false", "off", "0", "no"}:
            return False
        raise _Invalid("invalid_type", expected="boolean")

    @staticmethod
    def _clean_integer(raw: Any) -> int:
        if isinstance(raw, bool):
            raise _Invalid("invalid_type", expected="integer")
        if isinstance(raw, int):
            return raw
        if isinstance(raw, str):
            # ASCII digits only, one optional sign: "²" or "--5" pass isdigit() but not int().
            text = raw.strip()
            digits = text[1:] if text.startswith("-") else text
            if digits.isascii() and digits.isdigit():
                return int(text)
        raise _Invalid("invalid_type", expected="integer")

    @staticmethod
    def _clean_string(raw: Any) -> str:
        if not isinstance(raw, str):
            raise _Invalid("invalid_type", expected="string")
        return raw.strip()

    _clean_text = _clean_string

    def _clean_choice(self, raw: Any) -> str:
        if not isinstance(raw, str) or raw not in {value for value, _label in self.choices}:
            raise _Invalid("invalid_choice", value=raw)
        return raw

    @staticmethod
    def _clean_date(raw: Any) -> str:
        if isinstance(raw, date):
            return raw.isoformat()
        try:
            return date.fromisoformat(str(raw)).isoformat()
        except ValueError as error:
            raise _Invalid("invalid_type", expected="date") from error


class _Invalid(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.error = SettingError(code, params)


@dataclass(frozen=True)
class SettingsSchema:
    settings: tuple[Setting, ...] = ()

    def __iter__(self):
        return iter(self.settings)

    def __bool__(self) -> bool:
        return bool(self.settings)

    def defaults(self) -> dict[str, Any]:
        return {
            setting.name: setting.clean(None) if not setting.required else setting.default for setting in self
        }

    def clean(self, raw: Mapping[str, Any], *, allow_unknown: bool = False) -> dict[str, Any]:
        errors: dict[str, list[SettingError]] = {}
        cleaned: dict[str, Any] = {}
        for setting in self:
            try:
                cleaned[setting.name] = setting.clean(raw.get(setting.name))
            except _Invalid as invalid:
                errors[setting.name] = [invalid.error]
        known = {setting.name for setting in self}
        if not allow_unknown:
            for name in raw:
                if name not in known:
                    errors[name] = [SettingError("unknown")]
        if errors:
            raise SchemaValidationError(errors)
        return cleaned

    def read(self, stored: Mapping[str, Any] | None) -> dict[str, Any]:
        """Stored values with defaults for anything missing; never raises on old data."""
        values = self.defaults()
        for setting in self:
            if stored and setting.name in stored:
                with contextlib.suppress(_Invalid):
                    values[setting.name] = setting.clean(stored[setting.name])
        return values
