"""Text checks, folding, tokens and language detection for company descriptions.

Everything here is plain Python over ``str`` methods that run in C (``translate``, ``lower``,
``re.findall``), because the router calls it once per description and must handle tens of
thousands of descriptions a second.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from klynge.errors import InvalidInput, Location
from klynge.i18n import Text

Language = Literal["da", "en"]

#: Longer descriptions are refused: a form field, not a document, is what the router reads.
MAX_CHARS = 10_000


class RoutingInputError(InvalidInput, ValueError):
    """Input the router refuses, with a reason in both languages and the field it concerns."""

    code = "invalid-routing-input"

    def __init__(self, field: str, message: Text) -> None:
        super().__init__(message, location=Location(field=field))
        self.args = (f"{field}: {message.en}",)
        self.field = field

    def text(self, lang: str | None) -> str:
        return f"{self.field}: {self.message.get(lang)}"


#: Danish letters as written on a keyboard without them: æ as ae, ø as oe, å as aa.
_DANISH_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


#: The letter keys of a Danish keyboard, row by row: a slip of the finger hits a key next to the
#: one meant (``LinearModel.mend`` undoes one).
_KEY_ROWS = ("qwertyuiopå", "asdfghjklæø", "zxcvbnm")


def _key_neighbours() -> dict[str, str]:
    out: dict[str, str] = {}
    for r, row in enumerate(_KEY_ROWS):
        for c, key in enumerate(row):
            near = [row[i] for i in (c - 1, c + 1) if 0 <= i < len(row)]
            near += [
                _KEY_ROWS[q][c] for q in (r - 1, r + 1) if 0 <= q < 3 and c < len(_KEY_ROWS[q])
            ]
            out[key] = "".join(near)
    return out


#: The keys next to each letter key (left, right, above, below).
KEY_NEIGHBOURS = _key_neighbours()


def ascii_danish(word: str) -> str:
    """``word`` (folded) with æ, ø and å written ae, oe and aa, as on a keyboard without them.

    The model's features are computed on this form, so "møbler" and "moebler" are one word to it;
    the word itself (what an explanation shows) stays as the user wrote it.
    """
    return word.translate(_DANISH_ASCII)


def _word_set(words: str) -> frozenset[str]:
    """The words, and each also as typed without æ, ø and å ("på" and "paa")."""
    base = words.split()
    return frozenset(base) | frozenset(ascii_danish(w) for w in base)


# Danish function words that are not also common English words, and the reverse. They decide the
# language and are never used as features: they say nothing about the industry.
DA_WORDS = _word_set(
    """og i at er vi til af med på en et den det som der de har fra kan vores os samt hos
    også eller ved inden efter både mellem mod når hvor hvis så skal vil bliver
    blev være være været alle andre andet anden disse dette denne deres sin sit sine hele
    mere mest meget mange nye ny nyt nogle flere egen eget egne ikke kun blandt uden om
    jeg du han hun man dem sig hvad hvilke hvilket hver hvert"""
)
EN_WORDS = _word_set(
    """and the of to in we is are our a an that from with by on at as its it their
    they this these those which who whose into across also or both than such has have
    been be was were will can more most many new other others all any each through
    us you your not only among without about within while where when so"""
) - {"at"}
# Words of company forms and purpose clauses ("Selskabets formål er at drive handel og dermed
# beslægtet virksomhed"): they occur in every kind of company, so they are no feature at all.
FILLER_WORDS = _word_set(
    """virksomhed virksomheden virksomheder virksomhedens selskab selskabet selskabets selskaber
    firma firmaet firmaer aps ivs amba fmba formål formålet dermed hermed dertil beslægtet
    beslægtede tilknyttet hørende lignende bestyrelsens direktionens skøn øvrigt øvrige
    anpartsselskab anpartsselskabet aktieselskab aktieselskabet iværksætterselskab
    company companies company's ltd inc plc llc gmbh object objects purpose related thereto
    therewith incidental carry"""
)
# "for", "over" and "under" are as common in Danish as in English: no vote, but no feature either.
STOPWORDS = DA_WORDS | EN_WORDS | FILLER_WORDS | {"for", "over", "under"}

#: Words that keep their features but do not by themselves say what a company does: a text with
#: nothing else gets "not enough to go on" instead of a guess.
VAGUE_WORDS = _word_set(
    """drive driver drift handel handle handler trade trading service services serviceydelser
    holding holdingselskab holdingselskabet holdingselskaber holdings eje ejer ejerskab own owns
    owning kapitalandele kapitalandel aktier anparter shares datterselskaber subsidiaries
    investering investeringer investment investments aktivitet aktiviteter activity activities
    test tests testing hej hello hi world verden andet anden diverse other others misc various
    ingen none nothing n a na ukendt unknown produkt produkter product products løsning
    løsninger solution solutions forretning business businesses erhverv enterprise
    arbejde work working opgaver tasks kunder customers clients customer kunde
    velkommen welcome hjemmeside hjemmesiden website homepage siden side page formular
    formularen form coming soon opbygning lorem ipsum dolor amet consectetur
    glæder glæde glad høre dig jer passion passionate passioneret dedicated dedikeret
    engageret ambitious ambitiøs ambitiøse dynamic dynamisk dynamiske focused fokus
    fokuserer excellence excellent difference team teams trusted partner partners
    samarbejdspartner quality kvalitet kvaliteten højsædet innovation innovative innovativ
    best bedste leading førende proud stolte making delivers deliver delivering every day
    alt alting everything iværksætter nystartet"""
)

#: Words an explanation never names: generic verbs, and places and countries, which describe
#: where a company is, not what it does. Like the vague words, they alone do not make a
#: description say something ("Firma i Esbjerg", "Vi laver ting" are not enough to go on).
UNEXPLAINING_WORDS = VAGUE_WORDS | _word_set(
    """udvikler udvikle udvikling udviklet laver lave lavet tilbyder tilbyde leverer levere
    leverandør producerer producere fremstiller fremstille bygger bygge sælger sælge hjælper
    hjælpe arbejder bruger bruge skaber skabe giver driver gør
    develop develops developing developed make makes making made offer offers offering
    provide provides providing provider supply supplies supplier produce produces producing
    manufacture manufactures build builds sell sells selling help helps use uses
    used create creates run runs based founded grundlagt etableret producent producenter
    operate operates operating operated built bygget byggede sælges solgt solgte produceret
    fremstillet leveret leveres tilbydes udvikles produceres fremstilles
    producer producers manufacturer manufacturers maker makers supplier suppliers leverandører
    danmark denmark danish dansk danske europa europe european norden nordic nordics
    scandinavia skandinavien global globalt worldwide international internationalt verden
    jylland jutland sjælland zealand fyn funen bornholm lolland falster
    københavn copenhagen aarhus århus odense aalborg ålborg esbjerg randers kolding horsens
    vejle roskilde herning silkeborg næstved fredericia viborg køge holstebro taastrup
    slagelse hillerød sønderborg svendborg hjørring holbæk frederikshavn nørresundby ringsted
    haderslev skive ikast ballerup lyngby hørsholm glostrup hvidovre frederiksberg gentofte
    billund grenaa grindsted thisted nykøbing næstved kalundborg aabenraa tønder ribe
    struer lemvig skagen middelfart nyborg faaborg assens vordingborg helsingør hellerup
    kastrup kgs søborg herlev ishøj brøndby valby amager hovedstaden midtjylland
    nordjylland syddanmark region regionen kommune kommunen
    vestjylland østjylland sønderjylland nordsjælland vestsjælland sydsjælland midtsjælland
    sydfyn nordfyn vestfyn djursland himmerland vendsyssel thy mors salling limfjorden
    hovedstadsområdet storkøbenhavn trekantområdet nordsøen østersøen vesterhavet kattegat
    skagerrak lillebælt storebælt øresund nordeuropa vesteuropa sydeuropa østeuropa
    nordvesteuropa centraleuropa mellemeuropa
    ringkøbing skjern herning ikast brande lemvig varde hvide sande grindsted vejen
    odder hadsten hinnerup skanderborg galten hammel ebeltoft ry hobro aars farsø nibe
    brønderslev sæby dronninglund frederikshavn løgstør fjerritslev mariager kjellerup
    bjerringbro hedensted juelsminde vojens rødekro gråsten nordborg augustenborg padborg
    kerteminde bogense nakskov maribo rødby stege sorø korsør haslev faxe greve solrød
    ishøj albertslund rødovre gladsaxe dragør farum værløse birkerød allerød fredensborg
    helsinge gilleleje hundested frederiksværk rønne nexø brædstrup tørring bramming
    ølgod videbæk struer spøttrup morsø nykøbing mors ærø marstal langeland rudkøbing
    germany tyskland sweden sverige norway norge finland iceland faroe færøerne
    greenland grønland netherlands holland nederlandene belgium belgien france frankrig
    spain spanien italy italien poland polen uk britain england storbritannien ireland
    irland scotland skotland usa america amerika american amerikansk canada china kina
    japan india indien asia asien africa afrika australia australien baltic baltikum
    rotterdam hamburg london berlin oslo stockholm malmö göteborg gothenburg helsinki
    paris amsterdam
    north northern south southern east eastern west western nord syd øst vest"""
)
#: What is left of an English contraction when the apostrophe splits it ("we're" -> "we",
#: "re"; "world's" -> "world", "s"): no word, so never named as a reason.
CONTRACTION_TAILS = frozenset({"re", "ve", "ll", "s", "t", "d", "m"})
UNEXPLAINING_WORDS = UNEXPLAINING_WORDS | CONTRACTION_TAILS

#: Words that alone say nothing about the trade but that a phrase may hold ("internet of
#: things", "fintech startup"): they are quoted inside a phrase, never make a text routable.
LIGHT_WORDS = _word_set("""ting tingene things stuff startup startups""")
#: Words that do not make a description say something: it needs a word outside this set.
NO_MEANING_ALONE = UNEXPLAINING_WORDS | LIGHT_WORDS

_DANISH_LETTERS = frozenset("æøå")
# Word endings typical of one language only; they break ties in texts with few function words.
_DA_ENDINGS = (
    "ning",
    "ninger",
    "hed",
    "heder",
    "else",
    "lige",
    "ige",
    "erne",
    "ende",
    "isk",
    "ere",
)
_EN_ENDINGS = ("ing", "tion", "tions", "ment", "ness", "ly", "ies", "ed", "ity", "ers")


def _fold_table() -> dict[int, str]:
    """Map accented Latin letters to plain ones, keeping æ, ø and å (Danish letters).

    German and Swedish ä/ö become æ/ø so that loan names match their Danish spelling.
    """
    table: dict[int, str] = {}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        low = ch.lower()
        if low in _DANISH_LETTERS or not ch.isalpha():
            continue
        if low in "äö":
            table[cp] = {"ä": "æ", "ö": "ø"}[low]
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c)
        )
        if base and base != low and base.isascii():
            table[cp] = base
    table.update({ord("ß"): "ss", ord("Æ"): "æ", ord("Ø"): "ø", ord("Å"): "å"})
    return table


_FOLD = _fold_table()
_WORD = re.compile(r"[a-z0-9æøå]*[a-zæøå][a-z0-9æøå]*")
# Runs of letters and digits, plus the record separator that joins a batch (never allowed in a
# description). Pure numbers are kept here because the simpler pattern is faster; the model maps
# them to a no-feature row, which matches :func:`tokens` dropping them.
_BATCH_TOKEN = re.compile(r"[a-z0-9æøå]+|[\x1d\x1e\x1f]")
#: The mark of a sentence break in a batch (``"\x1f"``, which a checked description cannot
#: contain). A sentence ends at . ! or ? followed by space and a capital letter, a digit or a
#: quote, so abbreviations inside a sentence ("bl.a. møbler", "e.g. sensors") do not split it.
SENTENCE_MARK = "\x1f"
#: A token that stands where a comma, colon, semicolon or dash parts two words inside a
#: sentence. It is a neutral word to the model (no feature, no break, no vote), so scores do not
#: change; it only keeps an explanation's phrase from growing across the mark, so that what is
#: quoted stands in the text ("separators pasteurisers" was quoted from "separators,
#: pasteurisers"; session 11).
CLAUSE_MARK = "\x1d"
_CLAUSE_MARKS = re.compile(r"[,;:](?=\s)|\s[-–—](?=\s)")
SENTENCE_END = re.compile(r"(?<=[.!?])[ \t\r]+(?=[\"'“(A-ZÆØÅ0-9])|\n[ \t\r\n]*")
# The same breaks, found in one pass over a joined batch. Every alternative starts with one of
# . ! ? or a line break, which lets the engine skip to those characters (an alternative that may
# start with a space made it try every position: 20 µs a description); ``\s`` would also
# match the batch separator, which must stay. The punctuation goes with the break (it is no
# token), so the replacement is a plain string.
_SENTENCE_MARKS = re.compile(r"[.!?][ \t\r]+(?=[\"'“(A-ZÆØÅ0-9])|\n[ \t\r\n]*")
# Control characters other than tab and line breaks, surrogates, private use, unassigned, and
# the replacement character that marks undecodable bytes.
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd]")


def check_text(text: object, field: str = "text") -> str:
    """Return ``text`` if the router can read it, else raise :class:`RoutingInputError`."""
    if not isinstance(text, str):
        raise RoutingInputError(
            field,
            Text(
                da=f"beskrivelsen skal være tekst, ikke {type(text).__name__}",
                en=f"the description must be text, not {type(text).__name__}",
            ),
        )
    if len(text) > MAX_CHARS:
        raise RoutingInputError(
            field,
            Text(
                da=(
                    f"beskrivelsen er {len(text):,} tegn lang; grænsen er {MAX_CHARS:,} tegn"
                ).replace(",", "."),
                en=f"the description is {len(text):,} characters long; the limit is {MAX_CHARS:,}",
            ),
        )
    if not text or text.isspace():
        raise RoutingInputError(
            field,
            Text(da="beskrivelsen er tom", en="the description is empty"),
        )
    bad = _BAD_CHAR.search(text)
    if bad is not None:
        raise RoutingInputError(
            field,
            Text(
                da=(
                    f"beskrivelsen indeholder binære data eller kontroltegn "
                    f"(U+{ord(bad.group()):04X} ved position {bad.start() + 1})"
                ),
                en=(
                    f"the description contains binary data or control characters "
                    f"(U+{ord(bad.group()):04X} at position {bad.start() + 1})"
                ),
            ),
        )
    if not any(ch.isalpha() for ch in text):
        raise RoutingInputError(
            field,
            Text(da="beskrivelsen indeholder ingen ord", en="the description contains no words"),
        )
    return text


_NEEDS_FOLD = re.compile(r"[^\x00-\x7fæøå]")


def fold(text: str) -> str:
    """Lower-case and strip accents other than the Danish letters, so spellings meet."""
    low = text.lower()
    # translate() looks up every character; most descriptions have nothing to fold.
    return low.translate(_FOLD) if _NEEDS_FOLD.search(low) else low


def tokens(folded: str) -> list[str]:
    """Words with at least one letter; numbers alone say nothing about an industry."""
    return _WORD.findall(folded)


def batch_tokens(texts: list[str], sentences: bool = False) -> list[str]:
    """Tokens of many checked descriptions, each description followed by ``"\x1e"``.

    With ``sentences``, a :data:`SENTENCE_MARK` token stands between the sentences of a
    description (found before lower-casing, which the rule needs), and a :data:`CLAUSE_MARK`
    where a comma, colon, semicolon or dash parts two words.
    """
    if sentences:
        joined = _SENTENCE_MARKS.sub(" \x1f ", "\x1e".join(texts))
        texts = _CLAUSE_MARKS.sub(" \x1d ", joined).split("\x1e")
    # Folding text by text lets translate() run only on the texts that need it.
    return _BATCH_TOKEN.findall("\x1e".join([fold(t) for t in texts]) + "\x1e")


def detect_language(words: list[str]) -> Language:
    """Danish or English from function words, with æ/ø/å as the tie-breaker.

    Measured on the 227 descriptions of the evaluation set and the training examples (see
    docs/routing.md): one vote per function word is enough for 1-3 sentence descriptions; for a
    few keywords with no function word, Danish letters decide, and English is the fallback.
    """
    da = en = 0
    for w in words:
        if w in DA_WORDS:
            da += 1
        elif w in EN_WORDS:
            en += 1
    if da != en:
        return "da" if da > en else "en"
    if any(ch in _DANISH_LETTERS for w in words for ch in w):
        return "da"
    da = sum(1 for w in words if w.endswith(_DA_ENDINGS))
    en = sum(1 for w in words if w.endswith(_EN_ENDINGS))
    return "da" if da > en else "en"


def content_words(words: list[str]) -> list[str]:
    """Drop function words: they decide the language, not the industry."""
    return [w for w in words if w not in STOPWORDS]
