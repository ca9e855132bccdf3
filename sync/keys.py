"""Keys of a station or the county: Ed25519 to sign, X25519 to receive content keys."""

import hashlib
import hmac
from dataclasses import dataclass
from functools import cached_property, lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class KeyPair:
    sign: Ed25519PrivateKey
    kex: X25519PrivateKey

    @classmethod
    def generate(cls) -> "KeyPair":
        return cls(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @classmethod
    def from_bytes(cls, sign: bytes, kex: bytes) -> "KeyPair":
        """The key pair stored as ``sign`` and ``kex``. Loading an Ed25519 key costs about
        0.1 ms and every sync asks for its keys a few times, so loaded pairs are kept by
        their bytes: keys stored anew (a new enrollment) are different bytes, loaded anew."""
        return _loaded(bytes(sign), bytes(kex))

    def private_bytes(self) -> tuple[bytes, bytes]:
        raw = (serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
               serialization.NoEncryption())
        return self.sign.private_bytes(*raw), self.kex.private_bytes(*raw)

    @cached_property
    def public(self) -> "PublicKeys":
        return PublicKeys(self.sign.public_key().public_bytes(*_RAW),
                          self.kex.public_key().public_bytes(*_RAW))


@dataclass(frozen=True)
class PublicKeys:
    sign: bytes
    kex: bytes

    def verifier(self) -> Ed25519PublicKey:
        return _verifier(bytes(self.sign))

    def kex_key(self) -> X25519PublicKey:
        return _kex_public(bytes(self.kex))

    @property
    def fingerprint(self) -> str:
        """What people compare by eye: 16 hex digits in groups of four."""
        digest = hashlib.sha256(bytes(self.sign) + bytes(self.kex)).hexdigest()[:16].upper()
        return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


@lru_cache(maxsize=16)
def _loaded(sign: bytes, kex: bytes) -> KeyPair:
    return KeyPair(Ed25519PrivateKey.from_private_bytes(sign),
                   X25519PrivateKey.from_private_bytes(kex))


@lru_cache(maxsize=256)   # a county's stations, each verified on every sync
def _verifier(sign: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(sign)


@lru_cache(maxsize=256)
def _kex_public(kex: bytes) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(kex)


def enrollment_proof(code: str, station_code: str, keys: PublicKeys) -> str:
    """Proof that whoever sends ``keys`` for ``station_code`` holds the one-time code."""
    message = station_code.encode() + bytes(keys.sign) + bytes(keys.kex)
    return hmac.new(normalize_code(code).encode(), message, hashlib.sha256).hexdigest()


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())
