"""Attachment names as kept and shown: cleaned of whatever could disguise, break or inject."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiujinan.cases.errors import DomainError
from jiujinan.cases.file_names import FALLBACK_NAME, MAX_NAME_CHARS, clean_file_name, refuse_unviewable


@pytest.mark.parametrize("given_name, kept", [
    ("诊断证明.pdf", "诊断证明.pdf"),
    ("住院发票 (1).JPG", "住院发票 (1).JPG"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),
    ("a\u202ab\u202bc\u202cd\u202de\u2066f\u2067g\u2068h\u2069i\u200ej\u200fk.png", "abcdefghijk.png"),
    ("证明\r\n第二行.pdf", "证明第二行.pdf"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\王\\桌面\\公示.jpg", "公示.jpg"),
    ("$(rm -rf ~).pdf", "(rm -rf _).pdf"),
    ("a;b|c&d>e<f.txt", "a_b_c_d_e_f.txt"),
    (".hidden", "hidden"),
    ("--help", "help"),
    ("nul.txt", "_nul.txt"),
    ("报告.  ", "报告"),
    ("\u200b", FALLBACK_NAME),
    ("", FALLBACK_NAME),
])
def test_clean_file_name(given_name: str, kept: str) -> None:
    assert clean_file_name(given_name) == kept


def test_a_long_name_keeps_its_suffix() -> None:
    name = clean_file_name("x" * 500 + ".docx")
    assert len(name) == MAX_NAME_CHARS and name.endswith("x.docx")


@given(st.text(max_size=400))
def test_any_name_comes_out_safe_and_stays_so(name: str) -> None:
    clean = clean_file_name(name)
    assert 0 < len(clean) <= MAX_NAME_CHARS
    assert not any(unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp") for ch in clean)
    assert not set(clean) & set("/\\$`;|&<>\n\r")
    assert not clean.startswith((".", "-")) and clean == clean.strip()
    assert clean_file_name(clean) == clean


@pytest.mark.parametrize("name", ["住院诊断证明.PDF", "发票.ofd", "照片.jpeg", "病历.docx", "清单.xls", "说明.wps", "a.txt"])
def test_documents_and_pictures_may_be_opened(name: str) -> None:
    refuse_unviewable(name)


@pytest.mark.parametrize("name, said", [
    ("住院诊断证明.exe", "“.exe”类型的附件“住院诊断证明.exe”"),
    ("票据.bat", "“.bat”"), ("照片.lnk", "“.lnk”"), ("脚本.ps1", "“.ps1”"), ("表.xlsm", "“.xlsm”"),
    ("bill\u202efdp.exe", "“billfdp.exe”"),  # the direction mark that made it look like «billexe.pdf»
    ("README", "没有扩展名的附件"), (".pdf", "没有扩展名的附件"),
])
def test_programs_scripts_and_shortcuts_are_not_opened(name: str, said: str) -> None:
    with pytest.raises(DomainError, match="为安全起见，程序不直接打开") as refused:
        refuse_unviewable(name)
    assert said in str(refused.value)
