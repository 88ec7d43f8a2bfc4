"""python -m bench [units] [household_import] [household_search] [assess] [teams] [outreach]
[reports]: runs
benchmarks on scratch databases and prints Markdown tables (with no argument: units).

SQLite by default (a temporary file); with LANGSO_DATABASE_URL set, on that PostgreSQL server
(a scratch database is created and dropped). Paste the tables into bench/RESULTS.md.
The household benchmarks take their sizes from LANGSO_BENCH_HOUSEHOLDS (default small, so that
nothing large ever runs by accident), e.g. LANGSO_BENCH_HOUSEHOLDS=10000,100000,1000000.
"""

import os
import platform
import sys
import tempfile

os.environ.setdefault("LANGSO_DATA_DIR", tempfile.mkdtemp(prefix="langso-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "langso.settings")

BENCHES = (
    "units",
    "household_import",
    "household_search",
    "assess",
    "teams",
    "outreach",
    "reports",
)


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    from bench import scratch_db

    selected = sys.argv[1:] or ["units"]
    unknown = set(selected) - set(BENCHES)
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; choose from {BENCHES}")
    print(
        f"# langso benchmarks ({platform.python_version()}, {os.cpu_count()} cores, "
        f"{connection.vendor})\n"
    )
    for name in selected:
        if name == "reports":
            from bench import bench_reports

            with scratch_db.scratch_database(
                file_backed=True, keep=bool(os.environ.get("LANGSO_BENCH_KEEP_DB"))
            ):
                print(bench_reports.run(), "\n")
            continue
        with scratch_db.scratch_database(file_backed=name != "units"):
            if name == "units":
                from bench import bench_units

                print(bench_units.run(), "\n")
            elif name == "household_import":
                from bench import bench_household_import

                print(bench_household_import.run(), "\n")
            elif name == "teams":
                from bench import bench_teams

                print(bench_teams.run(), "\n")
            elif name == "outreach":
                from bench import bench_outreach

                print(bench_outreach.run(), "\n")
            elif name == "assess":
                from bench import bench_assess

                print(bench_assess.run(), "\n")
            else:
                from bench import bench_household_search

                print(bench_household_search.run(), "\n")


main()
