"""Encryption of sensitive fields (ID numbers) at rest, and keyed hashes to find them.

A Fernet key (AES-128-CBC + HMAC-SHA256, from `cryptography`) encrypts the value; a separate
HMAC-SHA256 key gives a stable lookup hash, so equal numbers can be matched (dedup, re-import)
without decrypting. Keys come from LANGSO_FIELD_KEYS (comma-separated Fernet keys, newest first,
so keys can be rotated) and LANGSO_LOOKUP_KEY; in development they are generated once into the
data folder. Losing the keys loses the encrypted values: back them up apart from the database.
"""

import base64
import hashlib
import hmac
import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


def _key_file(folder: Path, name: str, make) -> str:
    path = folder / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


@cache
def _keys() -> tuple[MultiFernet, bytes]:
    from django.conf import settings

    folder = Path(settings.DATA_DIR)
    fernet_keys = os.environ.get("LANGSO_FIELD_KEYS") or _key_file(
        folder, "field_keys", lambda: Fernet.generate_key().decode()
    )
    lookup = os.environ.get("LANGSO_LOOKUP_KEY") or _key_file(
        folder, "lookup_key", lambda: base64.urlsafe_b64encode(os.urandom(32)).decode()
    )
    fernet = MultiFernet([Fernet(k.strip().encode()) for k in fernet_keys.split(",") if k.strip()])
    return fernet, lookup.encode()


def encrypt(value: str) -> str:
    return _keys()[0].encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _keys()[0].decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: wrong or missing field key") from exc


def lookup_hash(value: str) -> str:
    """Same value, same hash; without the key the hash reveals nothing guessable."""
    if not value:
        return ""
    return hmac.new(_keys()[1], value.encode(), hashlib.sha256).hexdigest()
