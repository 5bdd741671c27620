"""What `draw` raises: every error is a DrawingError whose message is written for the person
who asked for the diagram (the task stores it on the row, the page shows it)."""

from __future__ import annotations


class DrawingError(Exception):
    """The diagram could not be drawn."""


class TooManyNodes(DrawingError):
    def __init__(self, count: int, cap: int) -> None:
        super().__init__(
            f"This architecture has {count} components; diagrams are drawn up to {cap}. "
            "Remove or merge components to get a diagram of this stage."
        )
        self.count = count
        self.cap = cap


class GraphvizMissing(DrawingError):
    def __init__(self) -> None:
        super().__init__(
            "Graphviz is not installed: the `dot` program was not found on the PATH. "
            "Install the `graphviz` system package (apt-get install graphviz) where the "
            "diagrams are drawn."
        )


class DrawingFailed(DrawingError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"The diagram could not be drawn: {reason}")
        self.reason = reason


class GraphvizCrashed(DrawingFailed):
    """`dot` exited with an error (or aborted): with another edge router it may well succeed."""
