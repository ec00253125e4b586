"""The `budgetkg` command. Each subcommand lives in its own module, which
exposes `register(subparsers)`; this file only wires them together and turns
expected errors into one line on stderr with exit status 2."""
from __future__ import annotations

import argparse
import sys

from budgetkg.cli import codes, export, extract, load, query, serve, validate
from budgetkg.errors import ExtractionError

# each subcommand's module, in the order `--help` lists them
COMMANDS = (extract, load, validate, export, codes, query, serve)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budgetkg",
        description="Chinese budget disclosures (部门预算/决算公开) as exact tables and a validated RDF graph.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ExtractionError as e:
        if args.debug:
            raise
        print(f"budgetkg: error: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        if args.debug:
            raise
        print(f"budgetkg: error: {e} (run with --debug for details)", file=sys.stderr)
        return 2


