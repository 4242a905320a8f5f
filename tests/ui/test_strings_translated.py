"""Every Chinese text of jiujinan/ui goes through Qt's translation (STYLE.md, Strings; issue 17
point 9): a literal stands as the source text of tr() / translate(), or, in a table translated
later through a variable, is marked QT_TRANSLATE_NOOP with the context of that later call. Only
those forms are what lupdate extracts, so a literal inside an f-string, a concatenation or a
helper like ``_tr(...)`` counts as untranslated. An AST scan, no Qt needed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "jiujinan" / "ui"
CJK = re.compile(r"[\u4e00-\u9fff]")
# The calls lupdate reads, and where their source text stands among the arguments.
SOURCE_ARG = {"tr": 0, "translate": 1, "QT_TR_NOOP": 0, "QT_TRANSLATE_NOOP": 1}

# (file, literal) -> why it is not translated. Keep this short: each entry needs its reason.
ALLOWED: dict[tuple[str, str], str] = {
    ("members_editor.py", "欧阳小五"): "sample name that only measures the 姓名 column's width, never shown",
    ("members_editor.py", "外孙女婿"): "sample relation that only measures the 关系 column's width, never shown",
    ("members_editor.py", "年龄"): "sample that sizes the 年龄 column (its header, marked for translation, is the same word)",
    ("database_box.py", "不对"): "looked for in the connection's error text (services' words), not shown",
}
# Whole files whose Chinese literals are not source texts.
ALLOWED_FILES: dict[str, str] = {
    "translation.py": "it is itself a translator: Chinese for Qt's own words (Qt's source texts are English)",
}


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute):
            return node.func.attr
        if isinstance(node.func, ast.Name):
            return node.func.id
    return ""


def untranslated(source: str) -> list[tuple[int, str]]:
    """(line, text) of each Chinese literal in ``source`` that is neither a docstring nor the
    source text of a call lupdate reads."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Expr):  # a docstring (or a bare string statement)
            continue
        name = _call_name(parent)
        if name in SOURCE_ARG and len(parent.args) > SOURCE_ARG[name] and parent.args[SOURCE_ARG[name]] is node:
            continue
        found.append((node.lineno, node.value))
    return found


def _noop_contexts(source: str) -> list[tuple[int, str]]:
    """(line, context) of each QT_TRANSLATE_NOOP in ``source``."""
    return [(n.lineno, n.args[0].value) for n in ast.walk(ast.parse(source))
            if _call_name(n) == "QT_TRANSLATE_NOOP" and n.args and isinstance(n.args[0], ast.Constant)]


def test_no_chinese_text_outside_translation() -> None:
    left = []
    for path in sorted(UI.glob("*.py")):
        if path.name in ALLOWED_FILES:
            continue
        left += [f"{path.name}:{line}: {text!r}" for line, text in untranslated(path.read_text(encoding="utf-8"))
                 if (path.name, text) not in ALLOWED]
    assert left == [], "Chinese text outside tr()/translate()/QT_TRANSLATE_NOOP:\n" + "\n".join(left)


def test_the_allow_list_names_what_is_there() -> None:
    """An entry whose literal went away goes away too, or the list grows stale."""
    for name, text in ALLOWED:
        assert (UI / name).exists() and any(t == text for _l, t in untranslated((UI / name).read_text("utf-8")))
    for name in ALLOWED_FILES:
        assert (UI / name).exists()


def test_marked_labels_use_a_context_that_translates_them() -> None:
    """QT_TRANSLATE_NOOP's context must be the one of the call that later translates the label:
    a class of jiujinan/ui (self.tr) or a context some translate() call uses."""
    sources = {path.name: path.read_text(encoding="utf-8") for path in UI.glob("*.py")}
    trees = [ast.parse(s) for s in sources.values()]
    known = {n.name for t in trees for n in ast.walk(t) if isinstance(n, ast.ClassDef)}
    known |= {n.args[0].value for t in trees for n in ast.walk(t)
              if _call_name(n) == "translate" and n.args and isinstance(n.args[0], ast.Constant)}
    wrong = [f"{name}:{line}: {context}" for name, source in sources.items()
             for line, context in _noop_contexts(source) if context not in known]
    assert wrong == []


def test_tr_is_called_on_self() -> None:
    """lupdate takes the class around ``self.tr`` as the context; ``parent.tr(...)`` is looked up
    at run time under the parent's class, which lupdate cannot know."""
    wrong = [f"{path.name}:{n.lineno}" for path in sorted(UI.glob("*.py"))
             for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if _call_name(n) == "tr" and isinstance(n.func, ast.Attribute)
             and not (isinstance(n.func.value, ast.Name) and n.func.value.id == "self")]
    assert wrong == []


def test_the_scan_finds_what_lupdate_would_miss() -> None:
    source = '''
class Box:
    """文档不算。"""

    def build(self, n, QLabel, QT_TRANSLATE_NOOP, QCoreApplication):
        QLabel("姓名")
        QLabel(self.tr(f"共{n}件"))
        QLabel(self.tr("共" + str(n)))
        QLabel(_tr("未保存"))
        QLabel(self.tr("共{0}件").format(n))
        QLabel(QCoreApplication.translate("Box", "已保存"))
        return QT_TRANSLATE_NOOP("Box", "状态")
'''
    assert sorted(text for _line, text in untranslated(source)) == sorted(["姓名", "共", "件", "共", "未保存"])
