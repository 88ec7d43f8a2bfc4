"""A small benchmark harness: timings as medians, throughput, and ratios against a baseline
measured in the same process, so figures compare across machines."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Timing:
    name: str
    seconds: float  # median
    items: int
    runs: int

    @property
    def per_second(self) -> float:
        return self.items / self.seconds if self.seconds else float("inf")


def measure(
    name: str,
    fn: Callable[[], object],
    *,
    items: int,
    runs: int = 3,
    setup: Callable[[], object] | None = None,
) -> Timing:
    """Median wall time of ``fn`` over ``runs`` runs; ``setup`` runs untimed before each."""
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return Timing(name, statistics.median(times), items, runs)


def report(title: str, baseline: Timing, others: list[Timing]) -> str:
    lines = [
        f"## {title}",
        "",
        "| what | median s | items/s | ratio to baseline |",
        "|---|---|---|---|",
    ]
    for t in [baseline, *others]:
        ratio = t.seconds / baseline.seconds if baseline.seconds else float("nan")
        lines.append(f"| {t.name} | {t.seconds:.3f} | {t.per_second:,.0f} | {ratio:.2f}× |")
    return "\n".join(lines)
