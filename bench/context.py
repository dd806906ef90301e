"""What every benchmark gets: the size, the seed, the backend and its fresh working database."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from sqlalchemy import text

from bench.datasets import read_engine
from bench.results import Result, print_line
from bench.sizes import Size

OPEN = ("not_started", "in_progress", "due_soon", "overdue")


@dataclass
class Run:
    size: Size
    seed: int
    backend: str
    url: str
    console: Console
    results: list[Result] = field(default_factory=list)

    def rng(self, salt: str) -> random.Random:
        return random.Random(f"{self.seed}:{salt}")

    def report(self, result: Result) -> None:
        self.results.append(result)
        print_line(self.console, result)

    def say(self, message: str) -> None:
        self.console.print(f"  [dim]{message}[/dim]", highlight=False)

    def scalars(self, sql: str, **params: Any) -> list[Any]:
        with read_engine(self.url) as engine, engine.connect() as connection:
            return list(connection.execute(text(sql), params).scalars())

    def open_codes(self) -> list[str]:
        statuses = ", ".join(f"'{s}'" for s in OPEN)
        return self.scalars(f"SELECT code FROM outcomes WHERE status IN ({statuses}) ORDER BY code")
