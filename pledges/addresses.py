"""Email addresses: what may be typed, the canonical form that decides "the same person", and domain checks.

The canonical form is computed from the address as it goes on the wire: the
domain exactly as Django encodes it for SMTP (IDNA, which also drops soft hyphens
and zero-width spaces and folds fullwidth letters), so two spellings that reach
one inbox can never count twice. Characters nobody can see are refused outright,
in either part, before any of this runs.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.encoding import punycode
from django.utils.translation import gettext_lazy as _

EMAIL_MAX = 254

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties) plus blank letters and
# symbols that render as nothing: they let "ㅤㅤ" pass as a name or one inbox pass as many.
INVISIBLE_RANGES = [
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x2800, 0x2800),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
]


def is_invisible(ch: str) -> bool:
    """A control, format, private-use, unassigned or separator character, or one that renders as nothing."""
    if "!" <= ch <= "~":
        return False  # printable ASCII, most of what is typed: nothing to look up
    if unicodedata.category(ch)[0] in {"C", "Z"}:
        return True
    code = ord(ch)
    return any(low <= code <= high for low, high in INVISIBLE_RANGES)


@dataclass(frozen=True)
class Provider:
    domains: tuple[str, ...]
    canonical_domain: str
    plus_tags: bool
    ignores_dots: bool
    keep_domain: bool
    subdomain_addressing: bool


@lru_cache(maxsize=1)
def providers() -> dict[str, Provider]:
    """Domain → its provider's folding rules, from mail_providers.toml."""
    data = tomllib.loads(Path(__file__).with_name("mail_providers.toml").read_text(encoding="utf-8"))
    by_domain = {}
    for entry in data.values():
        domains = tuple(entry["domains"])
        provider = Provider(
            domains=domains,
            canonical_domain=entry.get("canonical_domain", domains[0]),
            plus_tags=entry.get("plus_tags", True),
            ignores_dots=entry.get("ignores_dots", False),
            keep_domain=entry.get("keep_domain", False),
            subdomain_addressing=entry.get("subdomain_addressing", False),
        )
        by_domain.update(dict.fromkeys(domains, provider))
    return by_domain


def common_domains() -> frozenset[str]:
    """Big mailbox providers: many honest signers share them, so no per-domain rate."""
    return frozenset(providers())


def clean_address(value: str) -> str:
    """The address as typed, checked; raises ValidationError with a message fit to show."""
    value = value.strip()
    if len(value) > EMAIL_MAX:
        raise ValidationError(_("Email address must be %(max)d characters or fewer"), params={"max": EMAIL_MAX})
    if any(is_invisible(ch) for ch in value):
        raise ValidationError(_("Email address must not contain spaces, line breaks or hidden characters"))
    if not value.rpartition("@")[0].isascii():
        # ſam@ and a Kelvin sign pass Django's check and fold to sam@ and k…@; mail never joins them.
        raise ValidationError(
            _("The part of the email address before the @ must use only the letters a to z, digits and punctuation")
        )
    if any(ch in value.rpartition("@")[0] for ch in '"\\'):
        # RFC 5321 quoting ("jane"@, "j\ane"@) spells one mailbox many ways; nobody needs it to sign.
        raise ValidationError(_("Email address must not contain quotation marks or backslashes"))
    EmailValidator(message=_("Enter an email address in the correct format, like name@example.com"))(value)
    try:
        wire_domain(value.rpartition("@")[2])
    except UnicodeError:
        raise ValidationError(_("Enter an email address in the correct format, like name@example.com")) from None
    return value


def wire_domain(domain: str) -> str:
    """The domain as SMTP will see it: Django's own IDNA encoding, lower case."""
    return punycode(unicodedata.normalize("NFKC", domain.strip())).lower().rstrip(".")


def domain_of(email: str) -> str:
    try:
        return wire_domain(email.rpartition("@")[2])
    except UnicodeError:
        return email.rpartition("@")[2].casefold()


def canonical_email(email: str) -> str:
    """Jane@Example.COM, j.a.ne+x@gmail.com and jane@googlemail.com are one signer each.

    Plus tags are folded for every domain: the big providers and the school systems
    (Google Workspace, Microsoft 365) all deliver name+tag@ to name@, and a mailbox
    whose own name holds a "+" is too rare to let tags count one person many times.
    """
    return _normal_form(email, tags_everywhere=True)


def mailbox_email(email: str) -> str:
    """The mailbox an address surely reaches: what decides whose account it joins.

    As canonical_email, but a plus tag is folded only where the provider is known to
    deliver name+tag@ to name@. Elsewhere jane+x@ may be someone else's own mailbox,
    so it never joins jane@'s account: counting one signer twice costs a signature,
    but joining two people's accounts would hand one of them the other's.
    """
    return _normal_form(email, tags_everywhere=False)


def _normal_form(email: str, *, tags_everywhere: bool) -> str:
    local, _, _ = email.strip().rpartition("@")
    if tags_everywhere or local.isascii():
        local = unicodedata.normalize("NFKC", local).casefold()
    # Else a mailbox keeps a local part outside ASCII as it is: NFKC and casefold would make
    # ſam@ (a long s) and Kelvin-sign addresses into sam@ and k…@, which mail never joins.
    if local.startswith('"') and local.endswith('"'):
        local = local[1:-1]
    local = local.replace("\\", "")
    domain = domain_of(email)
    provider = providers().get(domain)
    for parent, candidate in subdomain_providers():
        if domain.endswith("." + parent) and domain.count(".") == parent.count(".") + 1:
            # Fastmail's subdomain addressing: anything@jane.fastmail.com reaches jane@fastmail.com.
            local, domain, provider = domain.split(".", 1)[0], parent, candidate
            break
    if (provider is None and tags_everywhere) or (provider is not None and provider.plus_tags):
        local = local.split("+", 1)[0]
    if provider is not None:
        if provider.ignores_dots:
            local = local.replace(".", "")
        if not provider.keep_domain:
            domain = provider.canonical_domain
    return f"{local}@{domain}"


@lru_cache(maxsize=1)
def subdomain_providers() -> tuple[tuple[str, Provider], ...]:
    return tuple((domain, p) for domain, p in providers().items() if p.subdomain_addressing)


@lru_cache(maxsize=1)
def disposable_domains() -> frozenset[str]:
    path = Path(__file__).with_name("disposable_domains.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_disposable(domain: str) -> bool:
    parts = domain.split(".")
    # A subdomain of a disposable service is disposable too.
    return any(".".join(parts[i:]) in disposable_domains() for i in range(len(parts) - 1))


def website_domain(url: str) -> str:
    """The domain of a website address as the register gives it ("www.kestrel.sch.uk/", "https://…"), or ""."""
    url = url.strip()
    if not url:
        return ""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    try:
        host = wire_domain(host)
    except UnicodeError:
        return ""
    host = host.removeprefix("www.")
    return host if "." in host else ""


def is_at_domain(address_domain: str, site_domain: str) -> bool:
    """An address at the site's own domain or one of its subdomains; a lookalike is not.

    staff.kestrel.sch.uk is at kestrel.sch.uk; kestrel.sch.uk.example.com and notkestrel.sch.uk are not.
    """
    if not address_domain or not site_domain or site_domain.count(".") < 1:
        return False
    return address_domain == site_domain or address_domain.endswith("." + site_domain)


# Suffixes under which anyone can register a domain: never a school's or trust's own.
SHARED_SUFFIXES = frozenset(
    {"uk", "sch.uk", "org.uk", "co.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "net.uk", "me.uk", "nhs.uk",
     "police.uk", "com", "org", "net", "info", "education", "school", "academy", "london", "wales", "cymru"}
)  # fmt: skip


def shared_parents(domains: list[str]) -> set[str]:
    """Domains that two or more of these sit under (a trust's own, from its schools' sites), suffixes excluded."""
    seen: dict[str, set[str]] = {}
    for domain in set(domains):
        labels = domain.split(".")
        for i in range(len(labels) - 1):
            parent = ".".join(labels[i:])
            seen.setdefault(parent, set()).add(domain)
    return {parent for parent, under in seen.items() if len(under) >= 2 and parent not in SHARED_SUFFIXES}
