"""Expression placeholders: every attribute name and value of an expression goes through
`Expr`, so no reserved word (`status`) or user value is ever spliced into expression text."""

from __future__ import annotations

from typing import Any

from factcheck.storage.codec import serialise_value


class Expr:
    """Placeholders for expression attribute names and values."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def name(self, attr: str) -> str:
        for placeholder, existing in self.names.items():
            if existing == attr:
                return placeholder
        placeholder = f"#n{len(self.names)}"
        self.names[placeholder] = attr
        return placeholder

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = serialise_value(value)
        return placeholder

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ExpressionAttributeNames": self.names}
        if self.values:
            out["ExpressionAttributeValues"] = self.values
        return out
