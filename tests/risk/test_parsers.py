# ruff: noqa: RUF001 - names in Cyrillic, Arabic and Chinese are the point of these tests
"""The list readers: OFAC's SDN CSV (with its aliases file) and the EU consolidated XML, and every way a file
is refused whole."""

from datetime import date
from pathlib import Path

import pytest

from apps.risk.parsers import ListFileError, parse_eu_consolidated, parse_ofac_sdn

DATA = Path(__file__).parent / "data"
SDN, ALT, EU = DATA / "ofac" / "sdn.csv", DATA / "ofac" / "alt.csv", DATA / "eu" / "eu_consolidated.xml"
DAY = date(2026, 12, 1)


def _copy(tmp_path: Path, source: Path, text: str | None = None, name: str | None = None) -> Path:
    target = tmp_path / (name or source.name)
    target.write_bytes(source.read_bytes() if text is None else text.encode())
    return target


class TestOfacSdn:
    def test_reads_entries_aliases_kinds_and_dates_of_birth(self):
        parsed = parse_ofac_sdn(SDN, alt=ALT, list_date=DAY)
        entries = {entry.uid: entry for entry in parsed.entries}
        assert (parsed.source, parsed.list_date, len(entries)) == ("ofac_sdn", DAY, 11)
        assert entries["10003"].names == (
            "BIN LADIN, Usama bin Muhammad bin Awad",
            "BIN LADEN, Osama",
            "AL-QAQA, Abu Abdallah",
        )
        assert entries["10003"].dates_of_birth == ("1957-07-30", "1958")
        assert entries["10001"].kind == "individual"
        assert entries["10009"].kind == "entity"  # -0- in SDN_Type
        assert entries["10010"].kind == "vessel"
        assert entries["10006"].dates_of_birth == ("1979",)  # circa
        assert entries["10007"].dates_of_birth == ("1961", "1962", "1963")  # a range
        assert entries["10008"].dates_of_birth == ("1970-03",)
        assert len(parsed.digest) == 64

    def test_without_the_aliases_file_only_primary_names(self):
        parsed = parse_ofac_sdn(SDN, alt=None, list_date=DAY)
        assert all(len(entry.names) == 1 for entry in parsed.entries)

    def test_a_file_cut_short_at_a_row_boundary_is_refused(self, tmp_path):
        lines = SDN.read_text().splitlines(keepends=True)
        cut = _copy(tmp_path, SDN, "".join(lines[:5]))
        with pytest.raises(ListFileError, match="end-of-file mark"):
            parse_ofac_sdn(cut, alt=None, list_date=DAY)

    def test_a_file_cut_short_inside_a_quoted_field_is_refused(self, tmp_path):
        text = SDN.read_text()
        cut = _copy(tmp_path, SDN, text[: text.index("POB Jeddah")])
        with pytest.raises(ListFileError, match=r"sdn\.csv line \d+"):
            parse_ofac_sdn(cut, alt=None, list_date=DAY)

    @pytest.mark.parametrize(
        ("row", "message"),
        [
            ('77,"SHORT ROW","individual"\r\n', "3 columns, expected 12"),
            ('x1,"NAME",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "is not a number"),
            ('306,"AGAIN",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "appears twice"),
            ('78,-0- ,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "has no name"),
        ],
    )
    def test_a_bad_row_anywhere_refuses_the_whole_file(self, tmp_path, row, message):
        text = SDN.read_text()
        bad = _copy(tmp_path, SDN, text.replace("\x1a", row + "\x1a"))
        with pytest.raises(ListFileError, match=message):
            parse_ofac_sdn(bad, alt=None, list_date=DAY)

    def test_rows_after_the_end_mark_are_refused(self, tmp_path):
        bad = _copy(
            tmp_path, SDN, SDN.read_text() + '79,"LATE",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        )
        with pytest.raises(ListFileError, match="after the end-of-file mark"):
            parse_ofac_sdn(bad, alt=None, list_date=DAY)

    def test_an_alias_of_an_unlisted_entry_is_refused(self, tmp_path):
        alt = _copy(tmp_path, ALT, ALT.read_text().replace("\x1a", '99999,1,"a.k.a.","GHOST",-0- \r\n\x1a'))
        with pytest.raises(ListFileError, match="alias of entry '99999'"):
            parse_ofac_sdn(SDN, alt=alt, list_date=DAY)

    def test_an_empty_file_is_refused(self, tmp_path):
        with pytest.raises(ListFileError):
            parse_ofac_sdn(_copy(tmp_path, SDN, ""), alt=None, list_date=DAY)
        with pytest.raises(ListFileError, match="no entries"):
            parse_ofac_sdn(_copy(tmp_path, SDN, "\x1a\r\n"), alt=None, list_date=DAY)


class TestEuConsolidated:
    def test_reads_names_aliases_kinds_birthdates_and_the_generation_date(self):
        parsed = parse_eu_consolidated(EU)
        entries = {entry.uid: entry for entry in parsed.entries}
        assert (parsed.source, parsed.list_date) == ("eu_consolidated", date(2026, 11, 30))
        assert entries["13"].names == ("Saddam Hussein Al-Tikriti", "Abu Ali")
        assert entries["13"].dates_of_birth == ("1937-04-28",)
        assert entries["7040"].names == ("Vladimir Vladimirovich Putin", "Владимир Владимирович Путин")
        assert entries["5500"].kind == "enterprise"
        # No wholeName: the parts; only a year and month of birth.
        assert entries["8100"].names == ("Jürgen Łukaszewski",)
        assert entries["8100"].dates_of_birth == ("1968-03",)
        assert entries["13"].programs == "IRQ"

    def test_a_file_cut_short_is_refused(self, tmp_path):
        text = EU.read_text()
        with pytest.raises(ListFileError, match="not well-formed XML"):
            parse_eu_consolidated(_copy(tmp_path, EU, text[: text.index('logicalId="7040"')]))

    def test_another_document_is_refused(self, tmp_path):
        with pytest.raises(ListFileError, match="root element"):
            parse_eu_consolidated(_copy(tmp_path, EU, "<?xml version='1.0'?><sdnList/>"))

    def test_an_entity_without_a_name_is_refused(self, tmp_path):
        text = EU.read_text().replace('wholeName="Almaz-Antey Air and Space Defence Corporation"', 'wholeName=""')
        text = text.replace('wholeName="Концерн ВКО Алмаз-Антей"', 'wholeName=""')
        with pytest.raises(ListFileError, match="sanctionEntity 5500: no nameAlias"):
            parse_eu_consolidated(_copy(tmp_path, EU, text))

    def test_entity_expansion_is_refused(self, tmp_path):
        bomb = (
            '<?xml version="1.0"?><!DOCTYPE export [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-11-30">&b;</export>'
        )
        with pytest.raises(ListFileError):
            parse_eu_consolidated(_copy(tmp_path, EU, bomb))

    def test_no_entities_is_refused(self, tmp_path):
        empty = '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-11-30T10:00:00"/>'
        with pytest.raises(ListFileError, match="no sanctionEntity"):
            parse_eu_consolidated(_copy(tmp_path, EU, empty))
