"""python -m bench: runs the benchmarks on a scratch database and prints Markdown tables.

SQLite by default (a temporary file); with LANGSO_DATABASE_URL set, on that PostgreSQL server
(a scratch database is created and dropped). Paste the tables into bench/RESULTS.md.
"""

import os
import platform
import sys
import tempfile

os.environ.setdefault("LANGSO_DATA_DIR", tempfile.mkdtemp(prefix="langso-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "langso.settings")


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    from bench import bench_units

    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(
            f"# langso benchmarks ({platform.python_version()}, {os.cpu_count()} cores, "
            f"{connection.vendor})\n"
        )
        selected = sys.argv[1:] or ["units"]
        if "units" in selected:
            print(bench_units.run(), "\n")
    finally:
        creation.destroy_test_db(old_name, verbosity=0)


main()
