"""One figure against its baseline, and how a run prints and saves them."""

from __future__ import annotations

import json
import platform
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table


@dataclass(frozen=True)
class Goal:
    """``ratio <= limit`` (``at_most``) or ``ratio >= limit``; ``None``: reported only."""

    limit: float | None
    at_most: bool = True

    def met(self, ratio: float) -> bool | None:
        if self.limit is None:
            return None
        return ratio <= self.limit if self.at_most else ratio >= self.limit

    def __str__(self) -> str:
        if self.limit is None:
            return "report"
        return f"{'<=' if self.at_most else '>='} {self.limit:g}x"


@dataclass
class Result:
    benchmark: str  # one of the six: write, reads, as_of, rebuild, reminders, import
    name: str
    backend: str
    figure: float
    baseline: float
    unit: str
    goal: Goal
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.figure / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool | None:
        return self.goal.met(self.ratio)

    def as_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "goal": str(self.goal),
            "ratio": round(self.ratio, 4),
            "met": self.met,
        }


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (0..1) of ``values``, interpolated."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def verdict(met: bool | None) -> str:
    return "-" if met is None else ("met" if met else "MISSED")


def latencies(result: Result, side: str) -> str:
    """`` (p50 …, p95 …, p99 … ms)`` where a side's latencies were measured (the write path)."""
    found = result.details.get(side)
    if not isinstance(found, dict) or "p50_ms" not in found:
        return ""
    return f" (p50 {found['p50_ms']:.3g}, p95 {found['p95_ms']:.3g}, p99 {found['p99_ms']:.3g} ms)"


def print_line(console: Console, result: Result) -> None:
    console.print(
        f"{result.benchmark:<9} {result.backend:<8} {result.name:<34} "
        f"figure={result.figure:.4g} {result.unit}{latencies(result, 'followup')}  "
        f"baseline={result.baseline:.4g} {result.unit}{latencies(result, 'baseline')}  "
        f"ratio={result.ratio:.3g}  goal={result.goal}  {verdict(result.met)}",
        highlight=False,
    )


def print_table(console: Console, results: list[Result]) -> None:
    table = Table(title="followup against its baselines")
    for column in ("benchmark", "backend", "figure", "value", "baseline", "ratio", "goal", ""):
        table.add_column(column)
    for r in results:
        table.add_row(
            r.benchmark,
            r.backend,
            r.name,
            f"{r.figure:.4g} {r.unit}{latencies(r, 'followup')}",
            f"{r.baseline:.4g} {r.unit}{latencies(r, 'baseline')}",
            f"{r.ratio:.3g}",
            str(r.goal),
            verdict(r.met),
        )
    console.print(table)


def machine() -> dict[str, Any]:
    import os

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version()}


def save(path: Path, results: list[Result], meta: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {**meta, "machine": machine(), "results": [r.as_json() for r in results]}
    path.write_text(json.dumps(payload, indent=2, default=str))
