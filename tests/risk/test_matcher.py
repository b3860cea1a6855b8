"""Normalisation and the fuzzy matcher: transliteration, honorifics, word order, aliases, dates of birth, and
the explanation each match carries. No database: the matcher is built from the test lists as parsed."""

from datetime import date
from pathlib import Path

import pytest

from apps.risk.matcher import DOB_MATCH_BONUS, DOB_MISMATCH_PENALTY, HIT_THRESHOLD, ListedEntry, Matcher
from apps.risk.normalise import EmptyName, normalise
from apps.risk.parsers import parse_eu_consolidated, parse_ofac_sdn

DATA = Path(__file__).parent / "data"


def listed_entries() -> list[ListedEntry]:
    ofac = parse_ofac_sdn(DATA / "ofac" / "sdn.csv", alt=DATA / "ofac" / "alt.csv", list_date=date(2026, 12, 1))
    eu = parse_eu_consolidated(DATA / "eu" / "eu_consolidated.xml")
    return [
        ListedEntry(list_id=number, source=parsed.source, uid=entry.uid, kind=entry.kind, names=entry.names,
                    dates_of_birth=entry.dates_of_birth)
        for number, parsed in enumerate((ofac, eu), start=1)
        for entry in parsed.entries
    ]  # fmt: skip


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(listed_entries())


def best(matcher: Matcher, name: str, **kwargs):
    matches = matcher.screen(name, **kwargs)
    return matches[0] if matches else None


class TestNormalise:
    def test_case_diacritics_punctuation_titles_and_word_order(self):
        assert normalise("Dr. Hans-Jürgen  MÜLLER").key == normalise("muller, hans jurgen").key == "hans jurgen muller"

    def test_apostrophes_join_and_the_arabic_article_is_dropped(self):
        assert normalise("Seán O'Brien").key == "obrien sean"
        assert normalise("Bashar al-Assad").key == normalise("ASSAD, Bashar").key

    def test_non_latin_scripts_are_transliterated_and_named(self):
        cyrillic = normalise("Владимир Путин")
        assert (cyrillic.key, cyrillic.scripts) == ("putin vladimir", frozenset({"CYRILLIC"}))
        chinese = normalise("李晓明")  # syllables run together by the transliteration are split
        assert (chinese.key, chinese.scripts) == ("li ming xiao", frozenset({"CJK"}))
        arabic = normalise("أسامة بن لادن")
        assert (arabic.skeleton, arabic.scripts) == ("bn ldn smh", frozenset({"ARABIC"}))  # vowels mostly unwritten

    @pytest.mark.parametrize("name", ["", "   ", "---", "Mr.", "Dr. Sheikh", "\u200b"])
    def test_empty_names_are_refused(self, name):
        with pytest.raises(EmptyName):
            normalise(name)


class TestMatcher:
    def test_an_exact_name_matches_with_its_reasons(self, matcher):
        match = best(matcher, "Vladimir Vladimirovich Putin")
        assert match is not None and match.score == 100 and match.entry.uid in {"10001", "7040"}
        assert match.reasons[0].startswith("listed name 'PUTIN, Vladimir Vladimirovich' scored 100") or match.reasons[
            0
        ].startswith("listed name 'Vladimir Vladimirovich Putin' scored 100")

    def test_an_alias_match_says_which_alias(self, matcher):
        match = best(matcher, "Osama bin Laden")
        assert match is not None
        assert (match.entry.uid, match.matched_name, match.alias) == ("10003", "BIN LADEN, Osama", True)
        assert "alias 'BIN LADEN, Osama'" in match.reasons[0]

    def test_one_entry_is_one_match_at_its_best_name(self, matcher):
        matches = matcher.screen("Saddam Hussein")
        assert [match.entry.uid for match in matches].count("10002") == 1

    def test_a_date_of_birth_that_matches_raises_the_score(self, matcher):
        without = best(matcher, "Sadam Husein")
        matching = best(matcher, "Sadam Husein", date_of_birth=date(1937, 4, 28))
        assert without is not None and matching is not None
        assert matching.score == min(100, without.score + DOB_MATCH_BONUS)
        assert any("matches the listed 1937-04-28" in reason for reason in matching.reasons)

    def test_a_date_of_birth_that_differs_lowers_the_score_below_a_hit(self, matcher):
        assert best(matcher, "Hassan Mohammed Ali") is not None
        other = matcher.screen("Hassan Mohammed Ali", date_of_birth=date(1990, 5, 5), threshold=0)
        entry = next(match for match in other if match.entry.uid == "10008")
        assert entry.score == 100 - DOB_MISMATCH_PENALTY < HIT_THRESHOLD
        assert "differs from the listed 1970-03" in entry.reasons[-1]

    def test_a_listed_year_or_month_matches_any_date_in_it(self, matcher):
        in_month = best(matcher, "Hassan Mohammed Ali", date_of_birth=date(1970, 3, 30))
        assert in_month is not None and in_month.score == 100
        in_range = best(matcher, "Hans-Juergen Mueller", date_of_birth=date(1962, 1, 1))
        assert in_range is not None and in_range.entry.uid == "10007"

    def test_an_entry_without_a_date_of_birth_is_not_penalised(self, matcher):
        match = best(matcher, "Rosoboronexport OAO", date_of_birth=date(1990, 1, 1))
        assert match is not None and match.score == 100
        assert match.reasons[-1] == "the entry lists no date of birth to compare"

    def test_transliteration_is_explained(self, matcher):
        match = best(matcher, "Башар Асад")
        assert match is not None and match.entry.uid == "10005"
        assert "transliterated from Cyrillic" in " ".join(match.reasons)

    def test_arabic_script_is_compared_by_skeleton(self, matcher):
        match = best(matcher, "أسامة بن لادن")
        assert match is not None and match.entry.uid == "10003" and match.method == "skeleton"

    def test_an_empty_name_is_refused(self, matcher):
        with pytest.raises(EmptyName):
            matcher.screen("  ")

    def test_an_unrelated_name_matches_nothing(self, matcher):
        assert matcher.screen("Emily Thornton") == []

    def test_an_empty_list_matches_nothing(self):
        assert Matcher([]).screen("Vladimir Putin") == []


class TestRemembered:
    """``best_match`` is ``screen(name, limit=1)``'s answer, remembered per matcher for names seen again."""

    def test_a_name_seen_again_is_answered_without_scoring_it_again(self, monkeypatch):
        matcher = Matcher(listed_entries())
        first = matcher.best_match("Vladimir Putin")
        assert first is not None and first == best(matcher, "Vladimir Putin")
        assert matcher.best_match("Ada Lovelace") is None

        monkeypatch.setattr(matcher, "screen", lambda *args, **kwargs: pytest.fail("scored again"))

        assert matcher.best_match("Vladimir Putin") is first
        assert matcher.best_match("Ada Lovelace") is None

    def test_an_empty_name_is_still_refused_each_time(self):
        matcher = Matcher(listed_entries())
        for _ in range(2):
            with pytest.raises(EmptyName):
                matcher.best_match("  ")
