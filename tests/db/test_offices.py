"""Offices on both backends (services/offices.py): set up once, a card handed out, the cards of
other offices enrolled after their fingerprint is confirmed; each on the audit chain."""

import pytest
from sqlalchemy import select

from jiujinan.cases.errors import DomainError
from jiujinan.cases.offices import OfficeKind, OfficeSettings
from jiujinan.cases.users import PermissionDenied
from jiujinan.db.models import AuditEntry
from jiujinan.services import offices, societies
from jiujinan.services.context import open_context
from tests.conftest import add_staff_member, society_settings

TOWN = OfficeSettings(OfficeKind.TOWN, "341802100000", "水阳镇人民政府")
VILLAGE = OfficeSettings(OfficeKind.VILLAGE, "341802100201", "青山村救急难互助社")
DISTRICT = OfficeSettings(OfficeKind.DISTRICT, "341802000000", "宣州区民政局")


@pytest.fixture
def other(tmp_path, clock):  # noqa: ANN001, ANN201
    """Another office's database, on a SQLite file: what it hands over is a card file."""
    made = []

    def make(settings: OfficeSettings):  # noqa: ANN202
        context = open_context(str(tmp_path / f"{settings.area_code}.db"), tmp_path, clock)
        made.append(context)
        offices.setup_office(context, settings, "")
        return context

    yield make
    for context in made:
        context.close()


def card_of(ctx, tmp_path, name: str):  # noqa: ANN001, ANN201
    made = offices.write_card(ctx, tmp_path / name, "")
    return offices.card_path(tmp_path / name), made.fingerprint


def entries(ctx, entity: str) -> list[tuple[str, str]]:  # noqa: ANN001
    with ctx.read() as s:
        return [(e.action, e.user_name) for e in s.scalars(select(AuditEntry).where(AuditEntry.entity == entity)
                                                               .order_by(AuditEntry.seq))]


def test_a_new_database_is_set_up_as_a_town_without_a_society(ctx) -> None:  # noqa: ANN001
    assert offices.current_office(ctx) is None
    office, changed = offices.setup_office(ctx, TOWN, "")
    assert changed and offices.current_office(ctx) == office and not office.derived
    assert societies.list_societies(ctx) == []
    assert entries(ctx, "office") == [("setup", "系统")] and entries(ctx, "office_key") == [("create", "系统")]
    assert entries(ctx, "key") == [("create", "系统")]
    assert offices.setup_office(ctx, TOWN, "") == (office, False)  # the same again changes nothing
    with pytest.raises(DomainError, match="不能改设"):
        offices.setup_office(ctx, DISTRICT, "")
    # Its villages may work on a town's shared database; another town's may not.
    societies.create_society(ctx, society_settings("341802100202", "红星村救急难互助社"), "")
    with pytest.raises(DomainError, match="不在本单位范围内"):
        societies.create_society(ctx, society_settings("341802200101", "金宝圩村救急难互助社"), "")


def test_a_database_from_before_offices_reads_as_the_village_office(ctx, society_id) -> None:  # noqa: ANN001
    office = offices.current_office(ctx)
    assert office.derived and office.kind is OfficeKind.VILLAGE and office.area_code == "341802100201"
    with pytest.raises(DomainError, match="不在.*范围内的互助社"):
        offices.setup_office(ctx, OfficeSettings(OfficeKind.VILLAGE, "341802100202", "红星村"), "王会计")
    office, changed = offices.setup_office(ctx, VILLAGE, "王会计")
    assert changed and not office.derived
    with pytest.raises(DomainError, match="不在本单位范围内"):
        societies.create_society(ctx, society_settings("341802100202", "红星村救急难互助社"), "王会计")


def test_only_an_administrator_of_the_whole_database_sets_up_or_enrols(ctx, society_id, tmp_path, other) -> None:  # noqa: ANN001
    from jiujinan.services import users

    from jiujinan.cases.users import Role

    users.create_user(ctx, "小刘", frozenset({Role.CLERK, Role.REVIEWER}), "xiaoliu-2026!", "王会计")
    with pytest.raises(PermissionDenied, match="设立本单位"):
        offices.setup_office(ctx, VILLAGE, "小刘")
    offices.setup_office(ctx, VILLAGE, "王会计")
    path, fingerprint = card_of(other(TOWN), tmp_path, "town")
    with pytest.raises(PermissionDenied, match="登记其他单位"):
        offices.trust_card(ctx, path, "小刘", fingerprint)
    with pytest.raises(PermissionDenied):
        offices.trusted(ctx, "外人")


def test_three_offices_enrol_each_other(ctx, tmp_path, other) -> None:  # noqa: ANN001
    offices.setup_office(ctx, TOWN, "")
    village, district = other(VILLAGE), other(DISTRICT)
    for theirs in (village, district):
        path, fingerprint = card_of(theirs, tmp_path, "card")
        done = offices.trust_card(ctx, path, "", fingerprint.lower().replace(" ", ""))
        assert not done.already and not done.replaced and done.office.fingerprint == fingerprint
    town_card, town_print = card_of(ctx, tmp_path, "town")
    for theirs in (village, district):
        assert offices.trust_card(theirs, town_card, "", town_print).office.kind is OfficeKind.TOWN
    assert [(t.kind, t.area_code) for t in offices.trusted(ctx, "")] == [
        (OfficeKind.DISTRICT, "341802000000"), (OfficeKind.VILLAGE, "341802100201")]
    assert offices.trust_card(village, town_card, "", town_print).already
    assert entries(ctx, "trusted_office") == [("enrol", "系统"), ("enrol", "系统")]


def test_a_card_is_enrolled_only_as_confirmed_and_only_between_levels(ctx, tmp_path, other, clock) -> None:  # noqa: ANN001
    offices.setup_office(ctx, VILLAGE, "")
    path, fingerprint = card_of(other(TOWN), tmp_path, "town")
    with pytest.raises(DomainError, match="指纹不一致"):
        offices.trust_card(ctx, path, "", "0000 0000 0000 0000")
    own, own_print = card_of(ctx, tmp_path, "own")
    with pytest.raises(DomainError, match="本单位自己的卡片"):
        offices.trust_card(ctx, own, "", own_print)
    stranger, stranger_print = card_of(other(OfficeSettings(OfficeKind.TOWN, "341802200000", "金宝圩镇")), tmp_path, "x")
    with pytest.raises(DomainError, match="不是本单位.*的上级或下级单位"):
        offices.trust_card(ctx, stranger, "", stranger_print)
    neighbour, neighbour_print = card_of(other(OfficeSettings(OfficeKind.VILLAGE, "341802100202", "红星村")),
                                         tmp_path, "n")
    with pytest.raises(DomainError, match="同级"):
        offices.trust_card(ctx, neighbour, "", neighbour_print)
    assert offices.trusted(ctx, "") == []


def test_a_town_with_new_keys_is_replaced_only_when_asked(ctx, tmp_path, clock) -> None:  # noqa: ANN001
    offices.setup_office(ctx, VILLAGE, "")
    first = open_context(str(tmp_path / "town1.db"), tmp_path, clock)
    second = open_context(str(tmp_path / "town2.db"), tmp_path, clock)  # the town's new PC, set up again
    try:
        for town in (first, second):
            offices.setup_office(town, TOWN, "")
        old, old_print = card_of(first, tmp_path, "old")
        new, new_print = card_of(second, tmp_path, "new")
    finally:
        first.close()
        second.close()
    offices.trust_card(ctx, old, "", old_print)
    with pytest.raises(offices.ReplacementNeeded, match="确认替换"):
        offices.trust_card(ctx, new, "", new_print)
    done = offices.trust_card(ctx, new, "", new_print, replace=True)
    assert done.replaced == old_print and [t.fingerprint for t in offices.trusted(ctx, "")] == [new_print]
    assert entries(ctx, "trusted_office") == [("enrol", "系统"), ("replace", "系统")]


def test_no_card_before_the_office_is_set_up(ctx, tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(DomainError, match="还没有设立"):
        offices.write_card(ctx, tmp_path / "x", "")
