"""The packet file (exchange/packet.py) on its own: written and read back, and every way a
packet can be wrong refused in Chinese before anything of it is used."""

import datetime as dt
import hashlib
import io
import json
import tarfile
import zipfile

import pytest

from jiujinan import keys
from jiujinan.exchange.encryption import new_identity
from jiujinan.exchange.packet import (
    HEADER, PAYLOAD, SIGNATURE, VERSION, Party, PacketRejected, open_payload, read_header, write_packet,
)

PEM = keys.new_private_pem()
SIGNING = keys.public_raw(PEM)
IDENTITY, RECIPIENT = new_identity()
VILLAGE = Party("341802100201", "0732 2FD9 76B2 3567", "青山村救急难互助社")
TOWN = Party("341802100000", "929B D5F6 2806 98D4", "水阳镇人民政府")
CONTENT = {"cases": [{"case_no": "341802100201-2026-00001", "applicant_name": "张三"}]}
WHEN = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.timezone.utc)


def make(tmp_path, *, content=CONTENT, files=(), recipient=RECIPIENT, name="p.jjnpkt", seq=1):  # noqa: ANN001, ANN201
    work = tmp_path / f"work-{name}"
    work.mkdir()
    out = tmp_path / name
    write_packet(out, sender=VILLAGE, receiver=TOWN, seq=seq, full=False, made_at=WHEN, content=content,
                 files=files, recipient=recipient, sign=lambda data: keys.sign(PEM, data), work=work)
    return out


def read(tmp_path, path, identity=IDENTITY):  # noqa: ANN001, ANN201
    opened = read_header(path)
    try:
        assert opened.signed_by(SIGNING)
        work = tmp_path / f"open-{path.name}"
        work.mkdir(exist_ok=True)
        return opened.header, open_payload(opened, identity, work)
    finally:
        opened.close()


def test_a_packet_reads_back_with_its_files(tmp_path) -> None:  # noqa: ANN001
    scan = tmp_path / "住院发票.jpg"
    scan.write_bytes(b"\xff\xd8" + bytes(range(256)) * 400)
    digest = hashlib.sha256(scan.read_bytes()).hexdigest()
    path = make(tmp_path, files=[(digest, scan), (digest, scan)])
    header, payload = read(tmp_path, path)
    assert (header.sender, header.receiver, header.seq, header.full) == (VILLAGE, TOWN, 1, False)
    assert payload.content == CONTENT and payload.files[digest].read_bytes() == scan.read_bytes()
    # Nothing of the payload is readable without the receiver's key.
    assert b"\xe5\xbc\xa0\xe4\xb8\x89" not in path.read_bytes() and not (tmp_path / "p.jjnpkt.part").exists()


def test_a_packet_for_another_key_does_not_open(tmp_path) -> None:  # noqa: ANN001
    path = make(tmp_path, recipient=new_identity()[1])
    with pytest.raises(PacketRejected, match="不是用本单位的密钥加密的"):
        read(tmp_path, path)


def test_a_changed_header_fails_its_signature(tmp_path) -> None:  # noqa: ANN001
    path = make(tmp_path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    header = json.loads(parts[HEADER])
    header["seq"] = 2
    parts[HEADER] = json.dumps(header).encode()
    forged = tmp_path / "forged.jjnpkt"
    with zipfile.ZipFile(forged, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    opened = read_header(forged)
    assert not opened.signed_by(SIGNING)
    opened.close()


def rewrap(tmp_path, path, name, change):  # noqa: ANN001, ANN201
    """The packet with its parts changed by ``change`` and the header signed again by the
    sender's own key (a broken or dishonest sender): the contents must still be checked."""
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    change(parts)
    out = tmp_path / name
    with zipfile.ZipFile(out, "w") as archive:
        for n, data in parts.items():
            archive.writestr(n, data)
    return out


def resign(parts: dict, **fields) -> None:  # noqa: ANN003
    header = json.loads(parts[HEADER])
    header.update(fields)
    parts[HEADER] = json.dumps(header).encode()
    parts[SIGNATURE] = (keys.b64(keys.sign(PEM, parts[HEADER])) + "\n").encode()


def test_a_payload_that_differs_from_the_signed_header_is_refused(tmp_path) -> None:  # noqa: ANN001
    other = make(tmp_path, content={"cases": []}, name="other.jjnpkt")
    with zipfile.ZipFile(other) as archive:
        swapped = archive.read(PAYLOAD)

    def swap(parts: dict) -> None:
        parts[PAYLOAD] = swapped
        header = json.loads(parts[HEADER])
        header["payload"]["size"] = len(swapped)
        resign(parts, payload=header["payload"])

    with pytest.raises(PacketRejected, match="不完整或已损坏"):
        read(tmp_path, rewrap(tmp_path, make(tmp_path), "swapped.jjnpkt", swap))


def test_a_packet_from_a_newer_program_says_so(tmp_path) -> None:  # noqa: ANN001
    path = rewrap(tmp_path, make(tmp_path), "new.jjnpkt", lambda parts: resign(parts, version=VERSION + 1,
                                                                               app_version="9.0"))
    with pytest.raises(PacketRejected, match="更新版本的程序（9.0）"):
        read_header(path)


@pytest.mark.parametrize("change, says", [
    (lambda parts: parts.update({"extra.txt": b"x"}), "不是本程序的数据包"),
    (lambda parts: parts.pop(SIGNATURE), "不是本程序的数据包"),
    (lambda parts: parts.update({SIGNATURE: b"not base64!"}), "签名不对"),
    (lambda parts: parts.update({HEADER: b"[]"}), "JSON 对象"),
    (lambda parts: resign(parts, format="other"), "格式标记"),
    (lambda parts: resign(parts, seq=0), "编号"),
    (lambda parts: resign(parts, seq=True), "编号"),
    (lambda parts: resign(parts, full="yes"), "完整重发"),
    (lambda parts: resign(parts, to={"area_code": "34180210000", "fingerprint": "x"}), "区划代码或指纹"),
    (lambda parts: resign(parts, payload={"sha256": "0" * 64, "size": 1}), "不完整或已损坏"),
])
def test_headers_that_are_not_ours(tmp_path, change, says) -> None:  # noqa: ANN001
    with pytest.raises(PacketRejected, match=says):
        read_header(rewrap(tmp_path, make(tmp_path), "bad.jjnpkt", change))


def test_a_packet_cut_at_every_tenth_byte_is_refused(tmp_path) -> None:  # noqa: ANN001
    data = make(tmp_path).read_bytes()
    cut = tmp_path / "cut.jjnpkt"
    for end in range(0, len(data) - 1, 10):
        cut.write_bytes(data[:end])
        with pytest.raises(PacketRejected, match="不完整或已损坏|不是本程序的数据包"):
            read(tmp_path, cut)


def test_bytes_flipped_in_the_payload_are_caught(tmp_path) -> None:  # noqa: ANN001
    data = bytearray(make(tmp_path).read_bytes())
    at = data.find(b"age-encryption.org") + 200
    data[at] ^= 0x01
    bad = tmp_path / "flipped.jjnpkt"
    bad.write_bytes(bytes(data))
    with pytest.raises(PacketRejected, match="不完整或已损坏"):
        read(tmp_path, bad)


def sealed_tar(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def with_payload(tmp_path, plain: bytes, name: str):  # noqa: ANN001, ANN201
    """A packet signed by the sender whose encrypted tar is ``plain`` (its own program gone wrong)."""
    from pyrage import encrypt, x25519

    cipher = encrypt(plain, [x25519.Recipient.from_str(RECIPIENT)])

    def put(parts: dict) -> None:
        parts[PAYLOAD] = cipher
        resign(parts, payload={"sha256": hashlib.sha256(cipher).hexdigest(), "size": len(cipher)})

    return rewrap(tmp_path, make(tmp_path, name=f"base-{name}"), name, put)


def member(name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE) -> tuple[tarfile.TarInfo, bytes | None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    if kind == tarfile.SYMTYPE:
        info.linkname = "/etc/passwd"
    return info, data if kind == tarfile.REGTYPE else None


GOOD_JSON = json.dumps(CONTENT).encode()


@pytest.mark.parametrize("members, says", [
    ([member("packet.json", GOOD_JSON), member("files/" + "a" * 64, b"not a")], "附件与其校验值不符"),
    ([member("packet.json", GOOD_JSON), member("../../etc/cron.d/x", b"x")], "不认识的文件"),
    ([member("packet.json", GOOD_JSON), member("files/" + "b" * 64, b"", tarfile.SYMTYPE)], "非普通文件"),
    ([member("files/" + hashlib.sha256(b"x").hexdigest(), b"x")], "缺少 packet.json"),
    ([member("packet.json", b"{\"a\": NaN}")], "内容不对"),
    ([member("packet.json", b"\xff\xfe")], "UTF-8"),
])
def test_payloads_a_broken_sender_could_make(tmp_path, members, says) -> None:  # noqa: ANN001
    with pytest.raises(PacketRejected, match=says):
        read(tmp_path, with_payload(tmp_path, sealed_tar(members), "broken.jjnpkt"))
    assert not (tmp_path / "etc").exists()


def test_not_a_packet_at_all(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(PacketRejected, match="找不到数据包文件"):
        read_header(tmp_path / "none.jjnpkt")
    with pytest.raises(PacketRejected, match="不是文件"):
        read_header(tmp_path)
    text = tmp_path / "note.jjnpkt"
    text.write_text("你好", encoding="gb18030")
    with pytest.raises(PacketRejected, match="不完整或已损坏"):
        read_header(text)
