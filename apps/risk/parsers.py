"""Readers for the official sanctions list formats. Pure: they read files and return a ``ParsedList`` or raise
``ListFileError`` for the whole file (nothing is loaded from a file with any bad part).

- ``ofac-sdn-csv``: OFAC's SDN list as published in CSV, ``sdn.csv`` (12 columns: ``ent_num, SDN_Name,
  SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks``; ``-0-`` is
  empty) with its companion ``alt.csv`` (5 columns: ``ent_num, alt_num, alt_type, alt_name, alt_remarks``) for
  the aliases. Dates of birth are read from the remarks (``DOB 10 Dec 1948``, ``DOB circa 1960``, ``DOB 1955 to
  1957``). Both files end with OFAC's end-of-file mark (a line holding only ``0x1A``): a file without it was
  cut short and is refused, as is any row with the wrong number of columns, a non-numeric or repeated
  ``ent_num``, an empty name, or an alias of an entry ``sdn.csv`` does not have. The CSV carries no
  publication date: the caller gives the list date (the command defaults to the file's modification date).
- ``eu-consolidated-xml``: the EU's consolidated financial sanctions list (FSF XML, namespace
  ``http://eu.europa.ec/fpi/fsd/export``): ``<export generationDate=...>`` holding ``<sanctionEntity
  logicalId=...>`` with ``<subjectType code=...>``, ``<nameAlias wholeName=... firstName lastName ...>`` and
  ``<birthdate birthdate="YYYY-MM-DD" year=... monthOfYear=...>``. The list date is ``generationDate``. XML that
  does not parse (a cut-short file), another root element, an entity without ``logicalId`` or without any name
  is refused. Parsed with ``defusedxml`` (no entity expansion, no external entities).
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

OFAC_SDN_CSV = "ofac-sdn-csv"
EU_CONSOLIDATED_XML = "eu-consolidated-xml"
FORMATS = (OFAC_SDN_CSV, EU_CONSOLIDATED_XML)
SOURCE_OF_FORMAT = {OFAC_SDN_CSV: "ofac_sdn", EU_CONSOLIDATED_XML: "eu_consolidated"}

OFAC_NULL = "-0-"
OFAC_END = "\x1a"
OFAC_SDN_COLUMNS = 12
OFAC_ALT_COLUMNS = 5
MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1
)}  # fmt: skip
DOB = re.compile(r"\bDOB (?:circa )?(?:(\d{1,2}) )?(?:([A-Z][a-z]{2}) )?(\d{4})(?: to (\d{4}))?")
MAX_DOB_RANGE_YEARS = 20
EU_NS = "{http://eu.europa.ec/fpi/fsd/export}"


class ListFileError(ValueError):
    """The file is not a complete list in the format given; nothing of it may be loaded."""


@dataclass(frozen=True)
class ParsedEntry:
    """One listed person, entity, vessel or aircraft: the source's id, its kind, its names (primary first)
    and dates of birth (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), and its programmes."""

    uid: str
    kind: str
    names: tuple[str, ...]
    dates_of_birth: tuple[str, ...]
    programs: str


@dataclass(frozen=True)
class ParsedList:
    """A whole list file read: where it comes from, its date, its entries and the SHA-256 of its bytes."""

    source: str
    list_date: date
    entries: tuple[ParsedEntry, ...]
    digest: str


def _read_text(path: Path) -> tuple[bytes, str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ListFileError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw, raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ListFileError(f"{path.name}: neither UTF-8 nor Windows-1252 text.")  # pragma: no cover - cp1252 decodes ~all


def _ofac_rows(path: Path, text: str, columns: int) -> list[tuple[int, list[str]]]:
    """The rows of an OFAC CSV file before its end-of-file mark, with their line numbers, each checked to have
    ``columns`` fields; ``-0-`` becomes empty."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    ended = False
    try:
        for row in reader:
            line = reader.line_num
            if not row or row == [""]:
                continue
            if ended:
                raise ListFileError(f"{path.name} line {line}: data after the end-of-file mark.")
            if len(row) == 1 and row[0].strip() == OFAC_END:
                ended = True
                continue
            if len(row) != columns:
                raise ListFileError(f"{path.name} line {line}: {len(row)} columns, expected {columns}.")
            rows.append((line, ["" if value.strip() == OFAC_NULL else value.strip() for value in row]))
    except csv.Error as exc:
        raise ListFileError(f"{path.name} line {reader.line_num}: not valid CSV ({exc}).") from exc
    if not ended:
        raise ListFileError(f"{path.name}: no end-of-file mark (0x1A); the file was cut short.")
    return rows


def _ofac_dobs(remarks: str) -> tuple[str, ...]:
    found: list[str] = []
    for day, month, year, until in DOB.findall(remarks):
        if until and 0 < int(until) - int(year) <= MAX_DOB_RANGE_YEARS:
            found.extend(str(value) for value in range(int(year), int(until) + 1))
        elif month in MONTHS:
            found.append(f"{year}-{MONTHS[month]:02d}" + (f"-{int(day):02d}" if day else ""))
        else:
            found.append(year)
    return tuple(dict.fromkeys(found))


def parse_ofac_sdn(sdn: Path, *, alt: Path | None, list_date: date) -> ParsedList:
    """Read ``sdn.csv`` and, when given, its ``alt.csv``. Raises ``ListFileError``."""
    raw, text = _read_text(sdn)
    digest = hashlib.sha256(raw)
    names: dict[str, list[str]] = {}
    details: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for line, row in _ofac_rows(sdn, text, OFAC_SDN_COLUMNS):
        uid, name, kind, programs, remarks = row[0], row[1], row[2], row[3], row[11]
        if not uid.isdigit():
            raise ListFileError(f"{sdn.name} line {line}: ent_num {uid!r} is not a number.")
        if uid in names:
            raise ListFileError(f"{sdn.name} line {line}: ent_num {uid} appears twice.")
        if not name:
            raise ListFileError(f"{sdn.name} line {line}: entry {uid} has no name.")
        names[uid] = [name]
        details[uid] = (kind.lower() or "entity", programs, _ofac_dobs(remarks))
    if not names:
        raise ListFileError(f"{sdn.name}: no entries.")
    if alt is not None:
        alt_raw, alt_text = _read_text(alt)
        digest.update(alt_raw)
        for line, row in _ofac_rows(alt, alt_text, OFAC_ALT_COLUMNS):
            uid, alias = row[0], row[3]
            if uid not in names:
                raise ListFileError(f"{alt.name} line {line}: alias of entry {uid!r}, which {sdn.name} does not list.")
            if not alias:
                raise ListFileError(f"{alt.name} line {line}: empty alias.")
            names[uid].append(alias)
    entries = tuple(
        ParsedEntry(uid=uid, kind=details[uid][0], names=tuple(names[uid]), dates_of_birth=details[uid][2],
                    programs=details[uid][1])
        for uid in names
    )  # fmt: skip
    return ParsedList(source="ofac_sdn", list_date=list_date, entries=entries, digest=digest.hexdigest())


def _eu_names(entity: Element, uid: str) -> tuple[str, ...]:
    names: list[str] = []
    for alias in entity.iter(f"{EU_NS}nameAlias"):
        whole = (alias.get("wholeName") or "").strip()
        if not whole:
            parts = (alias.get(part, "").strip() for part in ("firstName", "middleName", "lastName"))
            whole = " ".join(part for part in parts if part)
        if whole and whole not in names:
            names.append(whole)
    if not names:
        raise ListFileError(f"sanctionEntity {uid}: no nameAlias with a name.")
    return tuple(names)


def _eu_dobs(entity: Element) -> tuple[str, ...]:
    found: list[str] = []
    for birth in entity.iter(f"{EU_NS}birthdate"):
        full, year, month = birth.get("birthdate", ""), birth.get("year", ""), birth.get("monthOfYear", "")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", full):
            found.append(full)
        elif re.fullmatch(r"\d{4}", year):
            found.append(f"{year}-{int(month):02d}" if month.isdigit() and 1 <= int(month) <= 12 else year)
    return tuple(dict.fromkeys(found))


def parse_eu_consolidated(path: Path) -> ParsedList:
    """Read the EU consolidated list (FSF XML). Raises ``ListFileError``."""
    raw, _ = _read_text(path)
    try:
        root = ElementTree.fromstring(raw)
    except (ParseError, DefusedXmlException) as exc:
        raise ListFileError(f"{path.name}: not well-formed XML ({exc}); the file may be cut short.") from exc
    if root.tag != f"{EU_NS}export":
        raise ListFileError(f"{path.name}: the root element is {root.tag!r}, not the EU list's export.")
    try:
        list_date = datetime.fromisoformat(root.get("generationDate", "")[:10]).date()
    except ValueError as exc:
        raise ListFileError(f"{path.name}: export has no valid generationDate.") from exc
    entries: list[ParsedEntry] = []
    seen: set[str] = set()
    for entity in root.iter(f"{EU_NS}sanctionEntity"):
        uid = (entity.get("logicalId") or "").strip()
        if not uid:
            raise ListFileError(f"{path.name}: a sanctionEntity has no logicalId.")
        if uid in seen:
            raise ListFileError(f"{path.name}: sanctionEntity {uid} appears twice.")
        seen.add(uid)
        subject = entity.find(f"{EU_NS}subjectType")
        regulation = entity.find(f"{EU_NS}regulation")
        entries.append(
            ParsedEntry(
                uid=uid,
                kind=(subject.get("code", "") if subject is not None else "") or "entity",
                names=_eu_names(entity, uid),
                dates_of_birth=_eu_dobs(entity),
                programs=(regulation.get("programme", "") if regulation is not None else ""),
            )
        )
    if not entries:
        raise ListFileError(f"{path.name}: no sanctionEntity elements.")
    return ParsedList(
        source="eu_consolidated", list_date=list_date, entries=tuple(entries), digest=hashlib.sha256(raw).hexdigest()
    )
