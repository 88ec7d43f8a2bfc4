"""A one-line text progress bar for the CLI."""

from langso.jobs.models import Job


def render(job: Job, width: int = 30) -> str:
    percent = job.percent
    if percent is None:
        bar = "." * width
        figure = f"{job.done:,}"
    else:
        filled = round(width * percent / 100)
        bar = "#" * filled + "-" * (width - filled)
        figure = f"{percent:3d}% {job.done:,}/{job.total or 0:,}"
    return f"[{bar}] {figure} {job.message}"[:120]
