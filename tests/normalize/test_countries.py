"""Tests for tidings.normalize.countries: finding and resolving country references."""

from __future__ import annotations

import itertools
import json
from importlib.resources import files

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.normalize.countries import (
    _table,
    country_name,
    find_countries,
    has_country,
    lookup_country,
)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Tajikistan and Afghanistan met in Dushanbe.",
            [("Tajikistan", "TJ"), ("Afghanistan", "AF"), ("Dushanbe", "TJ")],
        ),
        ("Uzbekistan’s exports rose.", [("Uzbekistan", "UZ")]),
        ("Kyrgyzstan's envoy spoke.", [("Kyrgyzstan", "KG")]),
        ("A Kazakh-Afghan business council met.", [("Kazakh", "KZ"), ("Afghan", "AF")]),
        ("The Uzbek – Afghan border reopened.", [("Uzbek", "UZ"), ("Afghan", "AF")]),
        ("The Turkmen—Afghan pipeline.", [("Turkmen", "TM"), ("Afghan", "AF")]),
        ("Tajikistan-Afghanistan trade grew.", [("Tajikistan", "TJ"), ("Afghanistan", "AF")]),
        (
            "The Kazakhstan–Turkmenistan–Iran railway opened.",
            [("Kazakhstan", "KZ"), ("Turkmenistan", "TM"), ("Iran", "IR")],
        ),
        ("Papua New Guinea signed the accord.", [("Papua New Guinea", "PG")]),
        ("Guinea-Bissau and Guinea held talks.", [("Guinea-Bissau", "GW"), ("Guinea", "GN")]),
        ("Equatorial Guinea exported oil.", [("Equatorial Guinea", "GQ")]),
        ("Niger and Nigeria share a border.", [("Niger", "NE"), ("Nigeria", "NG")]),
        ("Dominica is not the Dominican Republic.", [("Dominica", "DM"), ("Dominican Republic", "DO")]),
        ("South Sudan split from Sudan.", [("South Sudan", "SS"), ("Sudan", "SD")]),
        ("A woman from Romania visited Somalia.", [("Romania", "RO"), ("Somalia", "SO")]),
        ("Mali and Oman voted yes.", [("Mali", "ML"), ("Oman", "OM")]),
        ("US officials briefed us on Monday.", [("US", "US")]),
        ("The U.S. and the USA are one state.", [("U.S.", "US"), ("USA", "US")]),
        ("The United States of America signed.", [("United States of America", "US")]),
        ("America pledged aid to Latin America.", [("America", "US")]),
        ("North America and South America are continents.", []),
        ("Central American and South American leaders met.", []),
        ("American diplomats arrived.", [("American", "US")]),
        ("Washington and Moscow disagreed.", [("Washington", "US"), ("Moscow", "RU")]),
        ("The UK, the U.K. and Great Britain.", [("UK", "GB"), ("U.K.", "GB"), ("Great Britain", "GB")]),
        ("British and Irish ministers met.", [("British", "GB"), ("Irish", "IE")]),
        ("Northern Ireland is in the UK.", [("Northern Ireland", "GB"), ("UK", "GB")]),
        ("The UAE and the Emirates are the same.", [("UAE", "AE"), ("the Emirates", "AE")]),
        ("Emirati and Qatari firms invested.", [("Emirati", "AE"), ("Qatari", "QA")]),
        ("Abu Dhabi and Doha mediated.", [("Abu Dhabi", "AE"), ("Doha", "QA")]),
        ("Turkey, Türkiye and Turkiye are one country.", [("Turkey", "TR"), ("Türkiye", "TR"), ("Turkiye", "TR")]),
        ("We ate turkey in china bowls.", []),
        ("Turkish and Russian envoys met in Ankara.", [("Turkish", "TR"), ("Russian", "RU"), ("Ankara", "TR")]),
        ("The Russian Federation and Russia.", [("Russian Federation", "RU"), ("Russia", "RU")]),
        (
            "Iran, the Islamic Republic of Iran, and Tehran.",
            [("Iran", "IR"), ("Islamic Republic of Iran", "IR"), ("Tehran", "IR")],
        ),
        ("Syria and South Korea and North Korea.", [("Syria", "SY"), ("South Korea", "KR"), ("North Korea", "KP")]),
        ("Pyongyang and Seoul talked.", [("Pyongyang", "KP"), ("Seoul", "KR")]),
        ("The Kyrgyz Republic joined.", [("Kyrgyz Republic", "KG")]),
        ("The Republic of Kazakhstan voted.", [("Republic of Kazakhstan", "KZ")]),
        ("Laos and Vietnam and Viet Nam.", [("Laos", "LA"), ("Vietnam", "VN"), ("Viet Nam", "VN")]),
        ("Czechia, formerly the Czech Republic.", [("Czechia", "CZ"), ("Czech Republic", "CZ")]),
        ("Ivory Coast, or Côte d’Ivoire.", [("Ivory Coast", "CI"), ("Côte d’Ivoire", "CI")]),
        ("Cote d'Ivoire exports cocoa.", [("Cote d'Ivoire", "CI")]),
        ("Burma, now Myanmar.", [("Burma", "MM"), ("Myanmar", "MM")]),
        ("Holland and the Netherlands.", [("Holland", "NL"), ("Netherlands", "NL")]),
        ("Kazakh officials and Kazakhstani firms.", [("Kazakh", "KZ"), ("Kazakhstani", "KZ")]),
        ("Afghans and Pakistanis crossed.", [("Afghans", "AF"), ("Pakistanis", "PK")]),
        ("Kyrgyz and Tajik border guards.", [("Kyrgyz", "KG"), ("Tajik", "TJ")]),
        ("Chinese, Pakistani and Indian delegates.", [("Chinese", "CN"), ("Pakistani", "PK"), ("Indian", "IN")]),
        ("Iranian and Turkmen officials.", [("Iranian", "IR"), ("Turkmen", "TM")]),
        ("Astana and Nur-Sultan are one city.", [("Astana", "KZ"), ("Nur-Sultan", "KZ")]),
        ("Kabul, Tashkent and Bishkek.", [("Kabul", "AF"), ("Tashkent", "UZ"), ("Bishkek", "KG")]),
        ("Ashgabat and Islamabad and Beijing.", [("Ashgabat", "TM"), ("Islamabad", "PK"), ("Beijing", "CN")]),
        (
            "New Delhi and Kyiv and Paris and Berlin.",
            [("New Delhi", "IN"), ("Kyiv", "UA"), ("Paris", "FR"), ("Berlin", "DE")],
        ),
        ("London welcomed the move.", [("London", "GB")]),
        ("The Indian Ocean port.", []),
        ("Goods reach the Arabian Sea.", []),
        ("Central Asia and South Asia.", []),
        ("Central Asian states met.", []),
        ("Activists of East Turkestan and Eastern Turkistan.", []),
        ("The Turkistan Islamic Party was named.", []),
        ("Kurdistan held elections.", []),
        ("The Afghan Embassy reopened.", [("Afghan", "AF")]),
        ("Jersey and Guernsey are islands.", [("Jersey", "JE"), ("Guernsey", "GG")]),
        ("Chad, Jordan and Georgia signed.", [("Chad", "TD"), ("Jordan", "JO"), ("Georgia", "GE")]),
        ("AFGHANISTAN – Kazakhstan talks.", [("AFGHANISTAN", "AF"), ("Kazakhstan", "KZ")]),
        ("KABUL, Oct 3 — officials said.", [("KABUL", "AF")]),
        ("The Taliban-ruled Afghanistan.", [("Afghanistan", "AF")]),
        ("The Islamic Emirate of Afghanistan.", [("Islamic Emirate of Afghanistan", "AF")]),
        (
            "Democratic Republic of the Congo and the Republic of the Congo.",
            [("Democratic Republic of the Congo", "CD"), ("Republic of the Congo", "CG")],
        ),
        ("Saudi Arabia and Saudi firms.", [("Saudi Arabia", "SA"), ("Saudi", "SA")]),
        ("Bosnia and Herzegovina, or Bosnia.", [("Bosnia and Herzegovina", "BA"), ("Bosnia", "BA")]),
        ("Trinidad and Tobago played.", [("Trinidad and Tobago", "TT")]),
        ("New Jersey and New Mexico are US states.", [("US", "US")]),
        ("The deal was priced in US$ and HK$.", []),
        ("Americans and Russians met.", [("Americans", "US"), ("Russians", "RU")]),
        ("The Kazakhstan-based firm.", [("Kazakhstan", "KZ")]),
        ("Uzbekistan's and Kazakhstan’s leaders.", [("Uzbekistan", "UZ"), ("Kazakhstan", "KZ")]),
        ("Taiwan and Chinese Taipei.", [("Taiwan", "TW"), ("Chinese Taipei", "TW")]),
        ("Hong Kong and Macau.", [("Hong Kong", "HK"), ("Macau", "MO")]),
    ],
)
def test_find_countries_in_sentence(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.text, m.code) for m in find_countries(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kazakhstan", [("Kazakhstan", "name")]),
        ("Kyrgyz Republic", [("Kyrgyz Republic", "name")]),
        ("UAE", [("UAE", "alias")]),
        ("Britain", [("Britain", "alias")]),
        ("Kazakh", [("Kazakh", "demonym")]),
        ("Afghans", [("Afghans", "demonym")]),
        ("Astana", [("Astana", "capital")]),
        ("Washington", [("Washington", "capital")]),
    ],
)
def test_find_countries_reports_form(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.text, m.form) for m in find_countries(sentence)] == expected


@pytest.mark.parametrize(
    "sentence",
    ["Kazakh–Afghan talks in Kabul, a Turkmenistan–Afghanistan–Pakistan–India pipeline", "x Uzbekistan’s y"],
)
def test_find_countries_spans_reproduce_text(sentence: str) -> None:
    for mention in find_countries(sentence):
        assert sentence[mention.start : mention.end] == mention.text


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kazakhstan", "KZ"),
        ("kazakhstan", "KZ"),
        ("KAZAKHSTAN", "KZ"),
        ("Kazakhstan’s", "KZ"),
        ("Kazakhstan's", "KZ"),
        ("Republic of Kazakhstan", "KZ"),
        ("Kazakh", "KZ"),
        ("kazakh", "KZ"),
        ("Astana", "KZ"),
        ("Nur-Sultan", "KZ"),
        ("nur sultan", "KZ"),
        ("Kyrgyz Republic", "KG"),
        ("kyrgyz republic", "KG"),
        ("US", "US"),
        ("U.S.", "US"),
        ("United States", "US"),
        ("united states of america", "US"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Iran, Islamic Republic of", "IR"),
        ("Korea, Republic of", "KR"),
        ("South Korea", "KR"),
        ("Türkiye", "TR"),
        ("turkiye", "TR"),
        ("Turkey", "TR"),
        ("UAE", "AE"),
        ("the Emirates", "AE"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Burma", "MM"),
        ("Holland", "NL"),
        ("  Afghanistan  ", "AF"),
        ("Afghan", "AF"),
        ("Taliban", None),
        ("us", None),
        ("Central Asia", None),
        ("Indian Ocean", None),
        ("Atlantis", None),
        ("", None),
        ("’s", None),
    ],
)
def test_lookup_country_resolves(name: str, code: str | None) -> None:
    assert lookup_country(name) == code


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("RU", "Russia"),
        ("IR", "Iran"),
        ("TR", "Turkey"),
        ("KZ", "Kazakhstan"),
        ("AF", "Afghanistan"),
        ("US", "United States"),
        ("GB", "United Kingdom"),
        ("KR", "South Korea"),
        ("SY", "Syria"),
        ("VN", "Vietnam"),
        ("LA", "Laos"),
        ("BO", "Bolivia"),
        ("kz", "Kazakhstan"),
    ],
)
def test_country_name_is_common_short_name(code: str, name: str) -> None:
    assert country_name(code) == name


@pytest.mark.parametrize("code", ["XX", "", "KAZ", "Q"])
def test_country_name_rejects_unknown_code(code: str) -> None:
    with pytest.raises(ValueError, match="ISO 3166-1"):
        country_name(code)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Talks in Kabul.", True), ("Talks about trade.", False), ("", False), ("us and them", False)],
)
def test_has_country_prechecks(text: str, expected: bool) -> None:
    assert has_country(text) is expected


@pytest.mark.parametrize("country", list(pycountry.countries), ids=lambda c: c.alpha_2)
def test_lookup_country_knows_every_iso_name(country: object) -> None:
    assert lookup_country(country.name) == country.alpha_2  # type: ignore[attr-defined]


@pytest.mark.parametrize("country", list(pycountry.countries), ids=lambda c: c.alpha_2)
def test_country_name_covers_every_iso_code(country: object) -> None:
    assert lookup_country(country_name(country.alpha_2)) == country.alpha_2  # type: ignore[attr-defined]


@pytest.mark.parametrize("unused", [None])
def test_country_forms_never_map_one_spelling_to_two_codes(unused: None) -> None:
    assert [c for c in _table().conflicts if c[1] is None or c[2] is None or c[1][0] != c[2][0]] == []


@pytest.mark.parametrize("unused", [None])
def test_country_data_uses_iso_codes(unused: None) -> None:
    data = json.loads(files("tidings").joinpath("data/countries.json").read_text(encoding="utf-8"))
    codes = {c.alpha_2 for c in pycountry.countries}
    assert set(data["countries"]) <= codes
    assert set(data["names"]) <= codes


@given(st.text())
def test_find_countries_never_raises(text: str) -> None:
    mentions = find_countries(text)
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


@given(
    st.lists(st.sampled_from(["Kazakh", "Afghan", "-", "–", " ", "stan", "’s", "Guinea", "New", "Papua", "US", "$"]))
)
def test_find_countries_never_raises_on_country_like_text(parts: list[str]) -> None:
    text = "".join(parts)
    mentions = find_countries(text)
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


@given(st.text())
def test_lookup_country_never_raises(text: str) -> None:
    code = lookup_country(text)
    assert code is None or len(code) == 2
