"""Every reconcile command has a docstring and a help text ending in an example."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from tidings.serve.cli import cli

COMMANDS = [["conflicts"], ["export", "conflicts"], ["state"], ["timeline"], ["sources"], ["groups"]]


def _find(path: list[str]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None, name
        command = found
    return command


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_cli_reconcile_help_has_a_summary_and_an_example(path: list[str]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert f"Example: tidings {' '.join(path)}" in result.stdout
    assert (_find(path).help or "").strip()
