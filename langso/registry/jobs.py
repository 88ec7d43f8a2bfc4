"""Background jobs of the registry."""

from pathlib import Path

from django.conf import settings

from langso.accounts.models import User
from langso.jobs.registry import JobFailed, register
from langso.registry import export
from langso.registry.filters import HouseholdFilter
from langso.registry.importer import households_import
from langso.registry.queries import households_for


@register("registry.import_households")
def import_households(job, progress) -> dict:
    actor = User.objects.filter(pk=job.created_by_id, is_active=True).first()
    if actor is None:
        raise JobFailed("the user who started the import no longer exists")
    report = households_import(
        actor=actor,
        filename=job.params.get("filename", job.input_file.name),
        open_stream=lambda: job.input_file.open("rb"),
        valid_only=bool(job.params.get("valid_only")),
        progress=progress,
    )
    result = report.as_dict()
    if not report.written:
        job.result = result
        job.save(update_fields=["result"])
        raise JobFailed(f"{len(report.errors)} error(s) in the file; nothing was imported")
    _figures_changed(job)
    return result


def _figures_changed(job) -> None:
    """The dashboards' figures of the job's area are recomputed by the worker."""
    from langso.geo.models import Commune
    from langso.reports.staleness import figures_changed

    if job.commune_code:
        figures_changed(communes=[job.commune_code])
    elif job.province_code:
        codes = Commune.objects.filter(province_id=job.province_code).values_list("code", flat=True)
        figures_changed(communes=codes)


@register("registry.export_households")
def export_households(job, progress) -> dict:
    """A large export, written to a file in the data directory that only its author downloads."""
    actor = User.objects.filter(pk=job.created_by_id, is_active=True).first()
    if actor is None:
        raise JobFailed("the user who started the export no longer exists")
    kind, file_format = job.params["kind"], job.params["format"]
    households = HouseholdFilter(
        job.params.get("filters") or {}, households_for(actor), user=actor
    ).qs
    total = export.count_rows(households, kind)
    progress(0, total, "Đang xuất…")
    table = export.build(households, user=actor, kind=kind, full_id=job.params.get("full_id"))
    relative = f"exports/{job.pk}-{kind}.{file_format}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)

    def step(n: int) -> None:
        progress(n, total, "Đang xuất…")

    if file_format == "xlsx":
        with path.open("wb") as out:
            rows = export.write_xlsx(table, out, sheet=kind, progress=step)
    else:
        with path.open("w", encoding="utf-8", newline="") as out:
            rows = export.write_csv(table, out, progress=step)
    export.log_export(user=actor, table=table, rows=rows, kind=kind)
    return {"rows": rows, "output": relative}
