"""Loading all administrative units (34 + 3,321 current, 63 + 696 + 10,035 legacy, 10,597
crosswalk rows) through units_load, against a raw executemany/COPY of the same rows into bare
tables of the same database, in the same run."""

from django.db import connection

from bench.harness import measure, report
from langso.geo.models import Commune, CommuneSuccession, LegacyCommune, LegacyDistrict
from langso.geo.services import units_load
from langso.geo.units_source import read_units


def _raw_rows(data):
    rows = [("P", p.code, p.name) for p in data.provinces]
    rows += [("C", c.code, c.name) for c in data.communes]
    rows += [("LP", p.code, p.name) for p in data.legacy_provinces]
    rows += [("LD", d.code, d.name) for d in data.legacy_districts]
    rows += [("LC", c.code, c.name) for c in data.legacy_communes]
    rows += [("X", r.legacy_code, r.new_code) for r in data.crosswalk]
    return rows


def _raw_load(rows) -> None:
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_raw_units")
        cur.execute(
            "CREATE TABLE bench_raw_units (kind varchar(2), code varchar(5), name varchar(100))"
        )
        if connection.vendor == "postgresql":
            with cur.copy("COPY bench_raw_units (kind, code, name) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany("INSERT INTO bench_raw_units VALUES (%s, %s, %s)", rows)
    connection.commit() if not connection.get_autocommit() else None


def _empty() -> None:
    CommuneSuccession.objects.all().delete()
    LegacyCommune.objects.all().delete()
    LegacyDistrict.objects.all().delete()
    from langso.accounts.models import AreaAssignment
    from langso.geo.models import LegacyProvince, Province, Village

    AreaAssignment.objects.all().delete()
    Village.objects.all().delete()
    LegacyProvince.objects.all().delete()
    Commune.objects.all().delete()
    Province.objects.all().delete()


def run() -> str:
    data = read_units()
    rows = _raw_rows(data)
    read = measure("read package data (sqlite + json)", read_units, items=len(rows))
    raw = measure(
        f"baseline: raw {'COPY' if connection.vendor == 'postgresql' else 'executemany'}",
        lambda: _raw_load(rows),
        items=len(rows),
    )
    fresh = measure(
        "units_load into empty tables", lambda: units_load(data=data), items=len(rows), setup=_empty
    )
    again = measure(
        "units_load again (nothing changes)", lambda: units_load(data=data), items=len(rows)
    )
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_raw_units")
    return report(
        f"Administrative units ({len(rows):,} rows) on {connection.vendor}",
        raw,
        [read, fresh, again],
    )
