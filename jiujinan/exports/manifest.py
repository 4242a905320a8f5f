"""The export's manifest.json, read as hostile input into a typed, checked object.

Size and nesting are bounded before the JSON is parsed (a manifest nested 200,000 deep
once ended in a RecursionError); every key is checked for its type and range, and every
problem is listed. To add a key (signatures, audit-chain data), add a reader to FIELDS and
an attribute to Manifest: the rest of the import reads only the typed object."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jiujinan.cases.errors import ValidationError
from jiujinan.exports.columns import CONTROL_CHARS
from jiujinan.exports.csv_format import ENCODINGS, FILES, FORMAT, read_yuan

MAX_MANIFEST_BYTES = 1024 * 1024  # a manifest is about 1 KB; room for the audit-chain data to come
MAX_DEPTH = 16  # the format nests 3 deep
MAX_ROWS = 50_000  # per file: ten times the cases of the benchmark's societies, 25 times Xuanzhou's all
MAX_FILE_BYTES = 64 * 1024 * 1024  # 50,000 rows of ours are under 30 MB
CLOCK_SKEW = dt.timedelta(days=1)  # a village PC's clock may run a little ahead
EARLIEST_EXPORT = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)  # before this program existed
_HEX64 = re.compile(r"[0-9a-f]{64}")
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


class ManifestError(Exception):
    """One key of the manifest is wrong; the message says why, in Chinese."""


@dataclass(frozen=True)
class FileInfo:
    """What the manifest declares about one CSV file."""

    rows: int
    sha256: str
    bytes: int | None  # None: an export made before sizes were declared


@dataclass(frozen=True)
class AuditState:
    """The village's audit chain when it exported."""

    entries: int
    intact: bool
    last_hash: str | None


@dataclass(frozen=True)
class Manifest:
    """A checked manifest; ``raw`` keeps the parsed JSON for keys added later."""

    format: str
    society_code: str
    society_name: str
    town: str
    district: str
    period: tuple[dt.date, dt.date] | None
    opening_fen: int
    full_ids: bool
    encoding: str
    app_version: str
    exported_at: dt.datetime  # UTC
    audit: AuditState | None
    files: dict[str, FileInfo]
    raw: dict[str, Any] = field(repr=False, default_factory=dict)


def json_depth(data: bytes) -> int:
    """How deep arrays and objects nest, counted without parsing (strings skipped)."""
    depth = deepest = 0
    for bracket in _BRACKETS.finditer(_STRINGS.sub(b'""', data)):
        if bracket.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ManifestError("同一个键出现了两次：" + "、".join(sorted({k for k in keys if keys.count(k) > 1})))
    return dict(pairs)


def _no_constant(name: str) -> None:
    raise ManifestError(f"含有 JSON 不允许的数值 {name}")


def parse_json(data: bytes) -> dict[str, Any]:
    """The manifest's JSON object; ManifestError when it is not one, too deep or duplicated."""
    depth = json_depth(data)
    if depth > MAX_DEPTH:
        raise ManifestError(f"嵌套层数 {depth} 超过上限 {MAX_DEPTH}")
    try:
        value = json.loads(data.decode("utf-8-sig"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise ManifestError("不是 UTF-8 编码") from None
    except (ValueError, RecursionError) as err:  # JSONDecodeError, a number too long
        where = f"（第 {err.lineno} 行第 {err.colno} 列）" if isinstance(err, json.JSONDecodeError) else ""
        raise ManifestError(f"不是有效的 JSON{where}") from None
    if not isinstance(value, dict):
        raise ManifestError("应为一个 JSON 对象")
    return value


# --- one reader per key: the raw value in, the typed value out, ManifestError with the reason

def _string(max_len: int, *, required: bool = True) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        if not isinstance(value, str):
            raise ManifestError("应为文字")
        if required and not value.strip():
            raise ManifestError("不能为空")
        if len(value) > max_len:
            raise ManifestError(f"超过 {max_len} 个字")
        if CONTROL_CHARS.search(value):
            raise ManifestError("含有换行、控制字符或文字方向符")
        return value
    return read


def _integer(low: int, high: int) -> Callable[[Any], int]:
    def read(value: Any) -> int:
        if type(value) is not int:
            raise ManifestError("应为整数")
        if not low <= value <= high:
            raise ManifestError(f"应在 {low} 到 {high} 之间")
        return value
    return read


def _boolean(value: Any) -> bool:
    if type(value) is not bool:
        raise ManifestError("应为 true 或 false")
    return value


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ManifestError("应为 JSON 对象")
    return value


def _format(value: Any) -> str:
    if value != FORMAT:
        raise ManifestError(f"不是本程序的导出格式（应为 {FORMAT}）")
    return value


def _code(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 12 or not value.isascii() or not value.isdigit():
        raise ManifestError("区划代码应为12位数字")
    return value


def _date(value: Any) -> dt.date:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ManifestError("日期应为 YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ManifestError(f"日期 {value} 不存在") from None
    if day.year < 2000:
        raise ManifestError(f"日期 {value} 太早")
    return day


def _period(value: Any) -> tuple[dt.date, dt.date] | None:
    if value is None:
        return None
    value = _object(value)
    start, end = _date(value.get("from")), _date(value.get("to"))
    if start > end:
        raise ManifestError(f"起始日期 {start} 晚于截止日期 {end}")
    return start, end


def _opening(value: Any) -> int:
    if not isinstance(value, str):
        raise ManifestError("应为带两位小数的金额文字，如 \"1500.00\"")
    try:
        fen = read_yuan(value, signed=True)
    except ValidationError:
        raise ManifestError("期初余额格式不对") from None
    if fen is None or fen < 0:
        raise ManifestError("期初余额不能为负数（资金不能透支）")
    return fen


def _encoding(value: Any) -> str:
    if not isinstance(value, str) or value not in ENCODINGS:
        raise ManifestError(f"不认识的编码 {str(value)[:20]}")
    return value


def _audit(value: Any) -> AuditState | None:
    if value is None:
        return None
    value = _object(value)
    last = value.get("last_hash")
    if last is not None and not (isinstance(last, str) and _HEX64.fullmatch(last)):
        raise ManifestError("审计链信息格式不对（last_hash）")
    try:
        return AuditState(_integer(0, 10**12)(value.get("entries")), _boolean(value.get("intact")), last)
    except ManifestError as err:
        raise ManifestError(f"审计链信息格式不对（{err}）") from None


def _file_info(value: Any) -> FileInfo:
    value = _object(value)
    sha = value.get("sha256")
    if not (isinstance(sha, str) and _HEX64.fullmatch(sha)):
        raise ManifestError("sha256 应为64位十六进制")
    size = value.get("bytes")
    return FileInfo(_integer(0, MAX_ROWS)(value.get("rows")), sha,
                    None if size is None else _integer(0, MAX_FILE_BYTES)(size))


def _files(value: Any) -> dict[str, FileInfo]:
    value = _object(value)
    missing = [name for name in FILES if name not in value]
    if missing:
        raise ManifestError("缺少 " + "、".join(missing))
    out = {}
    for name in FILES:
        try:
            out[name] = _file_info(value[name])
        except ManifestError as err:
            raise ManifestError(f"{name}：{err}") from None
    return out


def _exported_at(now: dt.datetime) -> Callable[[Any], dt.datetime]:
    def read(value: Any) -> dt.datetime:
        if not isinstance(value, str) or len(value) > 40:
            raise ManifestError("导出时间应为 ISO 8601 文字")
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ManifestError("导出时间应为 ISO 8601 文字") from None
        if moment.tzinfo is None:
            raise ManifestError("导出时间缺少时区")
        moment = moment.astimezone(dt.timezone.utc)
        if moment > now + CLOCK_SKEW:
            raise ManifestError(f"导出时间 {value} 晚于现在（导出电脑的时钟不对，或文件被改过）")
        if moment < EARLIEST_EXPORT:
            raise ManifestError(f"导出时间 {value} 早于本程序的导出格式")
        return moment
    return read


def fields(now: dt.datetime) -> dict[str, tuple[Callable[[Any], Any], Any]]:
    """Every key: its reader and the value when the key is absent (``...``: required)."""
    return {
        "format": (_format, ...), "society_code": (_code, ...), "society_name": (_string(60), ...),
        "town": (_string(40, required=False), ""), "district": (_string(40, required=False), ""),
        "period": (_period, None), "opening_balance_yuan": (_opening, "0.00"), "full_ids": (_boolean, False),
        "encoding": (_encoding, "utf-8"), "app_version": (_string(40, required=False), ""),
        "exported_at": (_exported_at(now), ...), "audit": (_audit, None), "files": (_files, ...),
    }


_ATTRIBUTE = {"opening_balance_yuan": "opening_fen"}


def read_manifest(data: bytes, now: dt.datetime) -> tuple[Manifest | None, list[tuple[str, str]]]:
    """The checked manifest, or None and the problems as (key, reason)."""
    try:
        raw = parse_json(data)
    except ManifestError as err:
        return None, [("", str(err))]
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for key, (reader, default) in fields(now).items():
        if key not in raw and default is ...:
            problems.append((key, "缺少这一项"))
            continue
        try:
            values[_ATTRIBUTE.get(key, key)] = reader(raw[key]) if key in raw else reader(default)
        except ManifestError as err:
            problems.append((key, str(err)))
    if problems:
        return None, problems
    return Manifest(**values, raw=raw), []
