"""URL path converters: `<stage:stage>` matches the four stage slugs and nothing else, so a wrong
slug is a 404 from URL resolution and no view has to check it."""

from __future__ import annotations

from journeys.vocabulary import STAGES, is_stage


class StageConverter:
    regex = "|".join(STAGES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        # reverse() with an unknown stage is a bug in the caller: NoReverseMatch says so.
        if not is_stage(value):
            raise ValueError(f"{value!r} is not a stage")
        return value
