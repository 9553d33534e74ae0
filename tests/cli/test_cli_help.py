"""Every option of every command is documented with its default; --version; prompts starting with '-'."""

from __future__ import annotations

import argparse

import pytest

from hyper_prime_spiral import __version__, cli


def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command path, parser) for the top parser and every sub-command, recursively."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, (*path, name))


ALL_PARSERS = list(_parsers(cli.build_parser()))


def test_the_walk_finds_every_command():
    names = {" ".join(path) for path, _ in ALL_PARSERS}
    assert {
        "",
        "train",
        "generate",
        "models",
        "models show",
        "models rm",
        "models cp",
        "models import",
    } <= names


@pytest.mark.parametrize("path,parser", ALL_PARSERS, ids=[" ".join(p) or "app" for p, _ in ALL_PARSERS])
def test_every_option_has_help_that_names_its_default(path, parser):
    help_text = " ".join(parser.format_help().split())
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        name = "/".join(action.option_strings) or action.dest
        assert action.help, f"{' '.join(path)} {name} has no help text"
        default = action.default
        if action.option_strings and action.nargs != 0 and default not in (None, argparse.SUPPRESS):
            assert f"(default: {default})" in help_text or "default" in action.help, (
                f"{' '.join(path)} {name} does not show its default {default!r}"
            )


def test_version_prints_program_and_version(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"hyper-prime-spiral {__version__}"


def test_a_prompt_starting_with_a_dash_goes_after_double_dash():
    args = cli.build_parser().parse_args(["generate", "--max-tokens", "3", "--", "-hello"])
    assert args.prompt == "-hello" and args.max_tokens == 3
    assert "generate -- '-hello'" in " ".join(cli.build_parser().format_help().split())
