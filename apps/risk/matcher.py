"""Fuzzy, explainable screening of one name against the loaded sanctions entries, in memory.

``Matcher`` is built once per set of active list versions (``apps.risk.selectors.matcher_for`` keeps it per
process) and then answers ``screen(name)`` without touching the database:

1. The name is normalised (``apps.risk.normalise``): transliterated, lower-cased, honorifics removed, words
   sorted. An empty name is refused (``EmptyName``).
2. **Blocking.** Every listed name and alias is indexed by the first and last three letters of each of its
   words (a word of three letters or fewer by itself). Only listed names sharing a key with the screened name
   are scored, and for a name with ``MIN_KEYS_FOR_TWO`` keys or more only those sharing two keys; a key
   carried by more than ``COMMON_KEY_SHARE`` of all names (``al``, ``mohammed``) is skipped when the name has
   rarer ones. So the work per name is bounded by the names that share a word's beginning or end, not by the
   list's length. A name whose every word has a typo in both its first and last three letters
   is not found: the trade the bench (``bench/sanctions.py``) pays for.
3. **Scoring** (rapidfuzz, 0-100): the sorted words compared as one string (``token_sort_ratio``: typos and word
   order), or, when a typo moved a word in the sort, word by word (each word paired with its most similar);
   when one side has words the other lacks (a middle name), the words they share (``token_set_ratio``, less
   ``PARTIAL_PENALTY``); for a name written in Arabic script, the consonant skeletons (less
   ``SKELETON_PENALTY``). The best of these is the name score.
4. **Dates of birth.** Where both the screening and the entry have one, a match adds ``DOB_MATCH_BONUS`` and a
   mismatch takes ``DOB_MISMATCH_PENALTY`` away. A listed year (or year and month) matches any date in it.
5. An entry is a match at ``threshold`` (``HIT_THRESHOLD``) or above; each match says which name or alias
   matched, with what score, and why (``Match.reasons``).
"""

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from apps.risk.normalise import EmptyName, Normalised, normalise

HIT_THRESHOLD = 85
#: Names whose best match a matcher remembers (``Matcher.best_match``): the parties of transfers repeat.
REMEMBERED_NAMES = 8192
PARTIAL_PENALTY = 8
SKELETON_PENALTY = 5
ALIGN_WITHIN = 20  # names this close below the cutoff as sorted strings are also compared word by word
DOB_MATCH_BONUS = 5
DOB_MISMATCH_PENALTY = 20
COMMON_KEY_SHARE = 0.02
COMMON_KEY_MINIMUM = 200  # below this many names no key counts as common (small lists)
# A name with this many keys or more is compared only with listed names sharing two of them: a listed name
# with a typo in one word still shares that word's other end and the other words' keys.
MIN_KEYS_FOR_TWO = 3

__all__ = ["HIT_THRESHOLD", "EmptyName", "ListedEntry", "Match", "Matcher"]


@dataclass(frozen=True)
class ListedEntry:
    """One entry of a loaded list, as the matcher needs it: its list version and source, the source's own id
    (``uid``), its kind, its names (the first is the primary name, the rest aliases) and dates of birth
    (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``)."""

    list_id: int
    source: str
    uid: str
    kind: str
    names: tuple[str, ...]
    dates_of_birth: tuple[str, ...] = ()
    row_id: int = 0  # the SanctionsEntry row (0 for entries that are not stored)

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class Match:
    """One listed entry that the screened name matched: the final ``score``, the ``matched_name`` as listed
    (``alias`` says whether it is one of the entry's aliases), the name score before dates of birth, and the
    reasons, in order, in plain words for staff."""

    score: int
    entry: ListedEntry
    matched_name: str
    alias: bool
    name_score: int
    method: str
    reasons: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Name:
    entry: int
    listed: str
    alias: bool
    normalised: Normalised


def _keys(words: Iterable[str]) -> set[str]:
    keys = set()
    for word in words:
        if len(word) <= 3:
            keys.add(word)
        else:
            keys.update((word[:3], word[-3:]))
    return keys


def _aligned(left: tuple[str, ...], right: tuple[str, ...], cutoff: int) -> float:
    """Two names of as many words compared word by word, each word with its most similar one (greedily), the
    words' scores weighted by their lengths; 0 below ``cutoff``."""
    pairs = sorted(((fuzz.ratio(a, b), i, j) for i, a in enumerate(left) for j, b in enumerate(right)), reverse=True)
    used_left: set[int] = set()
    used_right: set[int] = set()
    total = weight = 0.0
    for score, i, j in pairs:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        size = len(left[i]) + len(right[j])
        total += score * size
        weight += size
    result = total / weight if weight else 0.0
    return result if result >= cutoff else 0.0


def _dob_matches(listed: str, screened: date) -> bool:
    return screened.isoformat().startswith(listed)


class Matcher:
    """The names of ``entries`` normalised and indexed; ``screen`` is read-only and safe to share between
    threads."""

    def __init__(self, entries: Iterable[ListedEntry]) -> None:
        self.entries: list[ListedEntry] = list(entries)
        self._names: list[_Name] = []
        self._index: dict[str, list[int]] = {}
        self._skeleton_index: dict[str, list[int]] = {}
        for number, entry in enumerate(self.entries):
            seen: set[str] = set()
            for position, listed in enumerate(entry.names):
                try:
                    normalised = normalise(listed)
                except EmptyName:
                    continue
                if normalised.key in seen:
                    continue
                seen.add(normalised.key)
                self._add(_Name(entry=number, listed=listed, alias=position > 0, normalised=normalised))
        self._common = max(COMMON_KEY_MINIMUM, int(len(self._names) * COMMON_KEY_SHARE))
        self._remembered = functools.lru_cache(maxsize=REMEMBERED_NAMES)(self._best)

    def best_match(self, name: str) -> "Match | None":
        """The best match of ``name`` at the hit threshold (``screen(name, limit=1)``), or None; remembered for
        the last ``REMEMBERED_NAMES`` names, since the same holders and counterparties pay again and again (a new
        list version is a new matcher, so nothing remembered outlives its lists). Raises ``EmptyName``."""
        return self._remembered(name)

    def _best(self, name: str) -> "Match | None":
        matches = self.screen(name, limit=1)
        return matches[0] if matches else None

    def _add(self, name: _Name) -> None:
        position = len(self._names)
        self._names.append(name)
        for key in _keys(name.normalised.words):
            self._index.setdefault(key, []).append(position)
        for key in _keys(name.normalised.skeleton.split()):
            self._skeleton_index.setdefault(key, []).append(position)

    def __len__(self) -> int:
        return len(self.entries)

    def _candidates(self, keys: set[str], index: dict[str, list[int]]) -> set[int]:
        postings = sorted((index[key] for key in keys if key in index), key=len)
        rare = [posting for posting in postings if len(posting) <= self._common] or postings[:1]
        if len(keys) < MIN_KEYS_FOR_TWO:
            return {position for posting in rare for position in posting}
        counts = Counter(position for posting in rare for position in posting)
        return {position for position, shared in counts.items() if shared >= 2}

    def screen(
        self, name: str, *, date_of_birth: date | None = None, threshold: int = HIT_THRESHOLD, limit: int = 5
    ) -> list[Match]:
        """The entries ``name`` matches at ``threshold`` or above, best first (at most ``limit``, one match per
        entry: its best name). Raises ``EmptyName``."""
        query = normalise(name)
        arabic = "ARABIC" in query.scripts
        # A date of birth can lift a name score by DOB_MATCH_BONUS: score down to there.
        cutoff = threshold - (DOB_MATCH_BONUS if date_of_birth else 0)
        candidates = self._candidates(_keys(query.words), self._index)
        if arabic:
            candidates |= self._candidates(_keys(query.skeleton.split()), self._skeleton_index)
        best: dict[int, tuple[int, str, _Name]] = {}
        for position in candidates:
            listed = self._names[position]
            scored = self._name_score(query, listed.normalised, arabic=arabic, cutoff=cutoff)
            if scored is None:
                continue
            score, method = scored
            if listed.entry not in best or score > best[listed.entry][0]:
                best[listed.entry] = (score, method, listed)
        matches = []
        for name_score, method, listed in best.values():
            match = self._explain(name, query, listed, name_score, method, date_of_birth)
            if match.score >= threshold:
                matches.append(match)
        matches.sort(key=lambda match: (-match.score, match.entry.uid))
        return matches[:limit]

    @staticmethod
    def _name_score(query: Normalised, listed: Normalised, *, arabic: bool, cutoff: int) -> tuple[int, str] | None:
        best: tuple[int, str] | None = None
        score = max(fuzz.ratio(key, listed.key) for key in (query.key, *query.variants))
        if score < cutoff and score >= cutoff - ALIGN_WITHIN and len(query.words) == len(listed.words) > 1:
            # Sorting puts a misspelt word elsewhere (vladmir after vladimirovich): pair the words instead.
            score = _aligned(query.words, listed.words, cutoff)
        elif score < cutoff:
            score = 0
        if score:
            best = (round(score), "words")
        if len(query.words) >= 2 and len(listed.words) >= 2 and len(query.words) != len(listed.words):
            partial = fuzz.token_set_ratio(query.key, listed.key, score_cutoff=cutoff + PARTIAL_PENALTY)
            if partial and (best is None or partial - PARTIAL_PENALTY > best[0]):
                best = (round(partial) - PARTIAL_PENALTY, "partial")
        if arabic:
            skeleton = fuzz.ratio(query.skeleton, listed.skeleton, score_cutoff=cutoff + SKELETON_PENALTY)
            if skeleton and (best is None or skeleton - SKELETON_PENALTY > best[0]):
                best = (round(skeleton) - SKELETON_PENALTY, "skeleton")
        return best

    def _explain(
        self, screened: str, query: Normalised, listed: _Name, name_score: int, method: str, dob: date | None
    ) -> Match:
        entry = self.entries[listed.entry]
        what = "alias" if listed.alias else "listed name"
        reasons = [f"{what} {listed.listed!r} scored {name_score} against {screened!r}"]
        if query.scripts:
            reasons.append(f"the screened name was transliterated from {', '.join(sorted(query.scripts)).title()}")
        reasons.append(
            {
                "words": "compared word by word in any order, allowing typos",
                "partial": f"one name has words the other lacks: compared on the words they share, less "
                f"{PARTIAL_PENALTY}",
                "skeleton": f"compared by consonant skeleton (Arabic script has few vowels), less {SKELETON_PENALTY}",
            }[method]
        )
        score = name_score
        if dob is not None and entry.dates_of_birth:
            listed_dobs = ", ".join(entry.dates_of_birth)
            if any(_dob_matches(listed_dob, dob) for listed_dob in entry.dates_of_birth):
                score = min(100, score + DOB_MATCH_BONUS)
                reasons.append(f"date of birth {dob.isoformat()} matches the listed {listed_dobs}: +{DOB_MATCH_BONUS}")
            else:
                score = max(0, score - DOB_MISMATCH_PENALTY)
                reasons.append(
                    f"date of birth {dob.isoformat()} differs from the listed {listed_dobs}: -{DOB_MISMATCH_PENALTY}"
                )
        elif dob is not None:
            reasons.append("the entry lists no date of birth to compare")
        return Match(
            score=score,
            entry=entry,
            matched_name=listed.listed,
            alias=listed.alias,
            name_score=name_score,
            method=method,
            reasons=tuple(reasons),
        )
