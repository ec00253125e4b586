"""The `budgetkg` command. Each subcommand lives in its own module, which
exposes `register(subparsers)`; this file only wires them together and turns
expected errors into one line on stderr with exit status 2."""
from __future__ import annotations

import argparse
import os
import sys

from budgetkg.cli import codes, export, extract, load, query, serve, validate
from budgetkg.cli.interrupt import stop_searches_on_ctrl_c
from budgetkg.errors import ExtractionError

# each subcommand's module, in the order `--help` lists them
COMMANDS = (extract, load, validate, export, codes, query, serve)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budgetkg",
        description="Chinese budget disclosures (部门预算/决算公开) as exact tables and a validated RDF graph.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--time-budget", type=float, metavar="SECONDS",
                        help="seconds of placement solving per document (default 60, or $BUDGETKG_TIME_BUDGET); "
                             "values not settled by then are reported unresolved")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.time_budget is not None:  # the environment reaches a batch's worker processes too
        os.environ["BUDGETKG_TIME_BUDGET"] = str(args.time_budget)
    stop_searches_on_ctrl_c()
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        # every store write is one transaction: what was written is whole
        if args.debug:
            raise
        print("budgetkg: interrupted", file=sys.stderr)
        return 130
    except ExtractionError as e:
        return fail(args, str(e))
    except (OSError, ValueError) as e:
        return fail(args, one_line(e))
    except Exception as e:  # noqa: BLE001 - a bug, but still one line, not a traceback
        return fail(args, f"{type(e).__name__}: {one_line(e)} (a budgetkg bug? run with --debug and report it)")


def one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__


def fail(args, message: str) -> int:
    """The user's error as one line on stderr, exit status 2 (--debug: the traceback)."""
    if args.debug:
        raise  # noqa: PLE0704 - re-raises the exception being handled
    print(f"budgetkg: error: {message}", file=sys.stderr)
    return 2
