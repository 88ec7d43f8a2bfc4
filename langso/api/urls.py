"""The REST API: one NinjaAPI, each app's router mounted under /api/v1/."""

from ninja import NinjaAPI

from langso.accounts.api import router as accounts_router
from langso.api import errors
from langso.api.auth import BearerToken, SessionAuth
from langso.geo.api import router as geo_router
from langso.infra.api import router as infra_router
from langso.jobs.api import router as jobs_router
from langso.outreach.api import devices_router
from langso.outreach.api import router as outreach_router
from langso.poverty.api import router as poverty_router
from langso.registry.api import router as registry_router
from langso.reports.api import router as reports_router
from langso.teams.api import router as teams_router

api = NinjaAPI(
    title="langso API",
    version="1",
    description=(
        "Làng số: administrative units, villages, households, poverty assessments and reports, "
        "and the digital-inclusion work of communes. Authenticate with "
        "`Authorization: Bearer <token>` (tokens are made on the account page). Every list is "
        "limited to the caller's administrative area."
    ),
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
errors.install(api)
api.add_router("/me", accounts_router, tags=["accounts"])
api.add_router("/geo", geo_router, tags=["geography"])
api.add_router("/jobs", jobs_router, tags=["jobs"])
api.add_router("/households", registry_router, tags=["households"])
api.add_router("/poverty", poverty_router, tags=["poverty"])
api.add_router("/teams", teams_router, tags=["teams"])
api.add_router("/outreach", outreach_router, tags=["announcements"])
api.add_router("/devices", devices_router, tags=["loudspeakers and boards"])
api.add_router("/infra", infra_router, tags=["infrastructure"])
api.add_router("/reports", reports_router, tags=["indicators"])
