"""Measure: the numbers printed in performance-table grids against what the reader keeps.

    .venv/bin/python bench/performance_numbers.py [NAME-SUBSTRING]

For each corpus PDF document: its performance tables, the cells that print one number
(an amount, a target, a score), how many the reading kept (a project's amount, a row's
value, an indicator's target/weight/result/score) and how many it kept nowhere, with the
money-formatted ones (two decimals or thousands separators) among those apart. Since
issue 10 the reader reports each unkept number (performance.unkept) as unresolved;
this counts the numbers the reading reports so."""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from budgetkg.read.grouping import document_groups
from budgetkg.read.pdf import performance
from budgetkg.reconstruct.extract import read_raw

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MONEY = re.compile(r"\.\d{2,}$|,\d{3}")  # 687.00, 839.000000, 1,234

seen: list[tuple[str, int, int, list]] = []  # per table: title, page, numbers in grids, unkept


READ = performance.read  # the reader's own: what it keeps (reprinted cells too) and what it reports


def measuring_read(t, grids):
    READ(t, grids)
    lost = [(k.where.page, k.text, k.value) for k in t.unplaced if k.columns == (performance.UNKEPT,)]
    seen.append((t.title, t.where.page, len(performance.grid_numbers(grids)), lost))


def main() -> None:
    performance.read = measuring_read  # the reader calls it through the module
    want = sys.argv[1] if len(sys.argv) > 1 else ""
    pdfs = sorted((CORPUS / "pdf").glob("*.pdf"))
    total = Counter()
    print(f"{'document':55} {'tables':>6} {'numbers':>7} {'kept':>6} {'unkept':>6} {'money':>6}")
    for group in document_groups(pdfs):
        name = group[0].stem
        if want not in name:
            continue
        seen.clear()
        read_raw(group)
        n = sum(s[2] for s in seen)
        lost = [x for s in seen for x in s[3]]
        money = [x for x in lost if MONEY.search(x[1])]
        row = Counter(tables=len(seen), numbers=n, kept=n - len(lost), unkept=len(lost), money=len(money))
        total.update(row)
        print(f"{name:55} {row['tables']:6} {row['numbers']:7} {row['kept']:6} {row['unkept']:6} {row['money']:6}")
        if want:
            for title, page, _, lt in seen:
                if lt:
                    print(f"   p{page} {title}: {len(lt)} unkept: " + " ".join(f"p{p}:{x}" for p, x, _ in lt[:30]))
    print(f"{'total':55} {total['tables']:6} {total['numbers']:7} {total['kept']:6} {total['unkept']:6} "
          f"{total['money']:6}")


if __name__ == "__main__":
    main()
