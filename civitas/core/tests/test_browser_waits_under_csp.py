"""Every browser wait hands Playwright a function, never a bare expression.

Playwright evaluates a bare-expression predicate with ``eval`` each time it polls, from
an animation frame: the page's CSP (``script-src 'self'``, no ``unsafe-eval``) refuses
that as soon as the condition is not already true on the first try. A function is
evaluated once, inside the debugger call the CSP does not govern, and then called. The
tests passed while the condition happened to hold at once and failed on a slower or
newer setup (Playwright 1.65 on CI), so this reads every test module instead of
waiting for the race to be lost again.
"""

import ast
import re
from pathlib import Path

import civitas

FUNCTION_SOURCE = re.compile(r"^\s*(\(.*?\)\s*=>|[A-Za-z_$][\w$]*\s*=>|function\b|async\b)", re.S)


def _leading_text(node: ast.expr) -> str | None:
    """The literal text a string argument starts with (None when it is not a literal)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        text = ""
        for part in node.values:
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                break
            text += part.value
        return text
    return None


def _waits(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "wait_for_function":
            yield node


def test_every_wait_for_function_gets_a_function():
    root = Path(civitas.__file__).parent
    bare = []
    seen = 0
    for path in sorted(root.rglob("*.py")):
        for call in _waits(path):
            seen += 1
            expression = call.args[0] if call.args else None
            text = _leading_text(expression) if expression is not None else None
            if text is None or not FUNCTION_SOURCE.match(text):
                bare.append(f"{path.relative_to(root.parent)}:{call.lineno}")
    assert seen, "no wait_for_function found: the scan no longer reads the tests"
    assert not bare, "wait_for_function with a bare expression (CSP refuses its eval): " + ", ".join(bare)


def test_the_scan_catches_a_bare_expression(tmp_path):
    module = tmp_path / "test_example.py"
    module.write_text('page.wait_for_function("window.ready")\npage.wait_for_function(f"() => {x}")\n')
    texts = [_leading_text(call.args[0]) for call in _waits(module)]
    assert [bool(FUNCTION_SOURCE.match(text)) for text in texts] == [False, True]
