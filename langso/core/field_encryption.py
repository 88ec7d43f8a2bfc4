"""Encryption of sensitive fields (ID numbers) at rest, and keyed hashes to find them.

A Fernet key (AES-128-CBC + HMAC-SHA256, from `cryptography`) encrypts the value; a separate
HMAC-SHA256 key gives a stable lookup hash, so equal numbers can be matched (dedup, re-import)
without decrypting. ``encrypt_many`` makes the same tokens as ``encrypt`` for many values at
once (imports of millions of ID numbers). Keys come from LANGSO_FIELD_KEYS (comma-separated
Fernet keys, newest first, so keys can be rotated) and LANGSO_LOOKUP_KEY; in development they are
generated once into the data folder. Losing the keys loses the encrypted values: back them up
apart from the database.
"""

import base64
import hmac
import os
import struct
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_FERNET_VERSION = b"\x80"
_BLOCK = 16  # AES block size in bytes


def _key_file(folder: Path, name: str, make) -> str:
    path = folder / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


@cache
def _keys() -> tuple[MultiFernet, bytes, bytes]:
    """(all field keys, the lookup key, the newest field key decoded: signing + encryption)."""
    from django.conf import settings

    folder = Path(settings.DATA_DIR)
    fernet_keys = os.environ.get("LANGSO_FIELD_KEYS") or _key_file(
        folder, "field_keys", lambda: Fernet.generate_key().decode()
    )
    lookup = os.environ.get("LANGSO_LOOKUP_KEY") or _key_file(
        folder, "lookup_key", lambda: base64.urlsafe_b64encode(os.urandom(32)).decode()
    )
    keys = [k.strip().encode() for k in fernet_keys.split(",") if k.strip()]
    fernet = MultiFernet([Fernet(k) for k in keys])
    return fernet, lookup.encode(), base64.urlsafe_b64decode(keys[0])


def encrypt(value: str) -> str:
    return _keys()[0].encrypt(value.encode()).decode() if value else ""


def encrypt_many(values: Sequence[str]) -> list[str]:
    """``encrypt`` of each value, in order ("" stays ""), for imports of millions of numbers.

    The tokens are what ``encrypt`` makes (and ``decrypt`` reads): Fernet tokens of the newest
    key, each with its own random IV: version, time, IV, AES-128-CBC of the PKCS7-padded value,
    HMAC-SHA256 of all that. What this saves is Fernet's set-up per value (a cipher context, a
    padder, checks: about three quarters of its cost). A value that pads to one AES block (under
    16 bytes, as a 12-digit CCCD) is encrypted with the others in one call of the block cipher:
    CBC of a single block is the block cipher applied to the block XOR the IV. Longer values go
    through ``encrypt``.
    """
    newest = _keys()[2]
    signing, encryption = newest[:_BLOCK], newest[_BLOCK:]
    data = [v.encode() for v in values]
    single = [i for i, b in enumerate(data) if 0 < len(b) < _BLOCK]
    ivs = os.urandom(_BLOCK * len(single))
    mixed = bytearray()
    for n, i in enumerate(single):
        pad = _BLOCK - len(data[i])  # PKCS7
        block = int.from_bytes(data[i] + bytes([pad]) * pad, "big")
        iv = int.from_bytes(ivs[n * _BLOCK : (n + 1) * _BLOCK], "big")
        mixed += (block ^ iv).to_bytes(_BLOCK, "big")
    # the block cipher over independent blocks (ECB) = CBC of each block with its own IV
    sealed = Cipher(algorithms.AES(encryption), modes.ECB()).encryptor().update(bytes(mixed))
    prefix = _FERNET_VERSION + struct.pack(">Q", int(time.time()))
    out = [encrypt(v) if len(b) >= _BLOCK else "" for v, b in zip(values, data, strict=True)]
    for n, i in enumerate(single):
        at = slice(n * _BLOCK, (n + 1) * _BLOCK)
        body = prefix + ivs[at] + sealed[at]
        out[i] = base64.urlsafe_b64encode(body + hmac.digest(signing, body, "sha256")).decode()
    return out


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
    return hmac.digest(_keys()[1], value.encode(), "sha256").hex()
