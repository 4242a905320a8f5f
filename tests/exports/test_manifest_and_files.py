"""The manifest reader (typed, bounded) and the safe file opener, on their own."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiujinan.exports.manifest import MAX_DEPTH, json_depth, read_manifest
from jiujinan.exports.safe_files import TooLarge, UnsafeFile, open_regular, read_small

NOW = dt.datetime(2026, 11, 20, 2, tzinfo=dt.timezone.utc)
GOOD = {
    "format": "jiujinan-export/1", "society_code": "341802100201", "society_name": "青山村救急难互助社",
    "town": "水阳镇", "district": "宣州区", "period": {"from": "2026-10-01", "to": "2026-10-31"},
    "opening_balance_yuan": "1500.00", "full_ids": False, "encoding": "utf-8", "app_version": "0.1.0",
    "exported_at": "2026-11-20T01:00:00+00:00", "audit": {"entries": 3, "last_hash": "a" * 64, "intact": True},
    "files": {name: {"rows": 1, "bytes": 10, "sha256": "0" * 64}
              for name in ("cases.csv", "payments.csv", "ledger.csv")},
}


def read(data: dict) -> tuple:
    return read_manifest(json.dumps(data).encode(), NOW)


def test_a_good_manifest_reads_into_typed_values() -> None:
    manifest, problems = read(GOOD)
    assert problems == [] and manifest is not None
    assert manifest.period == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert manifest.opening_fen == 150000 and manifest.audit.entries == 3
    assert manifest.exported_at == dt.datetime(2026, 11, 20, 1, tzinfo=dt.timezone.utc)
    assert manifest.files["cases.csv"].bytes == 10


def test_an_export_before_sizes_were_declared_still_reads() -> None:
    old = json.loads(json.dumps(GOOD))
    for info in old["files"].values():
        del info["bytes"]
    manifest, problems = read(old)
    assert problems == [] and manifest.files["ledger.csv"].bytes is None


def test_exported_at_is_normalised_to_utc() -> None:
    manifest, _ = read({**GOOD, "exported_at": "2026-11-20T09:00:00+08:00"})
    assert manifest.exported_at.isoformat() == "2026-11-20T01:00:00+00:00"


@pytest.mark.parametrize("key, value, reason", [
    ("society_code", "34180210020", "12位数字"), ("society_code", "３４１８０２１００２０１", "12位数字"),
    ("society_name", "村\u202e名", "方向符"), ("society_name", "村" * 61, "超过 60 个字"),
    ("exported_at", "2026-11-20T01:00:00", "缺少时区"), ("exported_at", "2026-11-22T01:00:00+00:00", "晚于现在"),
    ("opening_balance_yuan", "-1.00", "不能为负数"), ("period", {"from": "2026-02-30", "to": "2026-03-01"}, "不存在"),
    ("audit", {"entries": -1, "intact": True}, "审计链"), ("encoding", "latin-1", "不认识的编码"),
])
def test_a_wrong_key_is_named_with_its_reason(key: str, value: object, reason: str) -> None:
    manifest, problems = read({**GOOD, key: value})
    assert manifest is None and [k for k, _ in problems] == [key] and reason in problems[0][1], problems


def test_duplicate_keys_and_non_json_numbers_are_refused() -> None:
    assert "出现了两次" in read_manifest(b'{"format": 1, "format": 2}', NOW)[1][0][1]
    assert "不允许的数值" in read_manifest(b'{"format": NaN}', NOW)[1][0][1]


@given(st.recursive(st.none() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=20))
def test_json_depth_counts_nesting_without_parsing(value: object) -> None:
    def depth(v: object) -> int:
        if isinstance(v, list):
            return 1 + max(map(depth, v), default=0)
        if isinstance(v, dict):
            return 1 + max(map(depth, v.values()), default=0)
        return 0
    assert json_depth(json.dumps(value).encode()) == depth(value)


def test_brackets_inside_strings_do_not_count() -> None:
    assert json_depth(json.dumps({"a": "[[[[{{{{\\\"[["}).encode()) == 1
    assert read_manifest(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), NOW)[1][0][1].startswith("嵌套层数")


def test_only_regular_files_open(tmp_path) -> None:  # noqa: ANN001
    regular = tmp_path / "a.csv"
    regular.write_bytes(b"abc")
    assert read_small(regular, 10) == b"abc"
    with pytest.raises(UnsafeFile, match="文件过大"):
        read_small(regular, 2)
    (tmp_path / "link").symlink_to(regular)
    with pytest.raises(UnsafeFile, match="符号链接"):
        open_regular(tmp_path / "link", 10)
    with pytest.raises(UnsafeFile, match="文件夹"):
        open_regular(tmp_path, 10)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo")
        with pytest.raises(UnsafeFile, match="命名管道"):
            open_regular(tmp_path / "fifo", 10)
    with pytest.raises(FileNotFoundError):
        open_regular(tmp_path / "missing", 10)


def test_a_file_that_grows_while_read_stops_at_the_bound(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "a.csv"
    path.write_bytes(b"x" * 100)
    with open_regular(path, 1000) as reader:
        reader.limit = 50  # as declared in the manifest
        with pytest.raises(TooLarge):
            reader.drain()


@pytest.mark.parametrize("data, line", [
    (b"ab\ncd\n" + b"x" * 11 + b"\n", 3), (b"x" * 11, 1), (b"ab\n" * 4000 + b"y" * 20, 4001),
    (b"ab\n" + b"z" * 10 + b"\r\n", 2), (b"ab\n" + b"z" * 9 + b"\r\nok", None),
])
def test_a_line_over_the_bound_is_caught_across_blocks(tmp_path, data: bytes, line: int | None) -> None:  # noqa: ANN001
    from jiujinan.exports.safe_files import LineTooLong

    path = tmp_path / "a.csv"
    path.write_bytes(data)
    found = None
    with open_regular(path, 10**6) as reader:
        reader.max_line = 10  # "\r" counts; "\n" ends the line
        try:
            while reader.readinto(bytearray(7)):  # blocks smaller than a line
                pass
        except LineTooLong as err:
            found = err.line
    assert found == line


def test_lines_within_the_bound_pass_in_any_block_size(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "a.csv"
    data = b"".join(b"x" * (n % 9) + b"\r\n" for n in range(500))
    path.write_bytes(data)
    for block in (1, 3, 7, 64, 4096):
        with open_regular(path, 10**6) as reader:
            reader.max_line = 10
            got = bytearray()
            buffer = bytearray(block)
            while n := reader.readinto(buffer):
                got += buffer[:n]
        assert bytes(got) == data
