"""Property tests for the gazetteers: countries, organizations and the phrase table under both.

Issue #6: arbitrary unicode never makes a lookup raise; every code found is two upper-case
letters that pycountry knows; the name `country_name` gives for a code looks up as that code;
an organization's canonical name is its own canonical name; and the key and accent folds of
the phrase table are idempotent.
"""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.normalize.countries import country_name, find_countries, has_country, lookup_country
from tidings.normalize.orgs import Organization, OrgTable
from tidings.normalize.phrases import fold_accents, iter_casings, iter_spellings, make_key

ALPHA_2 = sorted(country.alpha_2 for country in pycountry.countries)
NAME_SOUP = st.lists(
    st.sampled_from(
        ["Kazakh", "stan", "Republic", " of ", "the ", "-", "’s", "Taliban", "Guinea", "Côte", "US", "UAE"]
    ),
    max_size=12,
).map("".join)
ANY_TEXT = st.text() | NAME_SOUP | st.text(alphabet=st.characters(min_codepoint=0x80), max_size=30)
ORGS = OrgTable.default()
# The country and organization tables are built on the first lookup (about half a second).
NO_DEADLINE = settings(deadline=None)


def is_known_code(code: str) -> bool:
    """Two upper-case ASCII letters that pycountry knows."""
    return len(code) == 2 and code.isascii() and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


# -- countries -------------------------------------------------------------------------------------


@NO_DEADLINE
@given(text=ANY_TEXT)
def test_lookup_country_gives_a_known_code_or_none(text: str) -> None:
    code = lookup_country(text)
    assert code is None or is_known_code(code)


@NO_DEADLINE
@given(text=ANY_TEXT)
def test_find_countries_gives_known_codes(text: str) -> None:
    mentions = find_countries(text)
    assert all(is_known_code(mention.code) for mention in mentions)
    assert has_country(text) or not mentions


@NO_DEADLINE
@given(text=ANY_TEXT)
def test_country_name_raises_only_value_error(text: str) -> None:
    try:
        name = country_name(text)
    except ValueError:
        assert not is_known_code(text.upper())
    else:
        assert name.strip()


@pytest.mark.parametrize("code", ALPHA_2)
def test_lookup_country_of_a_codes_name_gives_the_code(code: str) -> None:
    assert lookup_country(country_name(code)) == code


@pytest.mark.parametrize("code", ALPHA_2)
def test_country_name_is_found_in_running_text_as_its_code(code: str) -> None:
    name = country_name(code)
    text = f"Officials of {name} met on Tuesday."
    assert [(m.text, m.code) for m in find_countries(text)] == [(name, code)]


@NO_DEADLINE
@given(code=st.sampled_from(ALPHA_2))
def test_country_name_ignores_the_case_of_the_code(code: str) -> None:
    assert country_name(code.lower()) == country_name(code)


# -- organizations ---------------------------------------------------------------------------------


@NO_DEADLINE
@given(text=ANY_TEXT)
def test_org_canonical_is_idempotent(text: str) -> None:
    canonical = ORGS.canonical(text)
    assert canonical is None or ORGS.canonical(canonical) == canonical


@NO_DEADLINE
@given(text=ANY_TEXT)
def test_org_mentions_name_known_organizations(text: str) -> None:
    known = {organization.canonical for organization in ORGS}
    mentions = ORGS.find(text)
    assert all(mention.canonical in known for mention in mentions)
    assert ORGS.has_mention(text) or not mentions


@NO_DEADLINE
@given(text=ANY_TEXT)
def test_org_government_of_gives_a_known_code_or_none(text: str) -> None:
    code = ORGS.government_of(text)
    assert code is None or is_known_code(code)


@pytest.mark.parametrize("organization", list(ORGS), ids=lambda organization: organization.canonical)
def test_org_canonical_of_each_name_and_alias_is_the_canonical_name(organization: Organization) -> None:
    names = (organization.canonical, *organization.aliases)
    assert {name: ORGS.canonical(name) for name in names} == dict.fromkeys(names, organization.canonical)


# -- the phrase table ------------------------------------------------------------------------------


@NO_DEADLINE
@given(text=ANY_TEXT)
def test_make_key_is_idempotent(text: str) -> None:
    assert make_key(make_key(text)) == make_key(text)


# A name with a hyphen or dash at either end (a line-broken or bulleted name) still looks up.
@pytest.mark.parametrize("name", ["-Kazakhstan", "Kazakhstan –", "Taliban-"])
def test_lookups_ignore_separators_at_the_ends(name: str) -> None:
    assert make_key(make_key(name)) == make_key(name)
    assert (lookup_country(name) or ORGS.canonical(name)) is not None


@NO_DEADLINE
@given(text=ANY_TEXT)
def test_fold_accents_is_idempotent(text: str) -> None:
    assert fold_accents(fold_accents(text)) == fold_accents(text)


@NO_DEADLINE
@given(text=ANY_TEXT)
def test_iter_spellings_starts_with_the_form_and_never_repeats(text: str) -> None:
    spellings = list(iter_spellings(text))
    assert len(spellings) == len(set(spellings))
    assert spellings[:1] == ([text] if text.strip() else [])


@NO_DEADLINE
@given(text=ANY_TEXT)
def test_iter_casings_starts_with_the_form_and_never_repeats(text: str) -> None:
    casings = list(iter_casings(text))
    assert casings[0] == text
    assert len(casings) == len(set(casings))
