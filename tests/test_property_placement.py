"""Property: a random consistent budget table, printed in the seed's text
layout with its empty cells omitted, extracts back to exactly what was
generated, or to an `unresolved` entry where the case is truly ambiguous.

Ambiguity is decided here independently of the CP-SAT solver: a plain
backtracking search over every order-keeping placement of every row, checking
the same arithmetic (column sums, parent = Σ children, 合计 = Σ top rows)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetkg.reconstruct.extract import extract_document

CENT = Decimal("0.01")
LAYOUTS = {
    # type id: (title, code lengths by level, columns)
    "general_budget_expenditure": ("一般公共预算财政拨款支出预算表", (3, 5, 7), ["小计", "基本支出", "项目支出"]),
    "general_budget_basic": ("一般公共预算财政拨款基本支出预算表", (3, 5), ["小计", "人员经费", "公用经费"]),
    "expenditure": ("支出总表", (3, 5, 7),
                    ["合计", "基本支出", "项目支出", "上缴上级支出", "事业单位经营支出", "对下级单位补助支出"]),
}
NAMES = ["行政运行", "一般行政管理事务", "机关服务", "其他支出", "信息化建设", "执法办案", "住房公积金",
         "基本工资", "津贴补贴", "办公费", "机关事业单位基本养老保险缴费支出", "公务员医疗补助"]


@st.composite
def budgets(draw):
    type_id = draw(st.sampled_from(sorted(LAYOUTS)))
    title, levels, columns = LAYOUTS[type_id]
    parts = columns[1:]
    max_rows = 5 if len(columns) > 4 else 9
    # a code tree: 类 > 款 (> 项); leaves carry unrounded amounts in mils
    rows: list[dict] = []
    classes = draw(st.lists(st.integers(201, 230), min_size=1, max_size=2, unique=True))
    for c in classes:
        rows.append({"code": str(c), "children": []})
        for k in draw(st.lists(st.integers(1, 99), min_size=1, max_size=2, unique=True)):
            code5 = f"{c}{k:02d}"
            rows.append({"code": code5, "children": []})
            if len(levels) == 3 and draw(st.booleans()):
                for x in draw(st.lists(st.integers(1, 99), min_size=1, max_size=2, unique=True)):
                    rows.append({"code": f"{code5}{x:02d}", "children": []})
    rows = rows[:max_rows]
    codes = {r["code"] for r in rows}
    for r in rows:
        r["children"] = [x["code"] for x in rows if x["code"] != r["code"]
                         and x["code"].startswith(r["code"]) and len(x["code"]) == len(r["code"]) + 2]
    exact: dict[str, dict[str, int]] = {}
    for r in reversed(rows):  # children first
        if r["children"]:
            exact[r["code"]] = {p: sum(exact[c][p] for c in r["children"]) for p in parts}
        else:
            used = draw(st.lists(st.sampled_from(parts), min_size=1, max_size=len(parts), unique=True))
            exact[r["code"]] = {p: (draw(st.integers(1000, 9_999_999)) if p in used else 0) for p in parts}
    top = [r["code"] for r in rows if len(r["code"]) == 3]
    exact["合计"] = {p: sum(exact[c][p] for c in top) for p in parts}
    assert codes
    printed = {}
    for key, cells in exact.items():
        def money(mils):  # printed in 万元 with two decimals, rounded half up
            return (Decimal(mils) / 1000).quantize(CENT, ROUND_HALF_UP)
        row = {columns[0]: money(sum(cells.values()))}
        row.update({p: money(v) for p, v in cells.items() if v})
        printed[key] = row
    wrap = draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=len(rows), max_size=len(rows)))
    return {"type": type_id, "title": title, "columns": columns, "rows": rows, "printed": printed,
            "wrap": wrap, "names": names}


def fmt(v: Decimal) -> str:
    return f"{v:,.2f}"


def render(b) -> str:
    """The seed's layout: total amounts under the header, rows with indented
    codes, a long name wrapping with its amounts on their own line, the 合计
    label and the title after the rows."""
    cols = b["columns"]
    lines = ["", "单位：万元", "", "科目编码 科目名称 " + " ".join(cols), ""]
    lines += [" ".join(fmt(b["printed"]["合计"][c]) for c in cols if c in b["printed"]["合计"]), ""]
    for r, wrap, name in zip(b["rows"], b["wrap"], b["names"]):
        vals = " ".join(fmt(b["printed"][r["code"]][c]) for c in cols if c in b["printed"][r["code"]])
        indent = " " * (len(r["code"]) - 3)
        if wrap:
            lines += [f"{indent}{r['code']}{indent} {name}", "支出", "", vals, ""]
        else:
            lines += [f"{indent}{r['code']}{indent} {name}支出 {vals}", ""]
    lines += ["合计", "", "备注：如出现明细金额之和与合计数存在轻微误差，系数据收舍原因。", "", b["title"], "",
              "编制单位：测试单位", ""]
    return "\n".join(lines)


def brute_force(b) -> dict[str, list[set[str]]]:
    """For every row, the set of columns each printed value can take in some
    placement of all rows that satisfies every identity."""
    cols = b["columns"]
    keys = ["合计"] + [r["code"] for r in b["rows"]]
    tokens = {k: [b["printed"][k][c] for c in cols if c in b["printed"][k]] for k in keys}
    options = {k: [tuple(cols[i] for i in combo) for combo in combinations(range(len(cols)), len(tokens[k]))]
               for k in keys}
    children = {r["code"]: r["children"] for r in b["rows"]}
    children["合计"] = [r["code"] for r in b["rows"] if len(r["code"]) == 3]
    half = Decimal("0.005")

    def cell(assign, k, c):
        p = assign[k]
        return next((tokens[k][i] for i, col in enumerate(p) if col == c), Decimal(0))

    def ok(assign, k):
        # the row's own column sum, and every parent/child identity now fully assigned
        if abs(cell(assign, k, cols[0]) - sum(cell(assign, k, c) for c in cols[1:])) > len(cols) * half:
            return False
        for parent, kids in children.items():
            if kids and parent in assign and all(x in assign for x in kids) and (k == parent or k in kids):
                for c in cols:
                    if abs(cell(assign, parent, c) - sum(cell(assign, x, c) for x in kids)) > (len(kids) + 1) * half:
                        return False
        return True

    seen = {k: [set() for _ in tokens[k]] for k in keys}

    def search(i, assign):
        if i == len(keys):
            for k in keys:
                for j, col in enumerate(assign[k]):
                    seen[k][j].add(col)
            return
        k = keys[i]
        for p in options[k]:
            assign[k] = p
            if ok(assign, k):
                search(i + 1, assign)
            del assign[k]

    search(0, {})
    return seen


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(budgets())
def test_generated_budget_round_trips(tmp_path_factory, b):
    f = tmp_path_factory.mktemp("gen") / "budget.txt"
    f.write_text(render(b), "utf-8")
    doc = extract_document(f)
    table = doc.table(b["type"])
    assert table is not None and table.columns == b["columns"]
    truth = brute_force(b)
    assert all(c for sets in truth.values() for c in sets), "the generated table must be consistent"
    for key, sets in truth.items():
        row = table.row(key)
        assert row is not None, key
        printed = b["printed"][key]
        ordered = [(c, printed[c]) for c in b["columns"] if c in printed]
        unresolved = iter([u for u in table.unresolved if u.row == key])  # in printed order
        for (col, value), cands in zip(ordered, sets):
            if len(cands) == 1:
                assert row.values.get(col) == value, (key, col)
            else:
                u = next(unresolved, None)
                assert u is not None and u.value == value, (key, col, cands)
                assert set(u.candidates) == cands
                assert col not in row.values
        assert next(unresolved, None) is None
    assert doc.placed + doc.unresolved_count == doc.amount_tokens
    assert doc.inconsistencies == []
