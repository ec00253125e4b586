"""Placing printed amounts in columns, with a CP-SAT solver (OR-Tools).

A row printing k amounts under m columns can place them in C(m, k) ways that
keep their left-to-right order. One boolean per (row, placement); exactly one
placement per row; every identity is a linear constraint on the cells within
its tolerance. A document may break an identity for real, so each identity
may be relaxed at a cost: the solver minimises the number broken, then asks,
row by row, which placements some optimal solution uses. A value every such
solution puts in one column is placed; any other is unresolved, with its
candidate columns. Nothing is guessed.

Time is bounded: all the solves of one document share a budget (seconds,
$BUDGETKG_TIME_BUDGET, `--time-budget`, default 60). When it runs out, every
row not yet settled keeps all its candidate placements, so its values are
reported unresolved, and the Solution says so (`note`).
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from decimal import Decimal

from ortools.sat.python import cp_model

from budgetkg.amounts import printed_places
from budgetkg.errors import ExtractionError
from budgetkg.model import RawTable
from budgetkg.reconstruct.identities import Cell, Identity

Placement = tuple[str, ...]  # the column of each token, in order
DEFAULT_TIME_BUDGET = 60.0  # seconds of solving per document
PER_SOLVE_SECONDS = 30.0
# CP-SAT works in int64: every scaled amount, and their sum (the bound of a
# relaxed identity), must stay far below 2**63
MAX_SCALED_TOTAL = 2 ** 60


@dataclass
class Solution:
    # (table, row) -> the placements some optimal solution uses
    feasible: dict[tuple[int, int], list[Placement]]
    # (table, row) -> every placement that keeps the row's order
    candidates: dict[tuple[int, int], list[Placement]]
    broken: list[tuple[Identity, Decimal]]  # identities an optimal solution breaks, with their tolerance
    chosen: dict[tuple[int, int], Placement]  # that solution
    note: str | None = None  # why placement stopped short (the time budget), if it did


# the solvers searching now: a search holds the main thread in C++, where
# Python cannot deliver Ctrl-C; stop_searches() (from a thread the CLI wakes on
# SIGINT) ends them, and KeyboardInterrupt follows as soon as Python runs again
_searching: set = set()


def stop_searches() -> None:
    for solver in list(_searching):
        solver.stop_search()


def time_budget() -> float:
    """Seconds of solving one document may take ($BUDGETKG_TIME_BUDGET)."""
    try:
        return max(0.0, float(os.environ.get("BUDGETKG_TIME_BUDGET", DEFAULT_TIME_BUDGET)))
    except ValueError:
        return DEFAULT_TIME_BUDGET


def check_amounts(tables: list[RawTable], path: str) -> None:
    """Amounts too large for the solver's integers are an error naming where
    the largest is printed (no budget comes near: this is a misread)."""
    scale = scale_of(tables)
    tokens = [tok for t in tables for r in t.rows for tok in r.tokens]
    if sum(abs(tok.value) for tok in tokens) * scale < MAX_SCALED_TOTAL:
        return
    big = max(tokens, key=lambda tok: abs(tok.value))
    raise ExtractionError(path, f"the amount {big.text} is too large to be read as a budget amount",
                          line=big.where.line, page=big.where.page)


def placements(table: RawTable, row_index: int) -> list[Placement]:
    row = table.rows[row_index]
    cols = table.columns_for(row)
    tokens = row.tokens
    k = len(tokens)
    out: list[Placement] = []
    # the placements keeping the tokens' order, in the order of combinations(),
    # searched token by token: a token pinned to its columns (a PDF cell) prunes
    # at once, where filtering every combination of 40 columns takes minutes
    chosen: list[str] = []

    def extend(j: int, start: int) -> None:
        if j == k:
            out.append(tuple(chosen))
            return
        allowed = tokens[j].columns
        for c in range(start, len(cols) - (k - j) + 1):
            if allowed is None or cols[c] in allowed:
                chosen.append(cols[c])
                extend(j + 1, c + 1)
                chosen.pop()

    extend(0, 0)
    return out


def scale_of(tables: list[RawTable]) -> int:
    """Integer units: one tenth of the smallest printed unit, so half a unit
    (the rounding tolerance) is an integer too."""
    decimals = 0
    for t in tables:
        for r in t.rows:
            for tok in r.tokens:
                exp = tok.value.as_tuple().exponent
                decimals = max(decimals, -exp if isinstance(exp, int) and exp < 0 else 0)
    return 10 ** (decimals + 1)


def table_decimals(t: RawTable) -> int | None:
    return printed_places(tok.value for r in t.rows for tok in r.tokens)


def solve(tables: list[RawTable], identities: list[Identity], budget: float | None = None) -> Solution:
    """`budget`: seconds for all the solves (default: time_budget())."""
    seconds = time_budget() if budget is None else budget
    scale = scale_of(tables)
    cand: dict[tuple[int, int], list[Placement]] = {}
    for ti, t in enumerate(tables):
        for ri in range(len(t.rows)):
            cand[(ti, ri)] = placements(t, ri)

    model = cp_model.CpModel()
    choose: dict[tuple[int, int], list] = {}
    for key, ps in cand.items():
        if len(ps) > 1:
            lits = [model.new_bool_var(f"x{key}_{j}") for j in range(len(ps))]
            model.add_exactly_one(lits)
            choose[key] = lits

    def cell_expr(c: Cell):
        """The cell's value (scaled) as a linear expression of the choices."""
        ps = cand.get((c.table, c.row), [()])
        tokens = tables[c.table].rows[c.row].tokens
        terms, const = [], 0
        for j, p in enumerate(ps):
            v = next((int(tokens[i].value * scale) for i, col in enumerate(p) if col == c.column), 0)
            if v == 0:
                continue
            if (c.table, c.row) in choose:
                terms.append(v * choose[(c.table, c.row)][j])
            else:
                const += v
        return sum(terms) + const if terms else const

    decimals = [table_decimals(t) for t in tables]
    broken_vars = []
    bound = sum(abs(int(tok.value * scale)) for t in tables for r in t.rows for tok in r.tokens) + 1
    relevant: list[tuple[Identity, Decimal]] = []
    for ident in identities:
        if ident.lhs.table >= len(tables):
            continue
        lhs = cell_expr(ident.lhs)
        rhs = sum((cell_expr(c) for c in ident.rhs), 0)
        # half a unit of the last printed digit, per term, of the coarsest table involved
        places = min((decimals[c.table] for c in (ident.lhs, *ident.rhs)
                      if decimals[c.table] is not None), default=2)
        tol = 0 if ident.exact else (len(ident.rhs) + 1) * (scale // (2 * 10 ** places))
        b = model.new_bool_var(f"broken{len(broken_vars)}")
        diff = lhs - rhs
        if isinstance(diff, int):
            ok = (-tol <= diff <= tol) if ident.kind == "eq" else diff >= -tol
            model.add(b == (0 if ok else 1))
        elif ident.kind == "eq":
            model.add(diff <= tol + bound * b)
            model.add(diff >= -tol - bound * b)
        else:
            model.add(diff >= -tol - bound * b)
        broken_vars.append(b)
        relevant.append((ident, Decimal(tol) / scale))
    model.minimize(sum(broken_vars))

    # the budget is for solving: building the model is bounded work, and a slow
    # machine building it must not leave the solver no time (a placement that
    # then depends on the machine's load)
    deadline = time.monotonic() + seconds
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_presolve = False  # many small solves: presolve costs more than it saves
    # CP-SAT's own Ctrl-C handler ends a search as if its time were up, and then
    # leaves SIGINT at its default: Python keeps the signal (KeyboardInterrupt)
    solver.parameters.catch_sigint_signal = False

    def run() -> int | None:
        """Solve within what is left of the budget; None when none is left."""
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        solver.parameters.max_time_in_seconds = min(PER_SOLVE_SECONDS, left)
        _searching.add(solver)
        try:
            return solver.solve(model)
        finally:
            _searching.discard(solver)

    status = run()
    if status != cp_model.OPTIMAL:  # not proven optimal: no placement is certain
        return Solution({k: v for k, v in cand.items() if len(v) == 1 or k not in choose}, cand, [], {},
                        note=out_of_time(status))
    best = int(round(solver.objective_value))
    chosen = read_choice(solver, cand, choose)
    broken = [r for r, b in zip(relevant, broken_vars) if solver.value(b)]

    # which placements can an optimal solution use? Ask for each one not yet seen.
    model.add(sum(broken_vars) <= best)
    model.clear_objective()
    seen: dict[tuple[int, int], set[Placement]] = {k: {chosen[k]} for k in choose}
    settled: set[tuple[int, int]] = set()  # rows whose every unseen placement is proven impossible
    note = None
    for key, lits in choose.items():
        # ask for a solution with a placement of this row not seen yet, until none is left
        while True:
            unseen = [lit for p, lit in zip(cand[key], lits) if p not in seen[key]]
            if not unseen:
                settled.add(key)
                break
            ask = model.new_bool_var(f"ask{key}")
            model.add_bool_or(unseen).only_enforce_if(ask)
            model.clear_assumptions()
            model.add_assumption(ask)
            status = run()
            if status == cp_model.INFEASIBLE:
                settled.add(key)
                break
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # out of time: nothing proven
                note = out_of_time(status)
                break
            for k2, p2 in read_choice(solver, cand, choose).items():
                if k2 in seen:
                    seen[k2].add(p2)
        if note:
            break
    model.clear_assumptions()
    # a row not settled keeps every candidate: its values stay unresolved, never guessed
    feasible = {k: ([p for p in cand[k] if p in seen[k]] if k in settled else cand[k]) if k in choose else cand[k]
                for k in cand}
    return Solution(feasible, cand, broken, chosen, note)


def out_of_time(status) -> str:
    """Why placement stopped short: the budget, or (a bug) the solver's own status."""
    why = ("the time budget ran out" if status in (None, cp_model.UNKNOWN, cp_model.FEASIBLE)
           else f"the solver answered {getattr(status, 'name', status)}")
    return (f"placement stopped before it was complete ({why}; --time-budget or BUDGETKG_TIME_BUDGET "
            f"gives it more): the values it had not settled are reported unresolved")


def read_choice(solver, cand, choose) -> dict[tuple[int, int], Placement]:
    out = {}
    for key, ps in cand.items():
        if key in choose:
            out[key] = next(p for p, lit in zip(ps, choose[key]) if solver.boolean_value(lit))
        elif ps:
            out[key] = ps[0]
    return out


def value_at(tables: list[RawTable], placement: dict, c: Cell) -> Decimal:
    p = placement.get((c.table, c.row), ())
    toks = tables[c.table].rows[c.row].tokens
    return next((toks[i].value for i, col in enumerate(p) if col == c.column), Decimal(0))
