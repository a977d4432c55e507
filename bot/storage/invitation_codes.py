"""An invitation code is a proof: whoever holds it joins. The database keeps only its SHA-256, so that a copy
of the database (or of a backup) lets nobody in. A code is 96 random bits (`new_code`),
so a plain hash suffices: nobody can try 2^96 codes, no salt or slow hash is needed."""

from __future__ import annotations

import hashlib
import secrets

# 96 random bits, 16 characters in a link.
CODE_BYTES = 12


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
