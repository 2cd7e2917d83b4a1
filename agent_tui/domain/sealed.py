"""A customer's basic tier, sealed so that only the caller's right answers open it.

Offline, a workstation connected to a hub still verifies the customers it holds and shows the
basic tier, without holding their data in the clear: the hub sends, with a customer's masked
record, a sealed copy (docs/security.md gives the reasoning).

- The basic tier's values are encrypted (AES-128-GCM) under a random key K.
- K is split into one Shamir share per optional factor (``any_of``), any ``need`` of which
  rebuild it: exactly the policy's "name plus two of these".
- Each share is encrypted under a key derived (scrypt) from the required answers (the name)
  together with that factor's right answer; a factor with several right answers (the recent
  amounts) has its share encrypted under each.

Opening needs the answers: nothing on the workstation says what they are. The right answers
are low in entropy, so a thief with the store can still search them customer by customer;
scrypt makes each guess cost tens of milliseconds, so a bulk theft cannot be opened in bulk.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence

import msgspec
from Crypto.Cipher import AES
from Crypto.Protocol.SecretSharing import Shamir

from agent_tui.domain.verification import canonical_answer

FORMAT = 1
# scrypt's cost: 8 MB and tens of milliseconds a guess. Opening an attempt derives one key per
# answered optional factor; sealing one per right answer (at most ``MAX_AMOUNTS`` amounts).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 13, 8, 1
MAX_AMOUNTS = 3
_KEY_BYTES = 16


class SealedShare(msgspec.Struct, frozen=True):
    factor: str
    index: int  # the Shamir share's x
    nonce: bytes
    ciphertext: bytes  # the share (16 bytes) and its tag


class SealedCopy(msgspec.Struct, frozen=True):
    customer_id: str
    required: tuple[str, ...]
    any_of: tuple[str, ...]
    need: int
    salt: bytes
    shares: tuple[SealedShare, ...]
    nonce: bytes
    payload: bytes  # the basic tier (JSON) and its tag
    made_at: str
    expires_at: str
    format: int = FORMAT


class Opened(msgspec.Struct, frozen=True):
    payload: bytes | None  # the basic tier's JSON, when the answers opened it
    opened: tuple[str, ...]  # the optional factors whose share opened
    unopened: tuple[str, ...]  # the answered optional factors whose share did not


def _derive(salt: bytes, factor: str, required: str, answer: str) -> bytes:
    secret = f"{required}\x1e{factor}\x1e{answer}".encode()
    return hashlib.scrypt(secret, salt=salt + factor.encode(), n=SCRYPT_N, r=SCRYPT_R,
                          p=SCRYPT_P, maxmem=64 * 1024 * 1024, dklen=_KEY_BYTES)


def _associated(customer_id: str, factor: str) -> bytes:
    return f"agent-tui sealed {FORMAT} {customer_id} {factor}".encode()


def _encrypt(key: bytes, plain: bytes, associated: bytes, nonce: bytes) -> bytes:
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce)
    cipher.update(associated)
    ciphertext, tag = cipher.encrypt_and_digest(plain)
    return ciphertext + tag


def _decrypt(key: bytes, sealed: bytes, associated: bytes, nonce: bytes) -> bytes | None:
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce)
    cipher.update(associated)
    try:
        return cipher.decrypt_and_verify(sealed[:-16], sealed[-16:])
    except ValueError:  # the wrong key: the tag does not verify
        return None


def seal(customer_id: str, truths: Mapping[str, Sequence[str]], required: Sequence[str],
         any_of: Sequence[str], need: int, payload: bytes, made_at: str, expires_at: str,
         random: Callable[[int], bytes] = os.urandom) -> SealedCopy:
    """Seal ``payload`` so that the required answers and ``need`` of the optional ones open it.
    ``truths`` are the right answers in canonical form (``verification.canonical_truths``)."""
    key, salt, nonce = random(_KEY_BYTES), random(16), random(12)
    required_answer = "\x1f".join(truths[factor][0] if truths.get(factor) else ""
                                  for factor in required)
    shares: list[SealedShare] = []
    if not 1 <= need <= len(any_of):  # the library's loader refuses such a policy
        raise ValueError(f"need {need} of {len(any_of)} optional answers")
    for (index, share), factor in zip(Shamir.split(need, len(any_of), key), any_of, strict=True):
        answers = list(truths.get(factor, ()))
        if factor == "recent_amount":
            answers = answers[:MAX_AMOUNTS]
        for answer in answers:
            share_nonce = random(12)
            shares.append(SealedShare(factor, index, share_nonce, _encrypt(
                _derive(salt, factor, required_answer, answer), share,
                _associated(customer_id, factor), share_nonce)))
    return SealedCopy(customer_id, tuple(required), tuple(any_of), need, salt, tuple(shares),
                      nonce, _encrypt(key, payload, _associated(customer_id, "payload"), nonce),
                      made_at, expires_at)


def open_sealed(copy: SealedCopy, answers: Mapping[str, str]) -> Opened:
    """Try the caller's answers on ``copy``: the payload if they open it, and which optional
    answers opened their share."""
    required_answer = "\x1f".join(canonical_answer(factor, answers.get(factor, "")) or ""
                                  for factor in copy.required)
    found: dict[int, bytes] = {}
    opened: list[str] = []
    unopened: list[str] = []
    for factor in copy.any_of:
        given = canonical_answer(factor, answers.get(factor, ""))
        if given is None:
            continue
        key = _derive(copy.salt, factor, required_answer, given)
        share = None
        for sealed in copy.shares:
            if sealed.factor == factor:
                share = _decrypt(key, sealed.ciphertext, _associated(copy.customer_id, factor),
                                 sealed.nonce)
                if share is not None:
                    found[sealed.index] = share
                    break
        (opened if share is not None else unopened).append(factor)
    payload = None
    if len(found) >= copy.need:
        payload = _payload(copy, Shamir.combine(list(found.items())[:copy.need]))
    return Opened(payload, tuple(opened), tuple(unopened))


def _payload(copy: SealedCopy, key: bytes) -> bytes | None:
    return _decrypt(key, copy.payload, _associated(copy.customer_id, "payload"), copy.nonce)
