"""Household import at scale, against the database's raw bulk load of the same rows.

For each size (LANGSO_BENCH_HOUSEHOLDS, default small): a synthetic template file
(``bench.registry_data``: Cao Bằng villages planned by the demo generator, 3.8 people per
household, valid CCCDs), imported with full validation through the job runner, as
``langso import-households`` runs it, in a fresh child process, for its time and its peak memory.
Then the rows the import wrote are dumped, the tables emptied, and the same rows loaded raw into
the same tables (same indexes and constraints) in one transaction: COPY on PostgreSQL, one
executemany per 10,000 rows on SQLite. The ratio is the import's speed over the raw load's.

Sizes are households; files are kept in LANGSO_BENCH_FILES (default: a folder in the system's
temporary directory) and reused, since generating a 1,000,000-household file takes minutes.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

SEED = 2023
FILE_SEED = 7
USERNAME = "bench.import"
DEFAULT_SIZES = "2000,10000"
ROWS_PER_EXECUTEMANY = 10_000


@dataclass
class Figures:
    households: int
    members: int
    file_mb: float
    import_s: float
    check_s: float
    raw_s: float
    peak_mb: float
    check_peak_mb: float
    start_mb: float
    created: int
    updated: int

    @property
    def ratio(self) -> float:
        return self.raw_s / self.import_s


def sizes() -> list[int]:
    text = os.environ.get("LANGSO_BENCH_HOUSEHOLDS", DEFAULT_SIZES)
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def files_dir() -> Path:
    folder = Path(
        os.environ.get("LANGSO_BENCH_FILES", Path(tempfile.gettempdir()) / "langso-bench-files")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def prepare(households: int) -> Path:
    """Villages of the plan in the scratch database, and the file (made once, then reused)."""
    from bench import registry_data
    from langso.demo import services as demo

    with mock.patch.object(demo, "CONTRIBUTORS", []):  # villages only: households come by file
        plan = demo.demo_build(
            province_code="04", households=households, seed=SEED, with_users=False
        ).plan
    path = files_dir() / f"households-{households}-{SEED}-{FILE_SEED}.csv"
    if not path.exists():
        start = time.perf_counter()
        part = path.with_suffix(".part")
        stats = registry_data.write_csv(part, plan, seed=FILE_SEED)
        part.rename(path)
        print(
            f"  generated {path.name}: {stats.households:,} households, {stats.members:,} people,"
            f" {stats.bytes / 2**20:,.0f} MB in {time.perf_counter() - start:.0f} s",
            file=sys.stderr,
        )
    return path


def _tables() -> list[tuple[str, list[str]]]:
    from langso.registry.models import Household, Member

    return [
        (model._meta.db_table, [f.column for f in model._meta.concrete_fields])
        for model in (Household, Member)
    ]


def empty_registry() -> None:
    from django.db import connection

    from langso.registry.models import (
        Consent,
        DigitalObservation,
        DigitalProfile,
        DuplicateDismissal,
        Household,
        Member,
    )

    models = [Consent, DigitalProfile, DigitalObservation, DuplicateDismissal, Member, Household]
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def dump(folder: Path) -> None:
    """The imported rows of both tables, in id order, as the raw load will read them: COPY's
    text format on PostgreSQL, pickled chunks of row tuples on SQLite."""
    from django.db import connection

    quote = connection.ops.quote_name
    folder.mkdir(parents=True, exist_ok=True)
    with connection.cursor() as cursor:
        for table, columns in _tables():
            names = ", ".join(quote(c) for c in columns)
            select = f"SELECT {names} FROM {quote(table)} ORDER BY {quote('id')}"
            with (folder / table).open("wb") as out:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY ({select}) TO STDOUT") as copy:
                        for block in copy:
                            out.write(block)
                    continue
                cursor.execute(select)
                while rows := cursor.fetchmany(ROWS_PER_EXECUTEMANY):
                    pickle.dump(rows, out)


def _chunks(path: Path):
    with path.open("rb") as stream:
        while True:
            try:
                yield pickle.load(stream)
            except EOFError:
                return


def raw_load(folder: Path) -> float:
    """Seconds to load the dumped rows into the empty tables, in one transaction.

    PostgreSQL: COPY from the dump file, timed whole. SQLite: only the executemany calls and the
    commit are timed, not unpickling the dump."""
    from django.db import connection, transaction

    from langso.registry.importer import SQLITE_WRITE_CACHE_MB, sqlite_cache

    quote = connection.ops.quote_name
    seconds = 0.0
    start = time.perf_counter()
    # the same page cache as the import's write pass
    with transaction.atomic(), sqlite_cache(SQLITE_WRITE_CACHE_MB), connection.cursor() as cursor:
        for table, columns in _tables():
            names = ", ".join(quote(c) for c in columns)
            if connection.vendor == "postgresql":
                with (
                    (folder / table).open("rb") as stream,
                    cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
                ):
                    while block := stream.read(2**20):
                        copy.write(block)
                continue
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"
            for rows in _chunks(folder / table):
                begin = time.perf_counter()
                cursor.executemany(sql, rows)
                seconds += time.perf_counter() - begin
        begin = time.perf_counter()
    if connection.vendor == "postgresql":
        return time.perf_counter() - start
    return seconds + time.perf_counter() - begin


def _import_in_child(path: Path) -> dict:
    from bench.scratch_db import run_child

    out = run_child("bench.bench_household_import", "child", str(path))
    return json.loads(out.strip().splitlines()[-1])


def measure(households: int) -> Figures:
    from langso.registry.models import Household, Member

    path = prepare(households)
    empty_registry()
    done = _import_in_child(path)
    stored = (Household.objects.count(), Member.objects.count())
    assert stored[0] == done["created"], (stored, done)
    dump_dir = path.with_name(f"dump-{os.getpid()}")
    try:
        dump(dump_dir)
        empty_registry()
        raw_s = raw_load(dump_dir)
        assert (Household.objects.count(), Member.objects.count()) == stored
    finally:
        shutil.rmtree(dump_dir, ignore_errors=True)
    empty_registry()
    return Figures(
        households=done["households"],
        members=done["members"],
        file_mb=path.stat().st_size / 2**20,
        import_s=done["seconds"],
        check_s=done["check_seconds"],
        raw_s=raw_s,
        peak_mb=done["peak_mb"],
        check_peak_mb=done["check_peak_mb"],
        start_mb=done["start_mb"],
        created=done["created"],
        updated=done["updated"],
    )


def table(results: list[Figures], vendor: str) -> str:
    raw = "COPY" if vendor == "postgresql" else "executemany"
    lines = [
        f"## Household import on {vendor}",
        "",
        f"| households | people | file MB | import s | households/s | check s | write s "
        f"| raw {raw} s | raw households/s | import/raw "
        f"| peak RSS MB: check pass / whole (at start) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.households:,} | {r.members:,} | {r.file_mb:,.0f} | {r.import_s:,.1f} "
            f"| {r.households / r.import_s:,.0f} | {r.check_s:,.1f} | {r.import_s - r.check_s:,.1f}"
            f" | {r.raw_s:,.1f} | {r.households / r.raw_s:,.0f} | {r.ratio:.0%} "
            f"| {r.check_peak_mb:,.0f} / {r.peak_mb:,.0f} ({r.start_mb:,.0f}) |"
        )
    if any(r.updated for r in results):
        merged = ", ".join(f"{r.updated:,} of {r.households:,}" for r in results if r.updated)
        lines += [
            "",
            f"Households matched to one written earlier in the same file (same village, head's "
            f"name and birth year): {merged}.",
        ]
    return "\n".join(lines)


def run() -> str:
    from django.db import connection

    from langso.accounts.roles import Role
    from langso.accounts.services import user_create
    from langso.geo.services import units_load

    units_load()
    user_create(
        actor=None, username=USERNAME, password="-", role=Role.PROVINCE_ADMIN, provinces=["04"]
    )
    results = []
    for households in sizes():
        figures = measure(households)
        print(
            f"  {households:,}: import {figures.import_s:.1f} s, raw {figures.raw_s:.1f} s, "
            f"{figures.ratio:.0%}, peak {figures.peak_mb:.0f} MB",
            file=sys.stderr,
        )
        results.append(figures)
    return table(results, connection.vendor)


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far (VmHWM). Not ``getrusage``'s ru_maxrss: on
    Linux that one starts from the parent's peak at fork and survives exec, so a child of a
    230 MB parent reports at least 230 MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(path: Path) -> None:
    """In a fresh process: the import through the job runner; figures as JSON on stdout."""
    import django

    django.setup()
    from bench.scratch_db import use_scratch_database

    use_scratch_database()
    from django.core.files import File

    from langso.accounts.models import User
    from langso.jobs import runner
    from langso.jobs.services import job_start
    from langso.registry import importer

    user = User.objects.get(username=USERNAME)
    with path.open("rb") as stream:  # copied into the job's storage, as an upload is
        job = job_start(
            actor=user,
            kind="registry.import_households",
            title=f"Import households from {path.name}",
            params={"filename": path.name},
            input_file=File(stream, name=path.name),
            enqueue=False,
        )
    start_mb = _rss_mb()
    marks: dict[str, float] = {}
    write_all = importer._write_all

    def timed_write_all(*args, **kwargs):  # when the write pass starts
        marks["write"] = time.perf_counter()
        marks["check_peak_mb"] = _peak_rss_mb()
        return write_all(*args, **kwargs)

    importer._write_all = timed_write_all
    start = time.perf_counter()
    job = runner.run(job.pk)
    seconds = time.perf_counter() - start
    if job.status != "succeeded":
        raise SystemExit(f"import failed: {job.error}\n{str(job.result)[:2000]}")
    result = job.result
    job.input_file.delete(save=False)
    peak_mb = _peak_rss_mb()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "check_seconds": marks.get("write", start + seconds) - start,
                "households": result["households"],
                "members": result["members"],
                "created": result["created"],
                "updated": result["updated"],
                "peak_mb": peak_mb,
                "check_peak_mb": marks.get("check_peak_mb", peak_mb),
                "start_mb": start_mb,
            }
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "langso.settings")
    if len(sys.argv) == 3 and sys.argv[1] == "child":
        child(Path(sys.argv[2]))
    else:
        sys.exit("usage: python -m bench household_import")
