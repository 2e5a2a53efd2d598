"""Tests for tidings.normalize.orgs: organization names, aliases and user alias files."""

from __future__ import annotations

import itertools
import json
from importlib.resources import files
from pathlib import Path

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.errors import ConfigError
from tidings.normalize.orgs import Organization, OrgTable


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Uzbekistan engages with the Taliban.", [("Taliban", "Taliban")]),
        ("The Taliban sent a delegation.", [("Taliban", "Taliban")]),
        ("Taliban officials arrived in Termez.", [("Taliban", "Taliban")]),
        ("A Taliban-appointed consul took office.", [("Taliban", "Taliban")]),
        ("Trade with Taliban-ruled Afghanistan grew.", [("Taliban", "Taliban")]),
        ("The Taliban’s trade minister spoke.", [("Taliban", "Taliban")]),
        ("Taliban's envoy spoke.", [("Taliban", "Taliban")]),
        ("The Taliban movement was delisted.", [("Taliban movement", "Taliban")]),
        ("Ties with the Taliban regime deepened.", [("Taliban regime", "Taliban")]),
        ("The Taliban administration protested.", [("Taliban administration", "Taliban")]),
        ("Officials of the Islamic Emirate of Afghanistan met.", [("Islamic Emirate of Afghanistan", "Taliban")]),
        ("The Pakistani Taliban claimed the attack.", [("Pakistani Taliban", "Tehrik-i-Taliban Pakistan")]),
        (
            "Tehrik-i-Taliban Pakistan (TTP) was named.",
            [("Tehrik-i-Taliban Pakistan", "Tehrik-i-Taliban Pakistan"), ("TTP", "Tehrik-i-Taliban Pakistan")],
        ),
        ("Tehreek-e-Taliban Pakistan fighters.", [("Tehreek-e-Taliban Pakistan", "Tehrik-i-Taliban Pakistan")]),
        (
            "Courts banned al-Qaeda and Al Qaeda and al-Qaida.",
            [("al-Qaeda", "Al-Qaeda"), ("Al Qaeda", "Al-Qaeda"), ("al-Qaida", "Al-Qaeda")],
        ),
        (
            "Al-Qaeda in the Arabian Peninsula (AQAP).",
            [
                ("Al-Qaeda in the Arabian Peninsula", "Al-Qaeda in the Arabian Peninsula"),
                ("AQAP", "Al-Qaeda in the Arabian Peninsula"),
            ],
        ),
        (
            "ISIS, ISIL and Daesh are one group.",
            [("ISIS", "Islamic State"), ("ISIL", "Islamic State"), ("Daesh", "Islamic State")],
        ),
        ("The Islamic State of Iraq and the Levant.", [("Islamic State of Iraq and the Levant", "Islamic State")]),
        ("Islamic State fighters retreated.", [("Islamic State", "Islamic State")]),
        ("They want an islamic state.", []),
        ("The former Islamic State of Afghanistan.", []),
        (
            "ISIS-K and IS-K and ISKP.",
            [
                ("ISIS-K", "Islamic State Khorasan Province"),
                ("IS-K", "Islamic State Khorasan Province"),
                ("ISKP", "Islamic State Khorasan Province"),
            ],
        ),
        (
            "Islamic State Khorasan Province cells.",
            [("Islamic State Khorasan Province", "Islamic State Khorasan Province")],
        ),
        (
            "The Islamic State – Khorasan Province attack.",
            [("Islamic State – Khorasan Province", "Islamic State Khorasan Province")],
        ),
        (
            "The East Turkestan Islamic Movement (ETIM).",
            [
                ("East Turkestan Islamic Movement", "East Turkestan Islamic Movement"),
                ("ETIM", "East Turkestan Islamic Movement"),
            ],
        ),
        (
            "The Eastern Turkistan Islamic Movement was banned.",
            [("Eastern Turkistan Islamic Movement", "East Turkestan Islamic Movement")],
        ),
        (
            "The East Turkistan Islamic Movement.",
            [("East Turkistan Islamic Movement", "East Turkestan Islamic Movement")],
        ),
        ("Turkistan Islamic Party militants.", [("Turkistan Islamic Party", "East Turkestan Islamic Movement")]),
        ("A TIP video.", []),
        (
            "The Kurdistan People's Congress (Kongra-Gel).",
            [
                ("Kurdistan People's Congress", "Kurdistan People's Congress"),
                ("Kongra-Gel", "Kurdistan People's Congress"),
            ],
        ),
        ("The Kurdistan People’s Congress.", [("Kurdistan People’s Congress", "Kurdistan People's Congress")]),
        ("The KGK and the PKK.", [("KGK", "Kurdistan People's Congress"), ("PKK", "Kurdistan Workers' Party")]),
        ("The Kurdistan Workers' Party.", [("Kurdistan Workers' Party", "Kurdistan Workers' Party")]),
        ("The Kurdistan Workers Party.", [("Kurdistan Workers Party", "Kurdistan Workers' Party")]),
        ("Members of Hizb ut-Tahrir were jailed.", [("Hizb ut-Tahrir", "Hizb ut-Tahrir")]),
        ("The Hizb ut-Tahrir movement.", [("Hizb ut-Tahrir movement", "Hizb ut-Tahrir")]),
        (
            "Hizb-ut-Tahrir and Hizbut-Tahrir leaflets.",
            [("Hizb-ut-Tahrir", "Hizb ut-Tahrir"), ("Hizbut-Tahrir", "Hizb ut-Tahrir")],
        ),
        ("Hizb ut-Tahrir al-Islami.", [("Hizb ut-Tahrir al-Islami", "Hizb ut-Tahrir")]),
        ("The Muslim Brotherhood was listed.", [("Muslim Brotherhood", "Muslim Brotherhood")]),
        ("Hamas and HAMAS but not hamas.", [("Hamas", "Hamas"), ("HAMAS", "Hamas")]),
        ("The Israel-Hamas war.", [("Hamas", "Hamas")]),
        (
            "Hezbollah, Hizbollah and Hizballah.",
            [("Hezbollah", "Hezbollah"), ("Hizbollah", "Hezbollah"), ("Hizballah", "Hezbollah")],
        ),
        ("Kata'ib Hezbollah fired.", [("Kata'ib Hezbollah", "Kata'ib Hezbollah")]),
        (
            "The Islamic Movement of Uzbekistan (IMU).",
            [
                ("Islamic Movement of Uzbekistan", "Islamic Movement of Uzbekistan"),
                ("IMU", "Islamic Movement of Uzbekistan"),
            ],
        ),
        ("The Islamic Jihad Union claimed it.", [("Islamic Jihad Union", "Islamic Jihad Union")]),
        ("Jamaat Ansarullah recruits.", [("Jamaat Ansarullah", "Jamaat Ansarullah")]),
        ("Jund al-Khilafah cells.", [("Jund al-Khilafah", "Jund al-Khilafah")]),
        (
            "Lashkar-e-Taiba (LeT) and Jaish-e-Mohammed.",
            [
                ("Lashkar-e-Taiba", "Lashkar-e-Taiba"),
                ("LeT", "Lashkar-e-Taiba"),
                ("Jaish-e-Mohammed", "Jaish-e-Mohammed"),
            ],
        ),
        (
            "The Haqqani Network and the Haqqani network.",
            [("Haqqani Network", "Haqqani Network"), ("Haqqani network", "Haqqani Network")],
        ),
        ("Al-Shabaab and Boko Haram.", [("Al-Shabaab", "Al-Shabaab"), ("Boko Haram", "Boko Haram")]),
        ("The Houthis, also called Ansar Allah.", [("Houthis", "Houthis"), ("Ansar Allah", "Houthis")]),
        ("Houthi rebels fired.", [("Houthi rebels", "Houthis")]),
        ("The Wagner Group and PMC Wagner.", [("Wagner Group", "Wagner Group"), ("PMC Wagner", "Wagner Group")]),
        ("Richard Wagner composed operas.", []),
        (
            "Tablighi Jamaat and Jamaat-e-Islami.",
            [("Tablighi Jamaat", "Tablighi Jamaat"), ("Jamaat-e-Islami", "Jamaat-e-Islami")],
        ),
        ("Akromiya members were tried.", [("Akromiya", "Akromiya")]),
        (
            "Jabhat al-Nusra and Hayat Tahrir al-Sham (HTS).",
            [
                ("Jabhat al-Nusra", "Jabhat al-Nusra"),
                ("Hayat Tahrir al-Sham", "Hayat Tahrir al-Sham"),
                ("HTS", "Hayat Tahrir al-Sham"),
            ],
        ),
        ("Hay’at Tahrir al-Sham took Aleppo.", [("Hay’at Tahrir al-Sham", "Hayat Tahrir al-Sham")]),
        (
            "Hizb-e-Islami and the Baloch Liberation Army (BLA).",
            [
                ("Hizb-e-Islami", "Hizb-e-Islami"),
                ("Baloch Liberation Army", "Baloch Liberation Army"),
                ("BLA", "Baloch Liberation Army"),
            ],
        ),
        ("AL-QAEDA AND THE TALIBAN", [("AL-QAEDA", "Al-Qaeda"), ("TALIBAN", "Taliban")]),
        ("The International Energy Agency (IEA) report.", []),
        ("Trade with Kazakhstan grew.", []),
    ],
)
def test_find_organizations_in_sentence(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.text, m.canonical) for m in OrgTable.default().find(sentence)] == expected


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Taliban", "Taliban"),
        ("the Taliban", "Taliban"),
        ("The Taliban", "Taliban"),
        ("TALIBAN", "Taliban"),
        ("Taliban’s", "Taliban"),
        ("Taliban movement", "Taliban"),
        ("Taliban regime", "Taliban"),
        ("Islamic Emirate of Afghanistan", "Taliban"),
        ("Al-Qaeda", "Al-Qaeda"),
        ("al qaida", "Al-Qaeda"),
        ("ETIM", "East Turkestan Islamic Movement"),
        ("Eastern Turkistan Islamic Movement", "East Turkestan Islamic Movement"),
        ("Kongra-Gel", "Kurdistan People's Congress"),
        ("kongra gel", "Kurdistan People's Congress"),
        ("Hizb ut-Tahrir", "Hizb ut-Tahrir"),
        ("hizb-ut-tahrir", "Hizb ut-Tahrir"),
        ("hamas", "Hamas"),
        ("Pakistani Taliban", "Tehrik-i-Taliban Pakistan"),
        ("HTS", "Hayat Tahrir al-Sham"),
        ("hts", None),
        ("IS", None),
        ("IEA", None),
        ("AQ", None),
        ("Red Cross", None),
        ("", None),
    ],
)
def test_org_canonical_resolves(name: str, canonical: str | None) -> None:
    assert OrgTable.default().canonical(name) == canonical


@pytest.mark.parametrize(
    ("name", "code"),
    [("Taliban", "AF"), ("the Taliban", "AF"), ("Al-Qaeda", None), ("Hamas", None), ("Unknown Front", None)],
)
def test_org_government_of(name: str, code: str | None) -> None:
    assert OrgTable.default().government_of(name) == code


@pytest.mark.parametrize(("text", "expected"), [("Talks with the Taliban.", True), ("Talks on wheat.", False)])
def test_org_has_mention_prechecks(text: str, expected: bool) -> None:
    assert OrgTable.default().has_mention(text) is expected


@pytest.mark.parametrize("unused", [None])
def test_org_default_table_is_cached_and_sized(unused: None) -> None:
    table = OrgTable.default()
    assert OrgTable.default() is table
    assert len(table) == len(list(table)) >= 40
    assert all(isinstance(org, Organization) for org in table)


@pytest.mark.parametrize("unused", [None])
def test_org_data_is_consistent(unused: None) -> None:
    data = json.loads(files("tidings").joinpath("data/organizations.json").read_text(encoding="utf-8"))
    canonicals = [record["canonical"] for record in data["organizations"]]
    assert len(canonicals) == len(set(canonicals))
    codes = {c.alpha_2 for c in pycountry.countries}
    assert all(record.get("government_of", "AF") in codes for record in data["organizations"])
    assert OrgTable.default()._table.conflicts == []


@pytest.mark.parametrize(
    ("organizations", "text", "expected"),
    [
        (
            [Organization("Alpha Front", ("AF-1", "the Alpha Front"))],
            "the Alpha Front and AF-1",
            ["Alpha Front", "Alpha Front"],
        ),
        ([Organization("Beta", ("Beta Group",)), Organization("Beta", ("Beta Cell",))], "Beta Cell", ["Beta"]),
    ],
)
def test_org_table_from_custom_organizations(organizations: list[Organization], text: str, expected: list[str]) -> None:
    assert [m.canonical for m in OrgTable(organizations).find(text)] == expected


@pytest.mark.parametrize(
    ("content", "name", "canonical"),
    [
        ("alias,canonical\nTolibon,Taliban\n", "Tolibon", "Taliban"),
        ("# my aliases\n\nTolibon, Taliban\n", "Tolibon", "Taliban"),
        ("Tolibon,the Taliban\n", "Tolibon", "Taliban"),
        ("Northern Shield Brigade,Northern Shield\n", "Northern Shield Brigade", "Northern Shield"),
        ('"Brigade, Northern",Northern Shield\n', "Brigade, Northern", "Northern Shield"),
    ],
)
def test_org_extended_reads_csv(tmp_path: Path, content: str, name: str, canonical: str) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text(content, encoding="utf-8")
    table = OrgTable.default().extended(path)
    assert table.canonical(name) == canonical
    assert [m.canonical for m in table.find(f"Reports on {name} today.")] == [canonical]


@pytest.mark.parametrize(
    ("content", "name", "canonical"),
    [
        ({"Tolibon": "Taliban"}, "Tolibon", "Taliban"),
        ({"Taliban": ["Tolibon", "Tolibonlar"]}, "Tolibonlar", "Taliban"),
        ({"Northern Shield": ["NSB", "Northern Shield Brigade"]}, "NSB", "Northern Shield"),
        ({"NSB": "Northern Shield"}, "Northern Shield", "Northern Shield"),
    ],
)
def test_org_extended_reads_json(tmp_path: Path, content: dict[str, object], name: str, canonical: str) -> None:
    path = tmp_path / "aliases.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    assert OrgTable.default().extended(path).canonical(name) == canonical


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_org_extended_leaves_original_unchanged(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"aliases{suffix}"
    path.write_text('{"Tolibon": "Taliban"}' if suffix == ".json" else "Tolibon,Taliban\n", encoding="utf-8")
    base = OrgTable.default()
    extended = base.extended(str(path))
    assert base.canonical("Tolibon") is None
    assert extended.canonical("Tolibon") == "Taliban"
    assert extended.government_of("Taliban") == "AF"
    assert len(extended) == len(base)


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("bad.csv", "alias,canonical\nTolibon,Taliban\nonly-one-cell\n", 3),
        ("bad.csv", "Tolibon,Taliban,extra\n", 1),
        ("bad.csv", "\n\n,Taliban\n", 3),
        ("bad.json", '{\n  "Tolibon": "Taliban",\n  "x": \n}', 4),
        ("bad.json", '{\n  "Tolibon": "Taliban",\n  "Qaida": 5\n}', 3),
        ("bad.json", '{\n  "Taliban": ["ok", 7]\n}', 2),
        ("bad.json", '["Tolibon", "Taliban"]', 1),
    ],
)
def test_org_extended_rejects_bad_file(tmp_path: Path, name: str, content: str, line: int) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"{path.name}:{line}:"):
        OrgTable.default().extended(path)


@pytest.mark.parametrize("name", ["missing.csv", "missing.json"])
def test_org_extended_rejects_missing_file(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        OrgTable.default().extended(tmp_path / name)


@given(st.text())
def test_org_find_never_raises(text: str) -> None:
    table = OrgTable.default()
    mentions = table.find(text)
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))
    assert table.canonical(text) is None or isinstance(table.canonical(text), str)


@given(
    st.lists(st.sampled_from(["Taliban", "the ", "Pakistani ", "-", "’s", " ", "ISIS", "-K", "Hizb", " ut", "Tahrir"]))
)
def test_org_find_never_raises_on_org_like_text(parts: list[str]) -> None:
    text = "".join(parts)
    mentions = OrgTable.default().find(text)
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))
