"""The office card (exchange/card.py): what one office hands another, read back and refused in
Chinese whenever it is not exactly what its office signed."""

import json
import os

import pytest

from jiujinan import keys
from jiujinan.cases.errors import DomainError
from jiujinan.cases.offices import OfficeKind
from jiujinan.exchange.card import MAX_BYTES, Card, canonical, card_bytes, office_fingerprint, parse_card, read_card
from jiujinan.exchange.encryption import new_identity, recipient_of, valid_recipient

PEM = keys.new_private_pem()
IDENTITY, RECIPIENT = new_identity()
CARD = Card(OfficeKind.TOWN, "341802100000", "水阳镇人民政府", keys.public_raw(PEM), RECIPIENT, "2026-12-02")


def signed(card: Card = CARD) -> bytes:
    return card_bytes(card, lambda data: keys.sign(PEM, data))


def resigned(body: dict) -> bytes:
    """A card changed and signed again by its own key: its contents must still be checked."""
    body = {k: v for k, v in body.items() if k != "signature"}
    return json.dumps(dict(body, signature=keys.b64(keys.sign(PEM, canonical(body)))), ensure_ascii=False).encode()


def test_a_card_reads_back_as_made(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "水阳镇.jjncard"
    path.write_bytes(signed())
    card = read_card(path)
    assert card == CARD and card.fingerprint == office_fingerprint(CARD.signing_key, RECIPIENT, CARD.kind,
                                                                   CARD.area_code)
    assert recipient_of(IDENTITY) == RECIPIENT and valid_recipient(RECIPIENT) == RECIPIENT


def test_the_fingerprint_covers_both_keys_and_who_the_office_is() -> None:
    other = new_identity()[1]

    def fp(signing=CARD.signing_key, recipient=RECIPIENT, kind=CARD.kind, code=CARD.area_code) -> str:  # noqa: ANN001
        return office_fingerprint(signing, recipient, kind, code)

    assert len({fp(), fp(recipient=other), fp(signing=keys.public_raw(keys.new_private_pem())),
                fp(kind=OfficeKind.DISTRICT, code="341802000000"), fp(code="341802200000")}) == 5


@pytest.mark.parametrize("field, value", [("name", "金宝圩镇人民政府"), ("area_code", "341802200000"),
                                          ("kind", "district"), ("recipient", new_identity()[1]),
                                          ("made_on", "2027-01-01")])
def test_a_card_changed_after_it_was_made_is_refused(field, value) -> None:  # noqa: ANN001
    body = json.loads(signed())
    body[field] = value
    with pytest.raises(DomainError, match="签名不对|区划代码"):
        parse_card(json.dumps(body, ensure_ascii=False).encode())


def test_a_card_with_another_key_swapped_in_is_refused() -> None:
    body = json.loads(signed())
    body["signing_key"] = keys.b64(keys.public_raw(keys.new_private_pem()))
    with pytest.raises(DomainError, match="签名不对"):
        parse_card(json.dumps(body).encode())


@pytest.mark.parametrize("change, says", [
    ({"format": "other"}, "应为本程序"), ({"version": 2}, "更新版本的程序"), ({"version": "1"}, "版本号"),
    ({"version": True}, "版本号"), ({"extra": 1}, "不认识的项"), ({"kind": "county"}, "单位类别"),
    ({"kind": 3}, "单位类别"), ({"area_code": 341802100000}, "缺少区划代码"), ({"name": "\u202e镇"}, "控制字符"),
    ({"name": "镇" * 41}, "最多40个字"), ({"area_code": "341802100201"}, "乡镇（街道）的区划代码"),
    ({"signing_key": "AAAA"}, "签名公钥"), ({"signing_key": ["x"]}, "签名公钥"),
    ({"recipient": "age1" + "q" * 58}, "加密公钥"), ({"recipient": "ssh-ed25519 AAAA"}, "加密公钥"),
    ({"made_on": "昨天"}, "制作日期"),
])
def test_bad_fields_are_named_even_when_signed_again(change, says) -> None:  # noqa: ANN001
    body = dict(json.loads(signed()), **change)
    with pytest.raises(DomainError, match=says):
        parse_card(resigned(body))


def test_a_card_cut_at_every_tenth_byte_is_refused_in_chinese() -> None:
    data = signed()
    for end in range(0, len(data) - 2, 10):
        with pytest.raises(DomainError, match="不是有效的单位卡片"):
            parse_card(data[:end])


@pytest.mark.parametrize("data, says", [
    (b"\xff\xfe\x00garbage", "UTF-8"), (b"[1, 2]", "JSON 对象"), (b"{" * 5000 + b"}" * 5000, "嵌套"),
    ('{"format": "jiujinan-office-card", "format": "x"}'.encode(), "两次"), (b"", "JSON"),
    (json.dumps({"format": "jiujinan-office-card", "version": 1}).encode(), "缺少|单位类别"),
])
def test_hostile_bytes_are_refused_in_chinese(data, says) -> None:  # noqa: ANN001
    with pytest.raises(DomainError, match=says):
        parse_card(data)


def test_files_that_are_not_cards(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(DomainError, match="找不到文件"):
        read_card(tmp_path / "none.jjncard")
    big = tmp_path / "big.jjncard"
    big.write_bytes(b" " * (MAX_BYTES + 1))
    with pytest.raises(DomainError, match="过大|太大"):
        read_card(big)
    with pytest.raises(DomainError, match="不能读取"):
        read_card(tmp_path)
    if os.name == "posix":
        os.mkfifo(tmp_path / "fifo.jjncard")
        with pytest.raises(DomainError, match="不能读取"):
            read_card(tmp_path / "fifo.jjncard")
