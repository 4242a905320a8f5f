"""Packets made by hand with one office's own keys (what someone holding that office's PC can
do): each must be refused whole, or have no effect, at the office it is sent to."""

import dataclasses
import time

import pytest
from sqlalchemy import select

from jiujinan import keys
from jiujinan.db import offices as offices_db
from jiujinan.db import packets as packets_db
from jiujinan.db import societies as societies_db
from jiujinan.db.models import AidCase, SigningKey
from jiujinan.exchange.content import content_dict
from jiujinan.exchange.packet import PacketRejected, Party, write_packet
from jiujinan.services import packets
from tests.db.test_packets import DISTRICT, LATER, TOWN, VILLAGE, Offices, decide, sent_up_case, view_of

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def three(ctx, tmp_path):  # noqa: ANN001, ANN201
    made = Offices(ctx, tmp_path)
    yield made
    made.close()


def forge(three: Offices, source: str, target, edit, *, seq: int = 1, up: bool = True):  # noqa: ANN001, ANN201
    """A packet from ``source`` to ``target`` (office settings) of every case ``source`` holds,
    its content changed by ``edit``, signed and encrypted as the real program would."""
    ctx = three.ctx(source)
    with ctx.read() as s:
        office, pem, _identity, fingerprint = packets._own(s, ctx)  # noqa: SLF001
        other = offices_db.trusted_office(s, target.area_code)
        items = [packets_db.case_for_packet(s, case_id, with_application=up)
                 for case_id in s.scalars(select(AidCase.id).order_by(AidCase.id))]
        societies = [societies_db.get_society(s, packets_db.society_id_by_code(s, code)).settings
                     for code in sorted({i["society_code"] for i in items})] if up else []
    content = content_dict(societies, items, [])
    edit(content)
    out = three.tmp / f"forged-{time.monotonic_ns()}.jjnpkt"
    work = three.tmp / f"work-{time.monotonic_ns()}"
    work.mkdir()
    write_packet(out, sender=Party(office.area_code, fingerprint, office.name),
                 receiver=Party(other.area_code, other.fingerprint, other.name), seq=seq, full=False, made_at=LATER,
                 content=content, files=[], recipient=other.recipient, sign=lambda data: keys.sign(pem, data), work=work)
    return out


def last_case(content: dict) -> dict:
    return content["cases"][-1]


def test_a_village_cannot_make_up_a_town_approval(three) -> None:  # noqa: ANN001
    sent_up_case(three, scan=False)

    def town_approval_as_a_village_step(content: dict) -> None:
        case = last_case(content)
        step = dict(case["steps"][-1], kind="decision", level=None, status_before="village_approved",
                    status_after="town_approved", amount_fen=9_999_900, signer="赵镇长",
                    recorded_at="2026-12-20T01:00:00+00:00")
        case["steps"].append(step)
        case["state"].update(status="town_approved", decided_level="town", approved_fen=9_999_900)

    with pytest.raises(PacketRejected, match="办理记录不是审核规则能记下的"):
        packets.receive(three.town, forge(three, "village", TOWN, town_approval_as_a_village_step), "赵镇长")

    def visit_that_approves(content: dict) -> None:
        case = last_case(content)
        case["steps"].append(dict(case["steps"][-1], kind="visit", level="district", status_before="village_approved",
                                  status_after="awaiting_payment", recorded_at="2026-12-20T01:00:00+00:00"))
        case["state"]["status"] = "awaiting_payment"

    with pytest.raises(PacketRejected, match="办理记录不是审核规则能记下的"):
        packets.receive(three.town, forge(three, "village", TOWN, visit_that_approves), "赵镇长")


def test_what_was_decided_is_what_the_steps_say(three) -> None:  # noqa: ANN001
    case_no = sent_up_case(three, scan=False)

    def claim_an_amount(content: dict) -> None:
        last_case(content)["state"].update(approved_fen=9_999_900, decided_level="district", decided_on="2026-11-30")

    packets.receive(three.town, forge(three, "village", TOWN, claim_an_amount), "赵镇长")
    with three.town.read() as s:
        row = s.scalars(select(AidCase).where(AidCase.case_no == case_no)).one()
        assert (row.approved_fen, row.decided_level, row.decided_on) == (None, None, None)


def test_a_town_cannot_close_a_village_case(three) -> None:  # noqa: ANN001
    case_no = sent_up_case(three, scan=False)
    three.carry("village", "town")

    def close_it(content: dict) -> None:
        case = last_case(content)
        case["steps"].append(dict(case["steps"][-1], kind="decision", level="town", status_before="village_approved",
                                  status_after="closed", amount_fen=1, recorded_at="2026-12-20T01:00:00+00:00"))
        case["state"]["status"] = "closed"

    with pytest.raises(PacketRejected, match="结果或金额不对"):
        packets.receive(three.village, forge(three, "town", VILLAGE, close_it, up=False), "王会计")
    assert view_of(three.village, case_no, "王会计").case.status.value == "village_approved"


@pytest.mark.parametrize("change, says", [
    (lambda c: c.update(case_no=c["case_no"].replace("-0000", "-00000")), "写法不对"),
    (lambda c: c["steps"][-1].update(recorded_at="2026-11-16T10:00:00+08:00"), "协调世界时"),
    (lambda c: c["steps"][-1].update(recorded_at="9999-12-31T23:00:00+00:00"), "协调世界时"),
    (lambda c: c["steps"][-1].update(signer="张社长\x1b[2J"), "控制字符"),
    (lambda c: c["steps"][-1].update(recorded_by="李主任\u202e"), "控制字符"),
    (lambda c: c["steps"][-1].update(details_json="[" * 19_999), "详情不对"),
    (lambda c: c.update(created_by="王会计\n"), "首尾|控制字符"),
])
def test_values_no_program_writes_are_refused(three, change, says) -> None:  # noqa: ANN001
    sent_up_case(three, scan=False)
    with pytest.raises(PacketRejected, match=says):
        packets.receive(three.town, forge(three, "village", TOWN, lambda content: change(last_case(content))),
                        "赵镇长")


def test_a_huge_packet_number_costs_nothing(three) -> None:  # noqa: ANN001
    sent_up_case(three, scan=False)
    started = time.perf_counter()
    got = packets.receive(three.town, forge(three, "village", TOWN, lambda content: None, seq=10**9), "赵镇长")
    assert time.perf_counter() - started < 10 and got.gaps == list(range(1, 21))


def test_a_key_enrolled_for_one_office_is_not_enrolled_for_another(three) -> None:  # noqa: ANN001
    """The town's keys on a card that says it is the district's: its fingerprint differs from
    the town's, and the keys are refused."""
    from jiujinan.exchange.card import card_bytes, read_card
    from jiujinan.services import offices

    card_path = offices.card_path(three.tmp / "town-card")
    offices.write_card(three.town, three.tmp / "town-card", "赵镇长")
    card = dataclasses.replace(read_card(card_path), kind=DISTRICT.kind, area_code=DISTRICT.area_code,
                               name="宣州区民政局")
    with three.town.read() as s:
        pem = s.scalar(select(SigningKey.private_pem))
    fake = three.tmp / "fake-district.jjncard"
    fake.write_bytes(card_bytes(card, lambda data: keys.sign(pem, data)))
    assert read_card(fake).fingerprint != read_card(card_path).fingerprint
    with pytest.raises(Exception, match="一把密钥只属于一个单位"):
        offices.trust_card(three.village, fake, "王会计", read_card(fake).fingerprint)


def test_files_of_a_dry_run_are_not_kept(three) -> None:  # noqa: ANN001
    sent_up_case(three, scan=True)
    (packet,) = three.send("village")
    store = three.town.attachments_dir
    assert store != three.village.attachments_dir
    packets.receive(three.town, packet.path, "赵镇长", dry_run=True)
    assert not store.exists() or not any(p.is_file() for p in store.rglob("*"))
    packets.receive(three.town, packet.path, "赵镇长")
    assert [p.suffix for p in store.rglob("*") if p.is_file()] == [".jpg"]
