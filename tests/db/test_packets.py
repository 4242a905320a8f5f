"""Packets between three real databases (services/packets.py): a village, its town (on both
backends) and the district take a case through the whole review with only packet files between
them; packets applied in any order, twice, or with gaps; conflicts; bad packets refused with
nothing changed."""

import datetime as dt
import itertools
import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from jiujinan.cases.clock import FixedClock
from jiujinan.cases.enums import CaseStatus, Level, PaymentMethod, StepKind
from jiujinan.cases.fund import PaymentInput
from jiujinan.cases.offices import OfficeKind, OfficeSettings
from jiujinan.cases.review import Decide, Deliberation, Return, ReviewError, StartNotice, Visit
from jiujinan.db.models import AidCase, AuditEntry, CaseConflict, PacketOut
from jiujinan.exchange.packet import PacketRejected
from jiujinan.services import fund, intake, offices, packets, review
from jiujinan.services.context import open_context
from tests.conftest import add_staff_member, application, make_id, society_settings

D = dt.date
LATER = dt.datetime(2026, 12, 21, 2, 0, tzinfo=dt.timezone.utc)
VILLAGE = OfficeSettings(OfficeKind.VILLAGE, "341802100201", "青山村救急难互助社")
TOWN = OfficeSettings(OfficeKind.TOWN, "341802100000", "水阳镇人民政府")
DISTRICT = OfficeSettings(OfficeKind.DISTRICT, "341802000000", "宣州区民政局")


class Offices:
    """The village and the district on SQLite files, the town on the test's backend."""

    def __init__(self, town, tmp_path) -> None:  # noqa: ANN001
        from tests.conftest import SEED
        from jiujinan.cases.enums import FundSource
        from jiujinan.cases.fund import ContributionInput
        from jiujinan.services import societies

        self.tmp = tmp_path
        clock = FixedClock(LATER)
        town.clock = clock
        self.town = town
        # Each office on its own folder: its attachment store beside its database, as on its own PC.
        for folder in ("v", "d"):
            (tmp_path / folder).mkdir()
        self.village_file = tmp_path / "v" / "village.db"
        self.village = open_context(str(self.village_file), tmp_path / "v", clock)
        self.district = open_context(str(tmp_path / "d" / "district.db"), tmp_path / "d", clock)
        for ctx, who in ((self.village, "王会计"), (self.town, "赵镇长"), (self.district, "钱局长")):
            add_staff_member(ctx, who)
        add_staff_member(self.village, "李主任")
        offices.setup_office(self.village, VILLAGE, "王会计")
        offices.setup_office(self.town, TOWN, "赵镇长")
        offices.setup_office(self.district, DISTRICT, "钱局长")
        self.society = societies.create_society(self.village, society_settings(), "王会计").id
        for source, fen, payer in SEED:
            fund.add_contribution(self.village, self.society, ContributionInput(
                D(2026, 1, 5), FundSource(source), fen, payer, f"记-{fen}"), "王会计")
        for a, b in (("village", "town"), ("town", "district")):
            self.enrol(a, b)
            self.enrol(b, a)
        self.usb = tmp_path / "usb"
        self.usb.mkdir()

    def ctx(self, name: str):  # noqa: ANN201
        return getattr(self, name)

    def user(self, name: str) -> str:
        return {"village": "王会计", "town": "赵镇长", "district": "钱局长"}[name]

    def enrol(self, own: str, other: str) -> None:
        card = offices.write_card(self.ctx(other), self.tmp / f"{other}-card", self.user(other))
        offices.trust_card(self.ctx(own), offices.card_path(self.tmp / f"{other}-card"), self.user(own),
                           card.fingerprint)

    def send(self, source: str, to: str | None = None) -> list:  # noqa: ANN201
        return packets.send(self.ctx(source), self.usb, self.user(source), to=to)

    def carry(self, source: str, target: str) -> packets.Received:
        """Send what ``source`` has for ``target`` and apply it there."""
        code = {"village": VILLAGE, "town": TOWN, "district": DISTRICT}[target].area_code
        (sent,) = self.send(source, code)
        return packets.receive(self.ctx(target), sent.path, self.user(target))

    def close(self) -> None:
        self.village.close()
        self.district.close()


@pytest.fixture
def three(ctx, tmp_path):  # noqa: ANN001, ANN201
    made = Offices(ctx, tmp_path)
    yield made
    made.close()


def sent_up_case(three: Offices, amount: int = 600_000, scan: bool = True, person: int = 12) -> str:
    """A case the village decided above its limit (so it waits for the town), with a scan."""
    files = []
    if scan:
        bill = three.tmp / "住院发票.jpg"
        bill.write_bytes(b"\xff\xd8scan" * 5000)
        files = [bill]
    v = three.village
    case = intake.register_application(v, three.society, application(applied_on=D(2026, 11, 2),
                                                                     requested_yuan=str(amount // 100),
                                                                     id_number=make_id(seq=str(person))),
                                       "王会计", attachments=files)
    view = review.case_view(v, case.id, "王会计")
    for action in (Visit(D(2026, 11, 3), ("王会计", "李委员"), "属实"),
                   Deliberation(D(2026, 11, 5), ("张社长", "李委员", "赵理事"), "同意", amount),
                   StartNotice(D(2026, 11, 9), "村务公开栏"),
                   Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意，报乡镇审核", amount)):
        view = review.perform(v, case.id, action, "李主任", version=view.version)
    assert view.case.status is CaseStatus.VILLAGE_APPROVED
    return case.case_no


def view_of(ctx, case_no: str, user: str):  # noqa: ANN001, ANN201
    case = intake.load_by_no(ctx, case_no, user)
    return review.case_view(ctx, case.id, user)


def decide(ctx, case_no: str, user: str, action) -> None:  # noqa: ANN001
    view = view_of(ctx, case_no, user)
    review.perform(ctx, view.case.id, action, user, version=view.version)


def test_a_case_walks_village_town_district_and_back_with_packets_only(three) -> None:  # noqa: ANN001
    case_no = sent_up_case(three)
    got = three.carry("village", "town")
    assert got.new_cases == [case_no] and got.new_steps == 5
    at_town = view_of(three.town, case_no, "赵镇长")
    assert at_town.case.status is CaseStatus.VILLAGE_APPROVED and at_town.case.application.applicant_name == "张三"
    (scan,) = at_town.case.attachments
    assert intake.attachment_path(three.town, at_town.case.id, scan, "赵镇长").read_bytes() == b"\xff\xd8scan" * 5000
    # Each office records only its own level: the town not the village's steps, the village
    # not the town's opinion on a case it sent up. The case screen offers only those.
    assert at_town.allowed == (StepKind.DECISION, StepKind.RETURN, StepKind.REJECT)
    assert view_of(three.village, case_no, "王会计").allowed == ()
    with pytest.raises(ReviewError, match="只办理乡镇（街道）一级"):
        decide(three.town, case_no, "赵镇长", Decide(Level.VILLAGE, D(2026, 11, 20), "赵镇长", "同意", 600_000))
    with pytest.raises(ReviewError, match="已用数据包报送水阳镇人民政府"):
        decide(three.village, case_no, "李主任", Decide(Level.TOWN, D(2026, 11, 20), "赵镇长", "同意", 600_000))
    decide(three.town, case_no, "赵镇长", Decide(Level.TOWN, D(2026, 11, 20), "赵镇长", "同意，报区审批", 600_000))
    assert three.carry("town", "district").new_cases == [case_no]
    decide(three.district, case_no, "钱局长", Decide(Level.DISTRICT, D(2026, 11, 25), "钱局长", "同意救助", 600_000))
    assert three.send("district") and three.send("district") == []  # once sent, nothing more is due
    down = packets.receive(three.town, next(three.usb.glob("宣州区民政局至水阳镇人民政府_第1号*")), "赵镇长")
    assert down.updated_cases == [case_no] and down.new_steps == 1 and down.receipts == 1
    # The village gets the town's and the district's opinions in one packet from the town.
    got = three.carry("town", "village")
    assert got.updated_cases == [case_no] and got.new_steps == 2 and got.receipts == 1
    at_village = view_of(three.village, case_no, "王会计")
    assert at_village.case.status is CaseStatus.AWAITING_PAYMENT
    assert [(s.kind, s.level, s.signer) for s in at_village.steps[-2:]] == [
        (StepKind.DECISION, Level.TOWN, "赵镇长"), (StepKind.DECISION, Level.DISTRICT, "钱局长")]
    assert at_village.state.approved_fen == 600_000
    fund.pay(three.village, at_village.case.id, PaymentInput(D(2026, 11, 27), PaymentMethod.BANK, 600_000, "付-1"),
             "王会计", version=at_village.version)
    assert view_of(three.village, case_no, "王会计").case.status is CaseStatus.PAID
    # The payment goes up too (the town oversees it), and the town's receipt comes back.
    assert three.carry("village", "town").updated_cases == [case_no]
    assert view_of(three.town, case_no, "赵镇长").case.status is CaseStatus.PAID
    with three.village.read() as s:
        assert s.scalar(select(func.count()).select_from(PacketOut).where(PacketOut.acked_at.is_(None))) == 1
    # Every database still checks out: each received row is on its audit chain and sealed.
    from jiujinan.db import audit, seal_check

    for ctx in (three.village, three.district):
        with ctx.read() as s:
            assert audit.chain_problems(s) + seal_check.rows_match_seals(s) == []


def test_nothing_due_says_so(three) -> None:  # noqa: ANN001
    assert three.send("village") == [] and three.send("town") == []


def copy_db(src, dest) -> None:  # noqa: ANN001
    with sqlite3.connect(src) as a, sqlite3.connect(dest) as b:
        a.backup(b)


def packets_for_village(three: Offices) -> list:
    """Three packets from the town to the village: the town's approval, the district's
    decision relayed, and a full resend of both."""
    case_no = sent_up_case(three, scan=False)
    other = sent_up_case(three, amount=300_000, scan=False, person=13)
    three.carry("village", "town")
    decide(three.town, case_no, "赵镇长", Decide(Level.TOWN, D(2026, 11, 20), "赵镇长", "同意", 600_000))
    decide(three.town, other, "赵镇长", Return(Level.TOWN, D(2026, 11, 20), "赵镇长", ("户口本复印件",)))
    (first,) = three.send("town", VILLAGE.area_code)
    three.carry("town", "district")
    decide(three.district, case_no, "钱局长", Decide(Level.DISTRICT, D(2026, 11, 25), "钱局长", "同意", 600_000))
    three.carry("district", "town")
    (second,) = three.send("town", VILLAGE.area_code)
    (third,) = packets.send(three.town, three.usb, "赵镇长", to=VILLAGE.area_code, full=True)
    return [first.path, second.path, third.path]


def village_state(ctx) -> list:  # noqa: ANN001
    with ctx.read() as s:
        rows = s.execute(select(AidCase.case_no, AidCase.status, AidCase.approved_fen).order_by(AidCase.case_no))
        cases = [tuple(r) for r in rows]
    from jiujinan.db import packets as packets_db

    with ctx.read() as s:
        chains = [packets_db.tokens(s, cid) for cid in s.scalars(select(AidCase.id).order_by(AidCase.case_no))]
    return [cases, chains]


@pytest.mark.sqlite_only
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_delivery_order_ends_in_the_same_state(three, data) -> None:  # noqa: ANN001
    if not hasattr(three, "made"):
        three.made = packets_for_village(three)
        three.village.close()
        copy_db(three.village_file, three.tmp / "village-base.db")
        three.village = open_context(str(three.village_file), three.tmp / "v", FixedClock(LATER))
        for path in three.made:
            packets.receive(three.village, path, "王会计")
        three.expected = village_state(three.village)
    order = data.draw(st.lists(st.sampled_from(three.made), min_size=1, max_size=5))
    if three.made[2] not in order:  # everything must arrive somehow: the full resend, or both others
        order += [path for path in three.made[:2] if path not in order]
    trial = three.tmp / "trial.db"
    trial.unlink(missing_ok=True)
    copy_db(three.tmp / "village-base.db", trial)
    ctx = open_context(str(trial), three.tmp / "v", FixedClock(LATER))
    try:
        for path in order:
            packets.receive(ctx, path, "王会计")
        assert village_state(ctx) == three.expected
    finally:
        ctx.close()


def test_a_gap_is_named_and_filled_later(three) -> None:  # noqa: ANN001
    first, second, _full = packets_for_village(three)
    got = packets.receive(three.village, second, "王会计")
    assert got.gaps == [1] and packets.gap_names(got.sender, got.gaps) == ["缺少来自水阳镇人民政府的第 1 号数据包"]
    late = packets.receive(three.village, first, "王会计")
    # The first packet's approval of case 1 is behind what the second brought; its return of
    # case 2 is new.
    assert len(late.stale) == 1 and len(late.updated_cases) == 1 and late.gaps == []
    state = village_state(three.village)
    assert [status for _no, status, _fen in state[0]] == ["awaiting_payment", "returned"]
    assert packets.receive(three.village, first, "王会计").already
    packets.receive(three.village, _full, "王会计")
    assert village_state(three.village) == state


def test_two_town_pcs_answering_differently_make_a_conflict(three) -> None:  # noqa: ANN001
    case_no = sent_up_case(three, scan=False)
    three.carry("village", "town")
    if three.town.url.startswith("postgresql"):
        pytest.skip("the second town PC is a copy of the town's SQLite file")
    copy_db(three.town.engine.url.database, three.tmp / "town2.db")
    town2 = open_context(str(three.tmp / "town2.db"), three.tmp / "t2", FixedClock(LATER))
    try:
        decide(three.town, case_no, "赵镇长", Decide(Level.TOWN, D(2026, 11, 20), "赵镇长", "同意", 600_000))
        decide(town2, case_no, "赵镇长", Return(Level.TOWN, D(2026, 11, 21), "孙副镇长", ("低保证明",)))
        (one,) = three.send("town", VILLAGE.area_code)
        usb2 = three.tmp / "usb2"
        usb2.mkdir()
        (two,) = packets.send(town2, usb2, "赵镇长", to=VILLAGE.area_code)
    finally:
        town2.close()
    assert one.seq == two.seq == 1  # the copy numbers its packets alike: told apart by their contents
    assert packets.receive(three.village, one.path, "王会计").updated_cases == [case_no]
    got = packets.receive(three.village, two.path, "王会计")
    assert got.conflicts == [case_no] and not got.already
    view = view_of(three.village, case_no, "王会计")
    assert view.case.status is CaseStatus.TOWN_APPROVED  # the first answer stands; the second waits aside
    with three.village.read() as s:
        (conflict,) = s.scalars(select(CaseConflict)).all()
    assert "孙副镇长" in conflict.steps_json


def counts(ctx) -> tuple[int, int]:  # noqa: ANN001
    with ctx.read() as s:
        return (s.scalar(select(func.count()).select_from(AidCase)),
                s.scalar(select(func.count()).select_from(AuditEntry)))


def test_bad_packets_are_refused_and_change_nothing(three, tmp_path) -> None:  # noqa: ANN001
    case_no = sent_up_case(three, scan=False)
    (packet,) = three.send("village")
    before_district = counts(three.district)
    with pytest.raises(PacketRejected, match="是发给水阳镇人民政府（341802100000）的，不是发给本单位"):
        packets.receive(three.district, packet.path, "钱局长")
    assert counts(three.district) == before_district
    before_town = counts(three.town)
    cut = tmp_path / "cut.jjnpkt"
    data = packet.path.read_bytes()
    for end in range(0, len(data), max(1, len(data) // 40)):
        cut.write_bytes(data[:end])
        with pytest.raises(PacketRejected):
            packets.receive(three.town, cut, "赵镇长")
    assert counts(three.town) == before_town
    # A town set up again from scratch (new keys) is not the town the village enrolled.
    imposter = open_context(str(tmp_path / "imposter.db"), tmp_path / "i", FixedClock(LATER))
    try:
        offices.setup_office(imposter, TOWN, "")
        v_card = offices.write_card(three.village, tmp_path / "village-card2", "王会计")
        offices.trust_card(imposter, offices.card_path(tmp_path / "village-card2"), "", v_card.fingerprint)
        with pytest.raises(PacketRejected, match="另一张卡片"):
            packets.receive(imposter, packet.path, "")
    finally:
        imposter.close()
    assert packets.receive(three.town, packet.path, "赵镇长").new_cases == [case_no]
    assert packets.receive(three.town, packet.path, "赵镇长").already
    # From an office no longer enrolled: the district withdrew the town's card.
    decide(three.town, case_no, "赵镇长", Decide(Level.TOWN, D(2026, 11, 20), "赵镇长", "同意", 600_000))
    (up,) = three.send("town", DISTRICT.area_code)
    from jiujinan.db import offices as offices_db

    with three.district.write() as s:
        offices_db.retire(s, offices_db.trusted_office(s, TOWN.area_code).id, LATER, "钱局长")
    with pytest.raises(PacketRejected, match="来自未登记的单位水阳镇人民政府"):
        packets.receive(three.district, up.path, "钱局长")
    assert counts(three.district) == before_district


def test_a_village_cannot_bring_a_town_opinion(three) -> None:  # noqa: ANN001
    """A village database from before offices (no office row) lets its clerk copy the town's
    opinion from paper; sent up, that step is not the village's to bring."""
    case_no = sent_up_case(three, scan=False)
    three.carry("village", "town")
    with three.village.write() as s:
        from jiujinan.db.models import Office

        s.delete(s.get(Office, 1))  # the paper way: nothing says the case went by packet
    decide(three.village, case_no, "李主任", Decide(Level.TOWN, D(2026, 11, 20), "赵镇长", "同意", 600_000))
    with three.village.write() as s:
        from jiujinan.db.offices import put_office

        put_office(s, VILLAGE, LATER, "王会计")
    before = counts(three.town)
    (packet,) = three.send("village")
    with pytest.raises(PacketRejected, match="不该由青山村救急难互助社发来"):
        packets.receive(three.town, packet.path, "赵镇长")
    assert counts(three.town) == before


def test_dry_run_says_what_would_change_and_changes_nothing(three) -> None:  # noqa: ANN001
    sent_up_case(three, scan=False)
    (packet,) = three.send("village")
    before = counts(three.town)
    got = packets.receive(three.town, packet.path, "赵镇长", dry_run=True)
    assert got.dry_run and len(got.new_cases) == 1 and counts(three.town) == before
    assert packets.receive(three.town, packet.path, "赵镇长").new_cases == got.new_cases


def test_only_a_user_of_the_whole_database_sends(three) -> None:  # noqa: ANN001
    from jiujinan.cases.users import PermissionDenied, Role
    from jiujinan.services import users

    users.create_user(three.village, "外人", frozenset({Role.CLERK}), "wairen-2026!", "王会计", area="341802100201")
    with pytest.raises(PermissionDenied, match="整个数据库"):
        packets.send(three.village, three.usb, "外人")


def test_the_town_neither_registers_nor_pays_for_a_village(three) -> None:  # noqa: ANN001
    from jiujinan.cases.enums import FundSource
    from jiujinan.cases.fund import ContributionInput
    from jiujinan.cases.users import PermissionDenied

    case_no = sent_up_case(three, scan=False)
    three.carry("village", "town")
    at_town = view_of(three.town, case_no, "赵镇长")
    society = at_town.case.society_id
    with pytest.raises(PermissionDenied, match="由其本社登记和办理"):
        intake.register_application(three.town, society, application(id_number=make_id(seq="55")), "赵镇长")
    with pytest.raises(PermissionDenied, match="由其本社登记和办理"):
        fund.add_contribution(three.town, society, ContributionInput(
            D(2026, 12, 1), FundSource.DONATION, 100, "某人", "记-1"), "赵镇长")


def test_a_case_waiting_for_an_office_not_enrolled_is_said(three, tmp_path) -> None:  # noqa: ANN001
    from jiujinan.db import offices as offices_db

    sent_up_case(three, scan=False)
    with three.village.write() as s:
        offices_db.retire(s, offices_db.trusted_office(s, TOWN.area_code).id, LATER, "王会计")
    sent = three.send("village")
    assert sent == [] and sent.notes == [
        "1 件案件等待乡镇（街道）审核，但还没有登记乡镇（街道）的卡片，未能发送：请先在 设置 → 本单位 登记其卡片（并电话核对指纹），再发送"]
