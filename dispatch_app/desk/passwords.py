"""Password hashing with scrypt (hashlib), a random salt per user."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# n=2**14, r=8, p=1: about 16 MiB and a few tens of milliseconds per check on a workstation,
# the interactive-login parameters recommended for scrypt.
N, R, P, DKLEN = 2**14, 8, 1, 32
MIN_LENGTH = 8
MAX_LENGTH = 256


def hash_password(password: str, n: int = N, r: int = R, p: int = P) -> tuple[str, str, str]:
    """(hash hex, salt hex, params) for storing."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=DKLEN, maxmem=64 * 2**20
    )
    return digest.hex(), salt.hex(), f"scrypt:n={n},r={r},p={p}"


def verify_password(password: str, hash_hex: str, salt_hex: str, params: str) -> bool:
    try:
        scheme, rest = params.split(":", 1)
        values = dict(item.split("=") for item in rest.split(","))
        n, r, p = int(values["n"]), int(values["r"]), int(values["p"])
    except (ValueError, KeyError):
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(
        password.encode("utf-8"),
        salt=bytes.fromhex(salt_hex),
        n=n,
        r=r,
        p=p,
        dklen=DKLEN,
        maxmem=64 * 2**20,
    )
    return hmac.compare_digest(digest.hex(), hash_hex)
