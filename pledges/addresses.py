"""Email addresses: the canonical form that decides "the same person", and domain checks."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}
# Big mailbox providers: many honest signers share them, so no per-domain rate.
COMMON_DOMAINS = GMAIL_DOMAINS | {
    "outlook.com",
    "hotmail.com",
    "hotmail.co.uk",
    "live.co.uk",
    "yahoo.com",
    "yahoo.co.uk",
    "icloud.com",
    "me.com",
    "btinternet.com",
    "sky.com",
    "aol.com",
    "protonmail.com",
    "proton.me",
}


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].casefold()


def canonical_email(email: str) -> str:
    """Jane@Example.COM, j.a.ne+x@gmail.com and jane@googlemail.com are one signer each."""
    local, _, domain = email.strip().rpartition("@")
    local, domain = local.casefold(), domain.casefold()
    if domain in GMAIL_DOMAINS:
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


@lru_cache(maxsize=1)
def disposable_domains() -> frozenset[str]:
    path = Path(__file__).with_name("disposable_domains.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_disposable(domain: str) -> bool:
    parts = domain.split(".")
    # A subdomain of a disposable service is disposable too.
    return any(".".join(parts[i:]) in disposable_domains() for i in range(len(parts) - 1))
