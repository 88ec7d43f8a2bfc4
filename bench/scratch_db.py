"""Scratch databases for the benchmarks, and what their child processes need to find them.

SQLite scratch databases can be files (in LANGSO_DATA_DIR, with the project's WAL settings), so
that a benchmark can run its measured step in a fresh child process (clean peak memory) on the
same database; PostgreSQL ones are ``test_<name>`` on the configured server.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DB_NAME_VARIABLE = "LANGSO_BENCH_DB_NAME"


@contextmanager
def scratch_database(*, file_backed: bool, keep: bool = False) -> Iterator[str]:
    """A migrated, empty database for the duration of the block; dropped afterwards, unless
    ``keep``: then it is kept, and reused (with what it holds) by the next run that keeps."""
    from django.conf import settings
    from django.db import connection

    test = connection.settings_dict.setdefault("TEST", {})
    old_name, old_test_name = connection.settings_dict["NAME"], test.get("NAME")
    if file_backed and connection.vendor == "sqlite":
        test["NAME"] = str(Path(settings.DATA_DIR) / "bench.sqlite3")
    name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=keep, serialize=False
    )
    try:
        yield name
    finally:
        if keep:
            connection.close()
            connection.settings_dict["NAME"] = old_name
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        test["NAME"] = old_test_name


def use_scratch_database() -> None:
    """In a child process: point the default connection at the parent's scratch database."""
    from django.db import connections

    name = os.environ.get(DB_NAME_VARIABLE)
    if name:
        connections["default"].settings_dict["NAME"] = name


def run_child(module: str, *args: str, timeout: float | None = None) -> str:
    """Run ``python -m module args`` on the current scratch database; its standard output."""
    from django.db import connection

    env = {**os.environ, DB_NAME_VARIABLE: str(connection.settings_dict["NAME"])}
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} failed:\n{done.stderr[-4000:]}")
    return done.stdout
