"""Website and register boilerplate that says nothing about what a company does.

People paste a description from a website footer or a register extract: an address, a postcode
and town, a CVR or VAT number, a phone number, an e-mail address or a link, a cookie banner,
"kontakt os", opening hours, a copyright line. None of it tells the industry, and every word of it
still moves a linear model's scores (a town name is a feature like any other). So the router
removes it before it classifies.

:func:`strip_boilerplate` is pure and idempotent (stripping twice changes nothing). It works in
two passes over the text, both in Danish and English:

1. *Spans*: e-mail addresses, links, phone numbers (with their label), CVR/VAT/SE numbers, street
   addresses (a street word and a house number) and postcode-plus-town are cut out wherever they
   stand, so "Vi bygger havvindmøller, Havnegade 4, 6700 Esbjerg" keeps its first clause.
2. *Segments*: the text is split at line breaks, sentence ends and the separators footers use
   (``|``, ``·``, ``•``); a segment whose cue says it is a footer line (cookies, "kontakt os",
   "contact us", opening hours, copyright, "følg os", privacy policy, newsletter) is dropped when
   it is short, since a long sentence that mentions cookies may still say what the company does.

The texts the router's probe sets hold are checked to come through unchanged
(``tests/routing/test_clean.py``).
"""

from __future__ import annotations

import re
from bisect import bisect_left

# A quick test that lets most descriptions skip the work: every pattern below needs one of these
# characters or words, or digits in one of a few shapes. Substring tests run in C, so a text
# without boilerplate costs a few microseconds (a regular expression with all the alternatives,
# case-insensitive, cost over 30).
_MAYBE_CHARS = re.compile(r"[@©|·•\n+]")
# Footer cues that can come without a digit or an "@": labels such as CVR, VAT, phone or e-mail
# come with their number or address, which the digits and the "@" find. Each is the part of a
# footer cue below that every match contains, no shorter: "reserved" alone flagged every text
# with "reservedele" (spare parts), and each flagged text costs a full strip, a few hundred µs.
_MAYBE_WORDS = (
    "cookie", "copyright", "alle rettigheder", "rights reserved", "følg os", "follow us",
    "privatlivspolitik", "persondatapolitik", "privacy policy", "tilmeld", "newsletter",
    "get in touch", "ring til os", "skriv til os", "call us", "write to us", "www.", "://",
    ".dk", ".com", ".eu", ".io", ".net", ".org",
)  # fmt: skip
# The cues are looked for in lower case with runs of spaces and tabs made one space, as the
# segments are before their cues are read ("Alle  rettigheder" is a cue too).
_BLANK_RUNS = re.compile(r"[ \t]{2,}|\t")


def _lower_single_spaced(text: str) -> str:
    low = text.lower()
    if "  " in low or "\t" in low:  # two fast scans; the pattern scans slowly
        return _BLANK_RUNS.sub(" ", low)
    return low


# Digit shapes: a postcode and town, a phone number, opening hours. The leading digit is taken
# out of the alternatives: a pattern that starts with one character class lets the engine skip
# to the digits, where one that starts with an alternation is tried at every character (four
# times slower over a batch).
_MAYBE_DIGITS = re.compile(
    r"\d(?:\d{3}\s+[A-ZÆØÅ]|\d[\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}|[.:]\d\d\s*[-–])"
)
# A street name and its number ("Fabriksvej 9"): found as space before a digit, then the word
# before it checked with one ``endswith`` (as one pattern led by the words it cost 70 µs a text).
_SPACE_DIGIT = re.compile(r"\s+\d")
_BLANK_DIGIT = re.compile(r"\s\d")
_STREET_ENDS = (
    "vej", "gade", "allé", "alle", "plads", "vænget", "stræde", "torv", "Road", "road",
    "Street", "street", "Avenue", "avenue",
)  # fmt: skip
_DIGIT = re.compile(r"\d")
_NUL = re.compile("\x00")


def _digit_shapes(text: str) -> bool:
    """Does ``text`` (which has a digit) hold a postcode, phone number, hours or street number?"""
    if _MAYBE_DIGITS.search(text) is not None:
        return True
    return any(text.endswith(_STREET_ENDS, 0, m.start()) for m in _SPACE_DIGIT.finditer(text))


def _maybe(text: str) -> bool:
    """Could ``text`` hold boilerplate? False for most descriptions, cheaply."""
    if _MAYBE_CHARS.search(text) is not None:
        return True
    if _DIGIT.search(text) is not None and _digit_shapes(text):
        return True
    low = _lower_single_spaced(text)
    for word in _MAYBE_WORDS:
        if word in low:
            return True
    return bool(_cues_at(low))


_STREET_WORDS = (
    r"vej|vejen|gade|gaden|allé|alle|plads|pladsen|vænget|stræde|strædet|boulevard|torv|torvet"
    r"|have|parken|park|kaj|kajen|bakke|bakken|høj|holm|vang|toften|løkke|sti|stien|road|street"
    r"|avenue|lane|square"
)
# As a separate word ("Harbour Street 5", "Kongens Vænge 3"); "have" alone is too common.
_LOOSE_STREET_WORDS = _STREET_WORDS.replace("|have", "")
_SPANS = re.compile(
    "|".join(
        (
            # e-mail addresses and links
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
            r"(?i:https?://|www\.)[^\s,;]+",
            r"\b[\w-]+(?:\.[\w-]+)*\.(?:dk|com|eu|io|net|org|se|no|de)\b(?:/[^\s,;]*)?",
            # CVR, VAT and SE numbers with their label; a bare DK VAT number
            r"(?i:\b(?:cvr|vat|moms|se|org)[\s.-]*(?:nr|no|nummer|number|reg)?[\s.:-]*"
            r"(?:dk[\s-]?)?)\d[\d\s]{6,10}\d\b",
            r"(?i:\bdk)[\s-]?\d{8}\b",
            # phone numbers: a label, an optional +45 and eight digits in groups, or +CC numbers
            r"(?i:\b(?:tlf|telefon|phone|tel|mobil|mobile|fax)\b[\s.:]*)?(?:\+\s?\d{2}[\s-]?)?"
            r"\b\d{2}[\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}\b",
            r"\+\d{2,3}(?:[\s-]?\d){6,12}\b",
            r"(?i:\b(?:tlf|tel)\b\s*[.:]|\b(?:telefon|phone|fax|e-?mail|mail|web)\s*:)",
            # a street address: a capitalised name ending in a street word, a number, a letter
            rf"\b[A-ZÆØÅ][\w'-]*(?:{_STREET_WORDS})(?:\s+\d{{1,4}}[A-Za-z]?\b(?:,?\s*\d\.?\s*(?:sal|th|tv|mf)\b\.?)?)",
            rf"\b[A-ZÆØÅ][\w'-]*\s+(?i:{_LOOSE_STREET_WORDS})\s+\d{{1,4}}[A-Za-z]?\b",
            # a Danish postcode and its town (one to three capitalised words, "C", "SV", ...)
            r"\b(?:DK-)?\d{4}\s+[A-ZÆØÅ][\wæøå-]+(?:\s+(?:[A-ZÆØÅ][\wæøå-]+|[NSØVCK]{1,2}\b))?",
        )
    )
)

# Segments end at line breaks, sentence ends and separators, and also before a capitalised
# footer opening in mid-text: a footer pasted after a description without a full stop ("...
# til industri og forskning Kontakt os på tlf. ...") would otherwise be one segment with it,
# and the description would go with the footer, or the footer stay with the description.
_FOOTER_OPENINGS = (
    "Kontakt", "Contact", "Vi bruger cookies", "Vi anvender cookies", "We use cookies",
    "This website uses cookies", "This site uses cookies", "Åbningstid", "Opening hours",
    "Følg os", "Follow us", "Ring til os", "Call us", "Skriv til os", "Write to us", "Tilmeld",
    "Sign up", "Subscribe", "Copyright", "Alle rettigheder", "All rights", "Privatlivspolitik",
    "Privacy policy",
)  # fmt: skip
_SEGMENT_SPLIT = re.compile(
    r"\n+|(?<=[.!?])\s+|\s*[|·•]\s*|\s+(?=(?:" + "|".join(_FOOTER_OPENINGS) + r")\w*\b)"
)
# "Kontakt" and "contact" flag a text only where a footer cue could read them: "kontakt os",
# "contact:", the word alone at the end, or before another footer opening (where the segments
# split), not "kontaktlinser" or "food contact materials"; opening hours only with their colon.
# Matched in lower case, and across a batch joined with NUL, which ends a text as "$" does.
_OPENINGS_LOWER = "|".join(re.escape(o.lower()) for o in _FOOTER_OPENINGS)
#: The words that lead ``_MAYBE_CUE``: found with ``str.find`` (a pattern led by a word boundary
#: and an alternation is tried at every character, and cost 5 µs a text).
_CUE_WORDS = ("kontakt", "contact", "opening hours", "åbningstid")
_MAYBE_CUE = re.compile(
    r"(?<!\w)(?:kontakt|contact)(?:\s*:|\s+(?:os|us)\b|\s*(?=\x00|$)|\s+(?="
    + _OPENINGS_LOWER
    + r"))"
    r"|(?:åbningstid\w*|opening hours)\s*:"
)


def _cues_at(low: str) -> list[int]:
    """Where in ``low`` (lower case) a contact or opening-hours cue starts."""
    at = []
    for word in _CUE_WORDS:
        i = low.find(word)
        while i >= 0:
            if _MAYBE_CUE.match(low, i) is not None:
                at.append(i)
            i = low.find(word, i + 1)
    return at


_FOOTER_CUES = re.compile(
    r"\bcookies?\b.*\b(?:bruger|anvender|accept\w*|indstillinger|politik|samtykke|hjemmeside|"
    r"use[sd]?|settings|policy|consent|website|site|experience|oplevelse)"
    r"|\b(?:bruger|anvender|uses?|accept\w*)\b.*\bcookies?\b"
    r"|\bkontakt\s+os\b|\bkontakt\s*:|^kontakt$|\bcontact\s+us\b|\bcontact\s*:|^contact$"
    r"|\bget in touch\b|\bring til os\b|\bcall us\b|\bskriv til os\b|\bwrite to us\b"
    r"|©|\bcopyright\b|alle rettigheder|all rights reserved"
    r"|åbningstid\w*\s*:|opening hours\s*:|\bman(?:dag)?\s*[-–]\s*fre|\bmon(?:day)?\s*[-–]\s*fri"
    r"|\bfølg os\b|\bfollow us\b|privatlivspolitik|persondatapolitik|privacy policy"
    r"|\btilmeld\w*.*nyhedsbrev|\b(?:sign up|subscribe)\b.*newsletter"
    r"|\bkl\.\s*\d|\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}",
    re.IGNORECASE,
)
#: A segment with a footer cue is dropped if it has at most this many words: a contact line is
#: short, a sentence about a cookie bakery is not.
FOOTER_MAX_WORDS = 14
_WORDS = re.compile(r"\w+")
_SPACES = re.compile(r"[ \t]+")
_LEFTOVER = re.compile(r"\s*(?:[,;:]\s*)+(?=[,;:.]|$)|^\s*[,;:.\-–]+\s*")


def _strip_once(text: str) -> str:
    out = _SPANS.sub(" ", text)
    kept: list[str] = []
    for seg in _SEGMENT_SPLIT.split(out):
        seg = _SPACES.sub(" ", seg).strip()
        if not seg:
            continue
        if _FOOTER_CUES.search(seg) and len(_WORDS.findall(seg)) <= FOOTER_MAX_WORDS:
            continue
        seg = _LEFTOVER.sub("", seg).strip(" ,;:-–")
        if _WORDS.search(seg):
            kept.append(seg)
    return " ".join(kept)


def strip_boilerplate(text: str) -> str:
    """``text`` without addresses, numbers, links and footer lines; may return ``""``.

    Texts without any trace of boilerplate come back unchanged (the same object), which is what
    keeps a batch fast. Otherwise the result is a fixed point: stripping it again changes nothing.
    """
    if not _maybe(text):
        return text
    out = _strip_once(text)
    for _ in range(3):
        again = _strip_once(out)
        if again == out:
            break
        out = again
    return out


def _suspects(texts: list[str]) -> set[int]:
    """Indices of the texts that :func:`_maybe` could flag, from one scan of the joined batch.

    The texts are joined with NUL, which a checked description cannot contain and no pattern
    matches (``\\s`` included), so no match runs from one text into the next. Each pattern and
    cue word is searched once over the batch instead of once per text.
    """
    joined = "\x00".join(texts)
    low = _lower_single_spaced(joined)
    ends: list[int] = []
    pos = -1
    for t in texts:
        pos += len(t) + 1
        ends.append(pos)  # the offset of the NUL after each text
    at: list[int] = [m.start() for m in _MAYBE_CHARS.finditer(joined)]
    # The digit shapes, over the whole batch too: none of them matches across a NUL, and a
    # street word must end right before the space, so it cannot lie in the text before.
    at += [m.start() for m in _MAYBE_DIGITS.finditer(joined)]
    for m in _BLANK_DIGIT.finditer(joined):
        j = m.start()  # the white space before the number starts at j
        while j and joined[j - 1].isspace():
            j -= 1
        if joined.endswith(_STREET_ENDS, 0, j):
            at.append(j)
    found = {bisect_left(ends, i) for i in at}
    # The cue words in the lower-case text with its blanks made single: other offsets, so the
    # NULs are found again there.
    low_ends = [m.start() for m in _NUL.finditer(low)] + [len(low)]
    at = _cues_at(low)
    for word in _MAYBE_WORDS:
        i = low.find(word)
        while i >= 0:
            at.append(i)
            i = low.find(word, i + 1)
    found.update(bisect_left(low_ends, i) for i in at)
    return found


def strip_many(texts: list[str]) -> list[str]:
    """:func:`strip_boilerplate` for every text of a batch (most come back as they are)."""
    if len(texts) < 8:
        return [strip_boilerplate(t) if _maybe(t) else t for t in texts]
    suspects = _suspects(texts)
    return [strip_boilerplate(t) if i in suspects else t for i, t in enumerate(texts)]
