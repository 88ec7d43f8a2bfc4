"""Encrypted ID numbers: ``encrypt_many`` makes the tokens ``encrypt`` makes."""

import base64

from cryptography.fernet import Fernet

from langso.core import field_encryption


def test_encrypt_many_round_trips_through_decrypt():
    values = ["004080012345", "", "0", "a" * 15, "a" * 16, "Số CCCD dài hơn một khối"]
    tokens = field_encryption.encrypt_many(values)
    assert [field_encryption.decrypt(t) for t in tokens] == values
    assert tokens[1] == ""


def test_encrypt_many_gives_each_value_its_own_iv():
    first, second = field_encryption.encrypt_many(["004080012345", "004080012345"])
    assert first != second


def test_encrypt_many_makes_fernet_tokens_of_the_newest_key():
    """Byte for byte what Fernet makes with the same time and IV."""
    (token,) = field_encryption.encrypt_many(["004080012345"])
    raw = base64.urlsafe_b64decode(token)
    at, iv = int.from_bytes(raw[1:9], "big"), raw[9:25]
    newest = Fernet(base64.urlsafe_b64encode(field_encryption._keys()[2]))
    assert newest._encrypt_from_parts(b"004080012345", at, iv) == token.encode()
