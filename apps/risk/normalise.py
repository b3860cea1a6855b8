"""How a name is made comparable before it is screened (docs/risk.md, "How names are compared").

A name is transliterated to ASCII (``anyascii``: Cyrillic, Greek, Arabic, CJK, diacritics), lower-cased, cut
into words at anything that is not a letter or digit (apostrophes join: ``O'Brien`` is ``obrien``), and
stripped of honorifics and titles and of Arabic's article (``al``, ``el``). Word order is ignored by comparing
the words sorted. Chinese, Japanese and Korean come out of the transliteration as syllables run together
(``JinZhengEn``), so for those scripts the syllables are split, and a Chinese name is also tried with its given
name's syllables joined (``li xiaoming``). Arabic script is written without most vowels, so a name in it is
also compared by its consonant skeleton (``skeleton``) against the listed names' skeletons.
"""

import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

# Titles and honorifics that say nothing about who someone is. Kept small: a word that is also a name
# (``lord``, ``king``) stays, and so do generational suffixes, which tell people apart.
HONORIFICS = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "madam", "mme", "mlle",
        "herr", "frau", "sr", "sra", "srta", "don", "dona", "sheikh", "shaikh", "sheik", "haji", "hajji", "alhaj",
        "alhajj", "mullah", "maulana", "imam", "ayatollah", "sayyid", "rev", "reverend", "fr", "father", "pastor",
        "gen", "general", "col", "colonel", "maj", "major", "capt", "captain", "lt", "lieutenant", "cmdr",
        "admiral", "brig", "sgt", "hon", "honourable", "excellency", "his", "her",
    }
)  # fmt: skip
# Arabic's article, written joined (al-Assad), apart (al Assad) or left out (Assad, Асад): never compared.
ARTICLES = frozenset({"al", "el"})
VOWELS = re.compile(r"[aeiouy]")
REPEATS = re.compile(r"(.)\1+")
NOT_WORD = re.compile(r"[^a-z0-9]+")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Scripts whose transliteration needs handling of its own, found from the characters' Unicode names.
SCRIPTS = ("CYRILLIC", "ARABIC", "GREEK", "HEBREW", "CJK", "HANGUL", "HIRAGANA", "KATAKANA")
SYLLABIC = frozenset({"CJK", "HANGUL", "HIRAGANA", "KATAKANA"})


class EmptyName(ValueError):
    """The name has nothing to compare once normalised (empty, punctuation, or only titles)."""


@dataclass(frozen=True)
class Normalised:
    """A name made comparable: its words (sorted), the words joined (``key``), their consonant skeleton,
    and the non-Latin scripts it was transliterated from."""

    words: tuple[str, ...]
    key: str
    skeleton: str
    scripts: frozenset[str]
    variants: tuple[str, ...] = ()  # other keys the name may be listed under (``variant_keys``)


def scripts_of(text: str) -> frozenset[str]:
    found: set[str] = set()
    for char in text:
        if ord(char) < 0x370:  # Latin and its diacritics: nothing to say
            continue
        name = unicodedata.name(char, "")
        found.update(script for script in SCRIPTS if name.startswith(script))
    return frozenset(found)


def skeleton_of(words: tuple[str, ...]) -> str:
    """The words without vowels and doubled letters (``muhammad`` and Arabic ``mhmd`` are both ``mhmd``)."""
    return " ".join(sorted(REPEATS.sub(r"\1", VOWELS.sub("", word)) or word for word in words))


def normalise(name: str) -> Normalised:
    """Raise ``EmptyName`` when nothing is left to compare."""
    text = unicodedata.normalize("NFKC", name or "")
    scripts = scripts_of(text)
    ascii_text = anyascii(text)
    syllabic = bool(scripts & SYLLABIC)
    if syllabic:
        ascii_text = CAMEL.sub(" ", ascii_text)
    ascii_text = ascii_text.lower().replace("'", "").replace("`", "")
    words = [word for word in NOT_WORD.split(ascii_text) if word]
    kept = tuple(sorted(word for word in words if word not in HONORIFICS and word not in ARTICLES))
    if not kept:
        raise EmptyName("The name is empty once titles and punctuation are removed.")
    variants: tuple[str, ...] = ()
    in_order = [word for word in words if word not in HONORIFICS and word not in ARTICLES]
    if syllabic and len(in_order) >= 3:
        # A Chinese name is a family name and a given name of one or two syllables, listed joined (Xiaoming).
        variants = (" ".join(sorted((in_order[0], "".join(in_order[1:])))),)
    return Normalised(words=kept, key=" ".join(kept), skeleton=skeleton_of(kept), scripts=scripts, variants=variants)
