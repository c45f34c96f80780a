"""The rating scale: verdict labels and their numeric values, from `settings.rating_scale`.

The default is a 5-point scale (False=1 ... True=5) plus "Unverifiable", an outcome off the
numeric scale (value None). ClaimReview's `reviewRating` uses `value(label)` as ratingValue
with `worst`/`best` as its bounds and the label as `alternateName`.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from factcheck.domain.errors import InvalidInput


class RatingLevel(BaseModel):
    """One step of the rating scale; `value` is None for outcomes off the numeric scale.

    A domain type (the settings only configure a list of them), so the domain imports
    nothing of the settings.
    """

    label: str
    value: int | None


class RatingScale:
    def __init__(self, levels: Sequence[RatingLevel]) -> None:
        if not levels:
            raise ValueError("the rating scale is empty")
        self.levels = list(levels)
        self._by_folded = {level.label.casefold(): level for level in self.levels}
        if len(self._by_folded) != len(self.levels):
            raise ValueError("the rating scale repeats a label")
        values = [level.value for level in self.levels if level.value is not None]
        if not values:
            raise ValueError("the rating scale has no numeric level")
        self.worst = min(values)
        self.best = max(values)

    @property
    def labels(self) -> list[str]:
        return [level.label for level in self.levels]

    def canonical(self, label: str) -> str:
        """The scale's spelling of `label` (case-insensitive); InvalidInput if off the scale."""
        level = self._by_folded.get(label.strip().casefold())
        if level is None:
            raise InvalidInput(
                f"rating {label!r} is not on the rating scale",
                field="rating",
                allowed=self.labels,
            )
        return level.label

    def value(self, label: str) -> int | None:
        """Numeric value of a label; None for an outcome off the numeric scale."""
        return self._by_folded[self.canonical(label).casefold()].value
