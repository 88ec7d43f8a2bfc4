"""The app as gunicorn serves it in the polling benchmark, on the benchmark's scratch database."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "langso.settings")

from django.core.wsgi import get_wsgi_application

from bench.scratch_db import use_scratch_database

application = get_wsgi_application()
use_scratch_database()
