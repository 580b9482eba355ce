"""Risky links: shorteners, raw IPs, punycode and look-alike gov/bank hosts, cheap TLDs, .apk."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ._base import Detector, DetectorInput, Spans

_URL = re.compile(
    r"(?<![\w@.-])(?:(?:https?|hxxps?)://[^\s<>\"'“”]+"
    r"|(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]{2,30})"
    r"(?::\d{2,5})?(?:/[^\s<>\"'“”]*)?"
    r"|(?:\d{1,3}\.){3}\d{1,3}(?::\d{2,5})?/[^\s<>\"'“”]*)",
    re.I,
)
SHORTENERS = frozenset(
    "bit.ly tinyurl.com goo.gl is.gd ow.ly cutt.ly rebrand.ly shorturl.at tiny.cc s.id rb.gy "
    "v.gd bit.do t.ly shorte.st adf.ly bom.so bom.to 1url.vn short.link lnkd.in t.co x.gd "
    "urlz.fr tinu.be gg.gg".split()
)
CHEAP_TLDS = frozenset(
    "xyz top tk ml ga cf gq click icu buzz work rest fit cyou cfd sbs bond monster quest lol "
    "zip mov country stream download loan racing win bid online site space website pw vip bet "
    "casino poker".split()
)
# Domains we trust outright: the state (.gov.vn), vetted press and the big platforms.
ALLOW_SUFFIXES = (".gov.vn", ".edu.vn", ".org.vn")
ALLOW_DOMAINS = frozenset(
    "gov.vn chinhphu.vn baochinhphu.vn mofa.gov.vn dichvucong.gov.vn vnexpress.net tuoitre.vn "
    "thanhnien.vn nhandan.vn vietnamplus.vn vtv.vn vov.vn qdnd.vn cand.com.vn dantri.com.vn "
    "laodong.vn tienphong.vn znews.vn zingnews.vn vietnamnet.vn vnanet.vn vietnam.vn "
    "facebook.com fb.com youtube.com youtu.be google.com zalo.me tiktok.com x.com twitter.com "
    "wikipedia.org github.com microsoft.com apple.com linkedin.com instagram.com "
    "vietcombank.com.vn techcombank.com techcombank.com.vn bidv.com.vn agribank.com.vn "
    "vietinbank.vn mbbank.com.vn acb.com.vn tpb.vn vpbank.com.vn sacombank.com.vn baoquocte.vn "
    "evn.com.vn shopee.vn lazada.vn momo.vn zalopay.vn vnpost.vn vneid.gov.vn facebook.net "
    "fbcdn.net messenger.com netflix.com paypal.com".split()
)
# Names scammers borrow for look-alike hosts.
BRANDS = (
    "vietcombank",
    "techcombank",
    "bidv",
    "agribank",
    "vietinbank",
    "mbbank",
    "vpbank",
    "sacombank",
    "tpbank",
    "acb",
    "chinhphu",
    "dichvucong",
    "mofa",
    "bocongan",
    "vneid",
    "evn",
    "vnpost",
    "bhxh",
    "baohiemxahoi",
    "thue",
    "gdt",
    "momo",
    "zalopay",
    "shopee",
    "lazada",
    "congan",
    "tongcucthue",
    "nganhang",
    # Platforms whose log-in pages are copied; their own hosts are allowlisted above.
    "facebook",
    "instagram",
    "paypal",
    "netflix",
)
# Big platforms: hosts of their own are allowlisted, so they count only when spelled with digits.
DIGIT_SPOOFED = ("microsoft", "sharepoint", "facebook", "google", "outlook", "office", "paypal")
_DELEET = str.maketrans("0134", "olea")
_LOGIN_BAIT = re.compile(
    r"(?:log-?in|sign-?in|dang-?nhap|xac-?(?:thuc|minh|nhan)|verify|verification|"
    r"update-?(?:account|info)|cap-?nhat|khoa-?tai-?khoan|nhan-?(?:qua|thuong)|trung-?thuong|"
    r"otp|account-?locked|unlock)",
    re.I,
)
KINDS = ("shortener", "ip", "punycode", "lookalike", "cheap-tld", "apk", "login-bait")


def _any_of(names: Iterable[str]) -> re.Pattern[str]:
    """A search for any of `names` inside a string: one scan instead of one `in` per name."""
    return re.compile("|".join(re.escape(n) for n in names))


# The brand tests of link_risks, sorted once by how a brand may appear. Brands are plain letters,
# so one found in the host without '.' or '-' lies inside one of its labels' parts.
_BRAND_SET = frozenset(BRANDS)
_GLUED_BRANDS = _any_of(b for b in BRANDS if len(b) >= 6)
_SPLIT_BRANDS = _any_of(b for b in BRANDS if len(b) >= 8)
_LEET_BRANDS = _any_of(b for b in BRANDS + DIGIT_SPOOFED if len(b) >= 5)
# A trusted domain spelled out at the front of an unrelated one (the real domain is what ends
# the host): "vietcombank.com.vn.secure-login.xyz", "facebook.com-login.top",
# "drive-google.com.document-share.ru". A label sequence of the domain, then '.' or '-'; names
# of 5+ letters also after a '-' ("drive-google.com…"), short ones ("x.com", "vov.vn") only as
# whole labels.
_TRUSTED = sorted(ALLOW_DOMAINS, key=len, reverse=True)
_TRUSTED_INSIDE = re.compile(
    "(?:^|(?<=[.]))(?:"
    + "|".join(re.escape(d) for d in _TRUSTED)
    + ")(?=[.-])|(?<=-)(?:"
    + "|".join(re.escape(d) for d in _TRUSTED if len(d.split(".")[0]) >= 5)
    + ")(?=[.-])"
)
# What may follow a trusted domain in its own country versions: "google.com.vn", "google.com.au".
_COUNTRY_TAIL = re.compile(r"\.[a-z]{2}")
_SCHEME = re.compile(r"^(?:https?|hxxps?)://", re.I)
_IP = re.compile(r"(?:\d{1,3}\.){3}\d{1,3}")
_LABEL_PARTS = re.compile(r"[.-]")
_FOREIGN_GOV = re.compile(r"(?:^|\.)(?:gov|go)\.[a-z]{2}$|\.gov$")


def _host_of(url: str) -> tuple[str, str]:
    rest = _SCHEME.sub("", url)
    host, _, path = rest.partition("/")
    host = host.split("@")[-1].split(":")[0].lower().rstrip(".")
    return host, "/" + path if path else ""


def _allowed(host: str) -> bool:
    bare = host[4:] if host.startswith("www.") else host
    if bare in ALLOW_DOMAINS or bare.endswith(ALLOW_SUFFIXES):
        return True
    # A subdomain of an allowed domain: what follows one of its dots is in the set.
    dot = bare.find(".")
    while dot != -1:
        if bare[dot + 1 :] in ALLOW_DOMAINS:
            return True
        dot = bare.find(".", dot + 1)
    return False


def _trusted_inside(bare: str) -> bool:
    """True if a trusted domain stands in `bare` (not allowed itself) before other labels."""
    for m in _TRUSTED_INSIDE.finditer(bare):
        if not _COUNTRY_TAIL.fullmatch(bare, m.end()):
            return True
    return False


def link_risks(url: str) -> list[str]:
    """Why `url` is risky (empty when it is not), as kinds from KINDS."""
    host, path = _host_of(url)
    if not host or "." not in host:
        return []
    bare = host[4:] if host.startswith("www.") else host
    risks = []
    if _IP.fullmatch(bare):
        risks.append("ip")
    if path.lower().split("?")[0].endswith(".apk") or bare.endswith(".apk"):
        risks.append("apk")
    if _allowed(host):
        return risks if "apk" in risks else []
    if bare in SHORTENERS:
        risks.append("shortener")
    labels = bare.split(".")
    if any(lb.startswith("xn--") for lb in labels):
        risks.append("punycode")
    if labels[-1] in CHEAP_TLDS:
        risks.append("cheap-tld")
    squashed = bare.replace("-", "").replace(".", "")
    tokens = _LABEL_PARTS.split(bare)
    # Short brand names ("evn", "acb") only count as a whole label part; long ones also glued
    # to other words ("vietcombankvn").
    borrowed = not _BRAND_SET.isdisjoint(tokens) or _GLUED_BRANDS.search(bare) is not None
    # Long names split by hyphens still count: "baohiem-xahoi.site" borrows "baohiemxahoi".
    borrowed = borrowed or _SPLIT_BRANDS.search(squashed) is not None
    # "…-vn.online", "gov.vn.com": Vietnamese or state markers where the real suffix is not .vn.
    fake_vn = labels[-1] != "vn" and ("vn" in tokens[:-1] or "govvn" in squashed)
    # Other countries' government hosts (www.gov.uk, mfa.gov.sg, mofa.go.jp, state.gov) are real.
    foreign_gov = _FOREIGN_GOV.search(bare) is not None
    # Digits standing for letters ("micros0ft", "faceb00k", "vietc0mbank") only ever borrow a name.
    deleet = squashed.translate(_DELEET)
    borrowed = borrowed or (deleet != squashed and _LEET_BRANDS.search(deleet) is not None)
    borrowed = borrowed or _trusted_inside(bare)
    if not foreign_gov and (fake_vn or "gov" in tokens[:-1] or borrowed):
        risks.append("lookalike")
    if path and _LOGIN_BAIT.search(path) or _LOGIN_BAIT.search(bare.replace(".", "-")):
        risks.append("login-bait")
    return risks


def _risky_link(inp: DetectorInput, options: dict) -> Spans:
    wanted = set(options.get("kinds", KINDS))
    # Kinds another rule reports: a link that has one of them is left to that rule, so one link
    # gets one underline ("shopee-tri-an.icu" is both a cheap TLD and a borrowed brand).
    unless = set(options.get("unless", ()))
    for start, end, risks in _links(inp):
        if risks & wanted and not risks & unless:
            yield start, end


def _links(inp: DetectorInput) -> list[tuple[int, int, frozenset[str]]]:
    """Every link-like span of the draft with its risks, found once per check (several rules
    use this detector with different kinds)."""
    got = inp.memo.get("links")
    if got is None:
        got = []
        for m in inp.finditer(_URL, inp.token_windows(".")):
            url = m.group().rstrip(".,;:!?)]}\"'")
            if not url or "." not in url:
                continue
            got.append((m.start(), m.start() + len(url), frozenset(link_risks(url))))
        inp.memo["links"] = got
    return got


RISKY_LINK = Detector(
    "risky-link",
    _risky_link,
    frozenset({"kinds", "unless"}),
    "shorteners, raw IPs, punycode/look-alike gov or bank hosts, cheap TLDs, .apk, "
    "login-bait paths; .gov.vn and vetted press allowed",
)
