"""Finds the browser-test assertions that read the page before it settled.

A click, a key press or a ticked box can start a page load or an htmx swap; Playwright
returns from the action before either is done. An assertion that then reads the page once
(``content()``, ``inner_text()``, ``input_value()``, ``page.url``, ``is_visible()``, a
database count…) reads the old page or races the request: it passes on a fast machine and
fails on CI's. ``page.wait_for_load_state()`` does not help, as the old page is already
loaded. Reads are safe again after something that waits for the new state: ``expect(…)``,
``goto``, ``wait_for_url``, ``locator.wait_for``, ``wait_for_function`` or an
``expect_navigation`` block.

The scan walks each test function's statements in order. A helper of the same module that
ends with an action (a log-in that presses Enter) counts as that action, one that returns a
one-shot read (the focused field's name) as that read.
"""

import ast
from pathlib import Path

ACTIONS = {
    "check",
    "click",
    "dblclick",
    "dispatch_event",
    "go_back",
    "go_forward",
    "press",
    "reload",
    "select_option",
    "set_input_files",
    "submit",
    "tap",
    "uncheck",
}
SETTLES = {
    "expect",
    "expect_navigation",
    "expect_popup",
    "expect_request",
    "expect_response",
    "goto",
    "wait_for",
    "wait_for_event",
    "wait_for_function",
    "wait_for_selector",
    "wait_for_url",
}
# Helpers that check the page they are given (axe's audit), a one-shot read as well.
CHECKS = {"assert_accessible"}
ONE_SHOT_READS = {
    "all_inner_texts",
    "all_text_contents",
    "content",
    "count",
    "evaluate",
    "get_attribute",
    "inner_html",
    "inner_text",
    "input_value",
    "is_checked",
    "is_hidden",
    "is_visible",
    "text_content",
    "title",
}


def _called_names(node: ast.AST) -> list[str]:
    names = []
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            func = inner.func
            names.append(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def _reads_page(node: ast.AST, reading_helpers: frozenset[str] = frozenset()) -> bool:
    if any(name in ONE_SHOT_READS or name in reading_helpers for name in _called_names(node)):
        return True
    return any(isinstance(inner, ast.Attribute) and inner.attr == "url" for inner in ast.walk(node))


class _Scan:
    def __init__(self, acting: set[str], settling: set[str], reading: frozenset[str] = frozenset()):
        self.acting, self.settling, self.reading = acting, settling, reading
        self.found: list[int] = []

    def body(self, statements: list[ast.stmt], unsettled: bool) -> bool:
        for statement in statements:
            unsettled = self.statement(statement, unsettled)
        return unsettled

    def statement(self, statement: ast.stmt, unsettled: bool) -> bool:
        if isinstance(statement, ast.Assert):
            if unsettled and _reads_page(statement.test, self.reading):
                self.found.append(statement.lineno)
            return unsettled
        if isinstance(statement, ast.Expr) and CHECKS & set(_called_names(statement)):
            if unsettled:
                self.found.append(statement.lineno)
            return unsettled
        if isinstance(statement, ast.With):
            unsettled = self.body(statement.body, unsettled)
            if any(name in SETTLES for item in statement.items for name in _called_names(item.context_expr)):
                return False
            return unsettled
        if isinstance(statement, (ast.For, ast.While, ast.If, ast.Try)):
            inner = self.body(statement.body, unsettled)
            for block in (getattr(statement, "orelse", []), getattr(statement, "finalbody", [])):
                inner = self.body(block, inner) or inner
            return unsettled or inner
        if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
            return unsettled
        names = set(_called_names(statement))
        if names & (SETTLES | self.settling):
            return False
        if names & (ACTIONS | self.acting):
            return True
        return unsettled


def racy_assertions(path: Path) -> list[int]:
    """Line numbers of the assertions that read the page before it settled."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
    acting, settling = set(), set()
    reading = frozenset(
        function.name
        for function in functions
        if any(
            isinstance(node, ast.Return) and node.value and _reads_page(node.value)
            for node in ast.walk(function)
        )
    )
    for function in functions:
        ends_unsettled = _Scan(set(), set()).body(function.body, False)
        if ends_unsettled:
            acting.add(function.name)
        elif any(name in SETTLES for name in _called_names(function)):
            settling.add(function.name)
    scan = _Scan(acting - {f.name for f in functions if f.name.startswith("test_")}, settling, reading)
    for function in functions:
        scan.body(function.body, False)
    return sorted(set(scan.found))
