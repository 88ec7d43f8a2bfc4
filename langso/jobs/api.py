"""Background job status: progress, result, error."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from langso.api.pagination import Page
from langso.jobs.queries import jobs_for
from langso.jobs.runner import live

router = Router()


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    done: int
    total: int | None
    percent: int | None
    message: str
    result: Any | None
    error: str
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@router.get("", response=list[JobOut], summary="Jobs in your area")
@paginate(Page)
def list_jobs(request: HttpRequest):
    return jobs_for(request.auth)


@router.get("/{job_id}", response=JobOut, summary="One job's progress and outcome")
def get_job(request: HttpRequest, job_id: int):
    return live(get_object_or_404(jobs_for(request.auth), pk=job_id))
