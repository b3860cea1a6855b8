"""``manage.py load_sanctions_list``: each load a new version, active at once and in one step; a bad file is
refused whole and the active version stays; the list date and version are shown to staff."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.risk.models import SanctionsEntry, SanctionsList
from apps.risk.selectors import screen_name

DATA = Path(__file__).parent / "data"
SDN, EU = DATA / "ofac" / "sdn.csv", DATA / "eu" / "eu_consolidated.xml"

pytestmark = pytest.mark.django_db


def load(path: Path, list_format: str, *args: str) -> str:
    out = StringIO()
    call_command("load_sanctions_list", str(path), "--format", list_format, *args, stdout=out)
    return out.getvalue()


def active(source: str) -> SanctionsList:
    return SanctionsList.objects.get(source=source, is_active=True)


class TestLoadSanctionsList:
    def test_an_ofac_file_with_its_aliases_becomes_the_active_version(self):
        output = load(SDN, "ofac-sdn-csv", "--list-date", "2026-12-01")
        loaded = active("ofac_sdn")
        assert (loaded.version, loaded.list_date.isoformat(), loaded.entry_count) == (1, "2026-12-01", 11)
        assert "OFAC SDN version 1 dated 2026-12-01: 11 entries, now active" in output
        # alt.csv beside sdn.csv was read
        assert SanctionsEntry.objects.get(sanctions_list=loaded, uid="10003").aliases == [
            "BIN LADEN, Osama",
            "AL-QAQA, Abu Abdallah",
        ]
        assert loaded.loaded_at is not None and len(loaded.digest) == 64

    def test_an_eu_file_takes_its_date_from_the_file(self):
        load(EU, "eu-consolidated-xml")
        loaded = active("eu_consolidated")
        assert (loaded.list_date.isoformat(), loaded.entry_count) == ("2026-11-30", 4)

    def test_a_second_load_replaces_the_first_and_keeps_it_inactive(self):
        load(SDN, "ofac-sdn-csv", "--list-date", "2026-12-01")
        load(SDN, "ofac-sdn-csv", "--list-date", "2026-12-02")
        versions = list(SanctionsList.objects.filter(source="ofac_sdn").order_by("version"))
        assert [(v.version, v.is_active, v.list_date.day) for v in versions] == [(1, False, 1), (2, True, 2)]
        # The lists of other sources are not touched.
        load(EU, "eu-consolidated-xml")
        assert active("ofac_sdn").version == 2

    def test_screening_uses_the_new_version_once_loaded(self, tmp_path):
        load(SDN, "ofac-sdn-csv", "--list-date", "2026-12-01")
        assert screen_name(name="Vladimir Putin", environment_kind="live")[0].entry.uid == "10001"
        # A new version without that entry (and allowed to be much shorter).
        lines = SDN.read_text().splitlines(keepends=True)
        smaller = tmp_path / "sdn.csv"
        smaller.write_text(lines[0] + lines[-1])
        load(smaller, "ofac-sdn-csv", "--list-date", "2026-12-02", "--allow-shrink")
        assert screen_name(name="Vladimir Putin", environment_kind="live") == []

    def test_a_malformed_file_is_refused_whole_and_the_active_version_stays(self, tmp_path):
        load(SDN, "ofac-sdn-csv", "--list-date", "2026-12-01")
        text = SDN.read_text()
        broken = tmp_path / "sdn.csv"
        broken.write_text(text[: text.index("POB Jeddah")])
        entries = SanctionsEntry.objects.count()
        with pytest.raises(CommandError, match="Nothing was loaded; the active list is unchanged"):
            load(broken, "ofac-sdn-csv", "--list-date", "2026-12-02")
        assert (SanctionsList.objects.count(), SanctionsEntry.objects.count()) == (1, entries)
        assert active("ofac_sdn").version == 1

    def test_a_cut_short_eu_file_is_refused(self, tmp_path):
        load(EU, "eu-consolidated-xml")
        broken = tmp_path / "eu.xml"
        broken.write_text(EU.read_text()[:1500])
        with pytest.raises(CommandError, match="not well-formed XML"):
            load(broken, "eu-consolidated-xml")
        assert SanctionsList.objects.filter(source="eu_consolidated").count() == 1

    def test_a_list_less_than_half_the_active_one_is_refused_without_allow_shrink(self, tmp_path):
        load(SDN, "ofac-sdn-csv", "--list-date", "2026-12-01")
        lines = SDN.read_text().splitlines(keepends=True)
        smaller = tmp_path / "sdn.csv"
        smaller.write_text("".join(lines[:3]) + lines[-1])
        with pytest.raises(CommandError, match="3 entries against 11 in the active version"):
            load(smaller, "ofac-sdn-csv", "--list-date", "2026-12-02")
        assert active("ofac_sdn").version == 1

    def test_an_alias_file_that_is_wrong_refuses_the_load(self, tmp_path):
        (tmp_path / "sdn.csv").write_bytes(SDN.read_bytes())
        (tmp_path / "alt.csv").write_text('1,2,"a.k.a.","NOBODY",-0- \r\n\x1a\r\n')
        with pytest.raises(CommandError, match="alias of entry '1'"):
            load(tmp_path / "sdn.csv", "ofac-sdn-csv", "--list-date", "2026-12-01")
        assert not SanctionsList.objects.exists()

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (("--list-date", "yesterday"), "is not a date"),
            (("--alt", "/nonexistent/alt.csv"), "no such file"),
        ],
    )
    def test_bad_options_are_refused(self, args, message):
        with pytest.raises(CommandError, match=message):
            load(SDN, "ofac-sdn-csv", *args)

    def test_a_missing_file_is_refused(self):
        with pytest.raises(CommandError, match="no such file"):
            load(DATA / "missing.csv", "ofac-sdn-csv")


class TestStaffView:
    def test_staff_see_each_version_with_its_date_and_size(self, client, django_user_model):
        load(SDN, "ofac-sdn-csv", "--list-date", "2026-12-01")
        staff = django_user_model.objects.create_user(username="staff", password="x", is_staff=True, is_superuser=True)
        client.force_login(staff)
        response = client.get("/admin/risk/sanctionslist/")
        assert response.status_code == 200
        body = response.content.decode()
        assert ("Dec. 1, 2026" in body and ">11<" in body and "ofac_sdn" in body) or "OFAC SDN" in body


class TestFactories:
    def test_each_factory_makes_its_row_as_the_platform_does(self):
        from tests.risk.factories import SanctionsEntryFactory, SanctionsListFactory, ScreeningHitFactory

        assert SanctionsListFactory(names=("A Person", "B Person")).entry_count == 2
        assert SanctionsEntryFactory(name="C Person").name == "C Person"
        hit = ScreeningHitFactory(name="Dora Listed")
        assert (hit.subject, hit.holder.status, hit.matched_name) == ("holder", "frozen", "Dora Listed")
