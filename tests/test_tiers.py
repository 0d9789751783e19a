"""Every test has a tier (unit, site, browser) from what it uses: `make test-fast` runs the unit
tier, so a test that builds a site or opens a browser must never land in it unmarked."""

from __future__ import annotations

import subprocess

import pytest
from conftest import TIER_OF, build_project, tier


def _commits() -> str:
    """A helper that starts a process: a test calling it is a site test, however deep the call."""
    return subprocess.run(["git", "log", "-1"], capture_output=True, text=True, check=False).stdout


def _through_a_helper() -> str:
    return _commits()


def _reads_the_model() -> int:
    return len("no build here")


def _builds_a_site() -> object:
    return build_project


def tier_of(request: pytest.FixtureRequest) -> str:
    """This test's tier as conftest decided it, and the marker it carries."""
    decided = request.config.stash[TIER_OF][request.node.nodeid]
    assert [mark.name for mark in request.node.iter_markers() if mark.name in ("unit", "site", "browser")] \
        == [decided]
    return decided


@pytest.mark.parametrize(("fixtures", "code", "expected"), [
    ((), [_reads_the_model], "unit"),
    (("tmp_path",), [_reads_the_model], "unit"),
    ((), [_builds_a_site], "site"),
    ((), [_commits], "site"),
    ((), [_through_a_helper], "site"),
    (("page",), [_reads_the_model], "browser"),
    (("server",), [_builds_a_site], "browser"),
    (("browser",), [], "browser"),
])
def test_a_tier_follows_from_the_fixtures_and_the_code_a_test_uses(fixtures, code, expected):
    assert tier(fixtures, code) == expected


def test_a_test_of_plain_values_is_a_unit_test(request):
    assert tier_of(request) == "unit"


def test_a_test_given_a_fixture_that_builds_is_a_site_test(build_fixture, request):
    assert tier_of(request) == "site"


@pytest.mark.site
def test_an_explicit_tier_is_kept(request):
    assert tier_of(request) == "site"


@pytest.mark.browser
class TestATierOnAClass:
    def test_applies_to_its_tests(self, request):
        assert tier_of(request) == "browser"
