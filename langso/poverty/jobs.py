"""Background jobs of the poverty app."""

from langso.accounts.models import User
from langso.jobs.registry import JobFailed, register
from langso.poverty.services import assess_area


@register("poverty.assess_area")
def assess_area_job(job, progress) -> dict:
    actor = User.objects.filter(pk=job.created_by_id, is_active=True).first()
    if actor is None:
        raise JobFailed("the user who started the assessment no longer exists")
    result = assess_area(
        actor=actor,
        review_year=int(job.params["review_year"]),
        province=job.params.get("province", ""),
        communes=job.params.get("communes") or None,
        save=bool(job.params.get("save", True)),
        progress=progress,
    )
    if job.params.get("save", True):
        _figures_changed(job.params, int(job.params["review_year"]))
    return result.as_dict()


def _figures_changed(params: dict, year: int) -> None:
    """The dashboards' figures of the assessed communes are recomputed for the year."""
    from langso.geo.models import Commune
    from langso.reports.staleness import figures_changed

    codes = params.get("communes") or list(
        Commune.objects.filter(province_id=params.get("province", "")).values_list(
            "code", flat=True
        )
    )
    figures_changed(communes=codes, years=[year])


@register("poverty.check_file")
def check_file_job(job, progress) -> dict:
    """A survey file checked against the rules; the CSV goes where only its author downloads."""
    import datetime as dt
    from pathlib import Path

    from django.conf import settings

    from langso.core.tabular import TableError
    from langso.poverty import file_check
    from langso.poverty.queries import area_types
    from langso.poverty.standard import for_year

    year = int(job.params["review_year"])
    standard = for_year(year)
    relative = f"exports/{job.pk}-kiem-tra-ho-ngheo.csv"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    done = 0

    def counted(checked):
        nonlocal done
        for c in checked:
            done += 1
            if done % 500 == 0:
                progress(done, None, f"Đã kiểm tra {done:,} hộ")
            yield c

    types = area_types()
    with (
        job.input_file.open("rb") as stream,
        path.open("w", encoding="utf-8-sig", newline="") as out,
    ):
        checked = file_check.check(
            job.params.get("filename", job.input_file.name),
            stream,
            standard=standard,
            review_year=year,
            area_type_of=types.get,
            today=dt.date.today(),
        )
        try:
            counts = file_check.write_csv(counted(checked), standard, out)
        except TableError as error:
            raise JobFailed(str(error)) from None
    return {"households": done, **counts, "output": relative}


@register("poverty.certificates")
def certificates_job(job, progress) -> dict:
    """Every certificate of a closed review, as one PDF only the job's author downloads."""
    from pathlib import Path

    from django.conf import settings

    from langso.poverty.certificate import print_certificates
    from langso.poverty.models import Review

    actor = User.objects.filter(pk=job.created_by_id, is_active=True).first()
    review = Review.objects.select_related("commune").filter(pk=job.params["review"]).first()
    if actor is None or review is None:
        raise JobFailed("the review or the user who asked for it no longer exists")
    data = print_certificates(
        actor=actor,
        review=review,
        progress=lambda done, total: progress(done, total, f"Đã in {done:,}/{total:,} giấy"),
    )
    relative = f"exports/{job.pk}-giay-chung-nhan-{review.commune_id}-{review.review_year}.pdf"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"output": relative, "bytes": len(data)}


@register("poverty.named_list")
def named_list_job(job, progress) -> dict:
    """The named list of poor or near-poor households of a year, as an XLSX only its author
    downloads; the ethnicity column only for users who may see it (and the read is logged)."""
    from pathlib import Path

    from django.conf import settings

    from langso.poverty import named_list
    from langso.registry import export

    actor = User.objects.filter(pk=job.created_by_id, is_active=True).first()
    if actor is None:
        raise JobFailed("the user who asked for the list no longer exists")
    year, klass = int(job.params["year"]), job.params["class"]
    table = named_list.build(actor, year, klass, job.params.get("basis", "recorded"))
    relative = f"exports/{job.pk}-danh-sach-{klass}-{year}.xlsx"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        rows = export.write_xlsx(
            table, out, sheet=f"{klass} {year}", progress=lambda n: progress(n, None, "")
        )
    export.log_export(user=actor, table=table, rows=rows, kind="people")
    return {"rows": rows, "output": relative}
