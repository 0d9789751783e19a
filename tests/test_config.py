"""`extra.garden` is typed and validated like a note; mkdocs.yml itself never gives a traceback."""

from __future__ import annotations

import pytest
from conftest import copy_fixture, project_config

from garden.cli import main
from garden.config import GardenConfig, garden_config


@pytest.mark.parametrize(("raw", "message"), [
    ({"sectoins": {"career": "Career"}},
     "extra.garden: unknown option 'sectoins' — did you mean 'sections'?"),
    ({"feed_items": "many"},
     "extra.garden: 'feed_items' must be a whole number from 1 to 1000 — e.g. feed_items: 50"),
    ({"pages": "index.md"},
     "extra.garden: 'pages' must be a list of Markdown files of docs/ — e.g. pages: [index.md]"),
    ({"sections": ["career"]},
     "extra.garden: 'sections' must map each folder to its title — e.g. sections: {career: Career}"),
    ([], "extra.garden: must be a mapping of options — see garden/config.py for the options"),
])
def test_a_wrong_option_is_a_problem_on_mkdocs_yml(raw, message):
    options, problems = garden_config(raw)
    assert [str(p) for p in problems] == [f"mkdocs.yml: {message}"]
    assert isinstance(options, GardenConfig)


def test_valid_options_are_typed():
    options, problems = garden_config({"pages": ["index.md"], "sections": {"career": "Career"},
                                       "feed_items": 7})
    assert problems == []
    assert (options.pages, options.feed_items, options.section_title("career"),
            options.section_title("mental-models")) == (("index.md",), 7, "Career", "Mental models")


def test_check_reports_a_misspelt_option_and_fails(tmp_path, capsys):
    project = copy_fixture("linked", tmp_path)
    config = project_config(project, {"extra": {"garden": {"pages": ["index.md"], "sectoins": {}}}})
    assert main(["check", "-f", str(config)]) == 1
    expected = "mkdocs.yml: extra.garden: unknown option 'sectoins' — did you mean 'sections'?"
    assert expected in capsys.readouterr().err


@pytest.mark.parametrize("command", [["check"], ["diff", "HEAD"],
                                     ["new", "T", "--summary", "S", "--section", "career"]])
def test_an_unreadable_mkdocs_yml_is_a_message_for_every_command(tmp_path, capsys, command):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: [unclosed\n", encoding="utf-8")
    assert main([*command, "-f", str(config)]) != 0
    assert "mkdocs.yml: cannot read the MkDocs configuration" in capsys.readouterr().err
