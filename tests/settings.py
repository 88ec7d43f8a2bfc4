"""Test settings: the production settings with jobs run in-process and files in a temp folder."""

import os
import tempfile

os.environ.setdefault("LANGSO_DATA_DIR", tempfile.mkdtemp(prefix="langso-test-"))

from langso.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Argon2 is what production uses (tests/accounts check it); the fast hasher keeps factories quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
