"""Starting a household import as a background job: the import page and the API share this."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.utils.translation import gettext as _

from langso.accounts.roles import Capability
from langso.jobs.models import Job
from langso.jobs.services import job_area, job_start

IMPORT_KIND = "registry.import_households"


def households_import_start(*, actor: Any, upload: File, valid_only: bool) -> Job:
    """Queue the import of an (already validated) uploaded file, placed in the actor's area.

    The job is tagged with the actor's commune or province when they have exactly one, so that
    the people of that area see it in their job list.
    """
    if not actor.can(Capability.RUN_IMPORTS):
        raise PermissionDenied
    return job_start(
        actor=actor,
        kind=IMPORT_KIND,
        title=_("Nhập hộ gia đình từ %(f)s") % {"f": upload.name},
        params={"filename": upload.name, "valid_only": valid_only},
        input_file=upload,
        **job_area(actor),
    )
