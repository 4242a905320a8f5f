"""Realistic demo data: societies of one district, seed money, applicants and cases.

Same seed, same data. Rows are generated as plain dicts and bulk-inserted, so a million
cases take minutes, not hours.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from jiujinan.cases.case_number import format_case_no
from jiujinan.cases.enums import (
    INACTIVE_STATUSES, Cause, CaseStatus, FundSource, HouseholdType, LedgerKind, PaymentMethod, Residence, Sex,
    StepKind,
)
from jiujinan.cases.idcard import check_digit
from jiujinan.cases.society import SocietySettings
from jiujinan.cases.review import Rules
from jiujinan.db import bulk, review, societies
from jiujinan.db.seal_baseline import seal_demo_rows
from jiujinan.services.context import AppContext
from jiujinan.services.demo_fund import DemoFund, payments
from jiujinan.services.demo_review import base_state, walk

DEMO_USER = "演示数据"
DISTRICT = ("341802", "宣州区")
TOWNS = ["水阳镇", "狸桥镇", "沈村镇", "古泉镇", "洪林镇", "寒亭镇", "文昌镇", "孙埠镇",
         "周王镇", "杨柳镇", "溪口镇", "五星乡", "养贤乡", "黄渡乡", "朱桥乡", "新田镇"]
VILLAGE_PARTS = ["青山", "河口", "马头", "桃园", "新塘", "金宝", "双桥", "龙泉", "石门",
                 "杨林", "柏树", "竹园", "长岗", "高峰", "东湖", "西岭", "红星", "团结"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国文红玉梅凤春海波兴德福生林成荣志忠"
BANKS = ["中国农业银行", "中国邮政储蓄银行", "宣城农村商业银行", "中国建设银行", "中国工商银行"]
HARDSHIP = {
    Cause.ILLNESS: "家庭成员突发重病住院治疗，自付医疗费用较高，家庭收入微薄，基本生活陷入困境。",
    Cause.DISASTER: "房屋因暴雨洪水受损，家中财物损失严重，暂时无处安身，生活困难。",
    Cause.ACCIDENT: "家中主要劳动力意外受伤，无法务工，治疗费用支出大，家庭生活难以为继。",
    Cause.OTHER: "家庭遭遇突发变故，收入中断，子女上学开支大，基本生活出现困难。",
}
RELATIONS = ["配偶", "子", "女", "父亲", "母亲", "孙子", "孙女"]
# A member's age from the applicant's: the range of years older (negative: younger).
AGE_GAP = {"配偶": (-5, 5), "子": (-38, -20), "女": (-38, -20), "父亲": (20, 35), "母亲": (18, 32),
           "孙子": (-60, -40), "孙女": (-60, -40)}
INCOME_BY_AGE = ((16, ["无（上学）", "无"]), (60, ["务工", "务农", "务工", "灵活就业", "无（患病）", "个体经营"]),
                 (200, ["养老金", "务农", "养老金", "无", "子女赡养"]))


@dataclass(frozen=True)
class DemoSummary:
    societies: int
    cases: int
    contributions: int
    payments: int


def _id_number(rng: random.Random, region: str, birth: dt.date, sex: Sex) -> str:
    seq = rng.randrange(0, 100)
    sex_digit = rng.randrange(1, 10, 2) if sex is Sex.MALE else rng.randrange(0, 10, 2)
    first17 = f"{region}{birth:%Y%m%d}{seq:02d}{sex_digit}"
    return first17 + check_digit(first17)


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.75 else "")
    return rng.choice(SURNAMES) + given


def _amount(rng: random.Random) -> int:
    """A few hundred to a few thousand yuan, mostly round hundreds (in fen)."""
    yuan = rng.choice([300, 500, 800, 1000, 1000, 1500, 2000, 2000, 3000, 5000])
    if rng.random() < 0.3:
        yuan = rng.randrange(200, 8000)
    return yuan * 100


def run_demo(
    ctx: AppContext,
    *,
    n_societies: int,
    n_cases: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill the database with ``n_societies`` societies and ``n_cases`` cases spread over them."""
    rng = random.Random(seed)
    now = ctx.clock.now()
    today = ctx.clock.today()
    with ctx.write() as s:
        records = []
        existing = {r.settings.area_code for r in societies.list_societies(s)}
        for i in range(n_societies):
            town_index = i % len(TOWNS)
            village_index = i // len(TOWNS)
            code = f"{DISTRICT[0]}{100 + town_index:03d}{200 + village_index:03d}"
            village = VILLAGE_PARTS[(i * 7) % len(VILLAGE_PARTS)] + ("村" if i % 5 else "社区")
            settings = SocietySettings(
                name=f"{village}救急难互助社", village=village, area_code=code,
                town=TOWNS[town_index], district=DISTRICT[1],
                objection_phone=f"0563-{2000000 + i:07d}", **_paper_settings(i, village, TOWNS[town_index]),
            )
            if code in existing:
                continue
            records.append(societies.add_society(s, settings, now))
        next_entry = bulk.max_ledger_id(s) + 1
        seed_rows = list(_seed_money(rng, records, today, now))
        next_entry = _number(seed_rows, next_entry)
        bulk.insert_ledger(s, seed_rows)
        if records:  # sealed as the app seals what it writes (one audit entry each)
            seal_demo_rows(s, now=now, user=DEMO_USER, societies=(records[0].id, records[-1].id),
                           ledger=(next_entry - len(seed_rows), next_entry - 1))
        counts = _split(n_cases, len(records))
        calendar = review.load_calendar(s)
    done = 0
    contributions, payments_made = len(seed_rows), 0
    seeded = {r.id: 0 for r in records}
    for row in seed_rows:
        seeded[row["society_id"]] += row["amount_fen"]
    for record, count in zip(records, counts):
        # One transaction per society: a WAL file that grows by gigabytes in one transaction
        # makes every page read search it (a million cases took five times as long).
        with ctx.write() as s:
            next_id, next_entry = bulk.max_case_id(s) + 1, bulk.max_ledger_id(s) + 1
            rules = Rules(record.settings, calendar)
            money = DemoFund(record.id, seeded[record.id], vouchers=3)
            for rows, members, steps in _cases_for(rng, record, rules, count, next_id, today, now, money):
                bulk.insert_cases(s, rows)
                bulk.insert_members(s, members)
                bulk.insert_steps(s, steps)
                first_entry, next_entry = next_entry, _number(money.rows, next_entry)
                bulk.insert_ledger(s, money.rows)
                seal_demo_rows(s, now=now, user=DEMO_USER, cases=(rows[0]["id"], rows[-1]["id"]),
                               ledger=(first_entry, next_entry - 1) if next_entry > first_entry else None)
                contributions += sum(1 for r in money.rows if r["amount_fen"] > 0)
                payments_made += sum(1 for r in money.rows if r["amount_fen"] < 0)
                money.rows = []
                done += len(rows)
                if progress:
                    progress(done, n_cases)
    return DemoSummary(len(records), n_cases if records else 0, contributions, payments_made)


def _paper_settings(i: int, village: str, town: str) -> dict[str, object]:
    """What a demo society prints (打印与告知): some leave the offices empty (the usual names
    print), some have the charity association decide at the district. Drawn from their own
    generator, so the cases of a seed stay what they were before these settings existed."""
    rng = random.Random(f"demo-paper-{i}")
    head, clerk = _name(rng), _name(rng)
    values: dict[str, object] = {
        "head_name": head, "objection_contact": f"{village}村民委员会 {clerk}",
        "contact_phone": f"0563-{3000000 + i:07d}", "return_days": rng.choice([5, 7, 10, 10]),
        "appeal_days": 60,
    }
    if i % 3 == 1:
        values["district_office"] = f"{DISTRICT[1]}慈善协会"
    if i % 2 == 1:
        values["town_office"] = f"{town}民政办"
        values["appeal_to"] = f"{town}人民政府民政办（{town}政府路{rng.randrange(1, 60)}号）"
    return values


def _member_details(rng: random.Random, relation: str, applicant_age: int) -> tuple[int | None, str]:
    """A member's age and income source as a clerk would write them (some left blank)."""
    if rng.random() < 0.2:
        return None, ""
    low, high = AGE_GAP[relation]
    age = applicant_age + rng.randint(low, high)
    if not 0 <= age <= 100:
        return None, ""
    return age, rng.choice(next(sources for limit, sources in INCOME_BY_AGE if age < limit))


def _number(rows: list[dict], first: int) -> int:
    """Give ledger rows their ids (so their seals can name them); returns the next id."""
    for n, row in enumerate(rows, start=first):
        row["id"] = n
    return first + len(rows)


def _split(total: int, parts: int) -> list[int]:
    if parts == 0:
        return []
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _seed_money(rng: random.Random, records, today: dt.date, now: dt.datetime) -> Iterator[dict]:  # noqa: ANN001
    """Seed money of at least 30,000 yuan per society from the three sources (DOMAIN)."""
    start = today.replace(year=today.year - 2, month=1, day=5)
    for record in records:
        amounts = {
            FundSource.DISTRICT_BUDGET: (rng.choice([10000, 15000, 20000])) * 100,
            FundSource.CHARITY_MATCH: (rng.choice([10000, 15000])) * 100,
            FundSource.VILLAGE_COLLECTIVE: (rng.choice([10000, 12000, 20000])) * 100,
        }
        payers = {
            FundSource.DISTRICT_BUDGET: f"{record.settings.district}财政局",
            FundSource.CHARITY_MATCH: f"{record.settings.district}慈善协会",
            FundSource.VILLAGE_COLLECTIVE: f"{record.settings.village}村民委员会",
        }
        for n, (source, fen) in enumerate(amounts.items(), start=1):
            yield {
                "society_id": record.id, "posted_on": start + dt.timedelta(days=n),
                "kind": LedgerKind.CONTRIBUTION.value, "source": source.value, "amount_fen": fen,
                "case_id": None, "payer": payers[source], "voucher_no": f"记-{start.year}-{n:03d}",
                "memo": "互助社启动资金", "reversal_of": None, "created_at": now,
                "created_by": DEMO_USER,
            }


CHUNK = 20_000


def _cases_for(rng: random.Random, record, rules: Rules, count: int, first_id: int,  # noqa: ANN001
               today: dt.date, now: dt.datetime, money: DemoFund,
               ) -> Iterator[tuple[list[dict], list[dict], list[dict]]]:
    """``count`` cases of one society over the last two years, numbered per year in date
    order, each walked through the review as far as its age allows; yielded in chunks of
    cases with their household members and steps (so memory stays flat)."""
    area = record.settings.area_code
    region = area[:6]
    span = (today - today.replace(year=today.year - 2)).days
    dates = sorted(today - dt.timedelta(days=rng.randrange(span)) for _ in range(count))
    people: list[tuple[str, Sex, str, dt.date]] = []
    seq_by_year: dict[int, int] = {}
    cases, members, steps = [], [], []
    aided: set[tuple[str, str, int]] = set()  # (ID, cause, year) already applied for: 一事一救
    details = random.Random(f"demo-members-{area}")  # its own draws: the seed's cases stay as they were
    for offset, applied_on in enumerate(dates):
        if people and rng.random() < 0.15:
            name, sex, id_number, birth = rng.choice(people)  # an applicant who came before
        else:
            sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
            birth = dt.date(rng.randrange(1940, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
            name = _name(rng)
            id_number = _id_number(rng, region, birth, sex)
            people.append((name, sex, id_number, birth))
        cause = rng.choices(list(Cause), weights=[60, 15, 15, 10])[0]
        method = rng.choices(list(PaymentMethod), weights=[60, 35, 5])[0]
        seq = seq_by_year[applied_on.year] = seq_by_year.get(applied_on.year, 0) + 1
        case_id = first_id + offset
        n_members = rng.randrange(0, 4)
        requested = _amount(rng)
        clash = (id_number, cause.value, applied_on.year) in aided
        money.fund_application(rng, applied_on, requested, now, DEMO_USER)
        case_no = format_case_no(area, applied_on.year, seq)

        def pay_one(day: dt.date, fen: int, cid: int = case_id, m: PaymentMethod = method,
                    payee: str = name, no: str = case_no) -> None:
            money.pay(day, cid, fen, m, payee, no, now, DEMO_USER)

        state, walked = walk(rng, base_state(requested, applied_on, clash), rules, today, pay_one)
        state, paid_steps = payments(rng, state, walked, rules, today, pay_one)
        walked += paid_steps
        last_paid = max((st.on for st in walked if st.kind is StepKind.PAYMENT), default=None)
        if state.status not in INACTIVE_STATUSES:
            aided.add((id_number, cause.value, applied_on.year))
        decided_on = next((st.on for st in walked if review.decided_by(st)), None)
        for st in [review.acceptance_step(applied_on, requested), *walked]:
            steps.append(review.step_columns(case_id, st, user=DEMO_USER, now=now))
        cases.append({
            "id": case_id, "society_id": record.id,
            "case_no": case_no,
            "case_year": applied_on.year, "case_seq": seq, "status": CaseStatus.ACCEPTED.value,
            "applicant_name": name, "sex": sex.value, "id_number": id_number, "birth_date": birth,
            "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            "address": f"{record.settings.town}{record.settings.village}{rng.randrange(1, 30)}组{rng.randrange(1, 80)}号",
            "residence": Residence.REGISTERED.value, "hukou_address": "",
            "household_size": n_members + 1,
            "household_type": rng.choices(list(HouseholdType), weights=[20, 5, 10, 10, 55])[0].value,
            "cause": cause.value, "hardship": HARDSHIP[cause], "requested_fen": requested,
            "paid_on": last_paid, "other_aid": "",
            "payment_method": method.value,
            "bank_name": "" if method is PaymentMethod.CASH else rng.choice(BANKS),
            "account_no": "" if method is PaymentMethod.CASH else f"62{rng.randrange(10**16):016d}",
            "account_holder": "" if method is PaymentMethod.CASH else name,
            "agent_name": "", "agent_id_number": "", "agent_relation": "", "agent_has_poa": False,
            "applied_on": applied_on, "version": 1, "decided_on": decided_on,
            **review.state_columns(state),
            "created_at": now, "created_by": DEMO_USER, "updated_at": now, "updated_by": DEMO_USER,
        })
        applicant_age = applied_on.year - birth.year - ((applied_on.month, applied_on.day) < (birth.month, birth.day))
        for position in range(n_members):
            member_name, relation = _name(rng), rng.choice(RELATIONS)
            age, income = _member_details(details, relation, applicant_age)
            members.append({"case_id": case_id, "position": position, "name": member_name,
                            "relation": relation, "id_number": "", "age": age, "income_source": income})
        if len(cases) == CHUNK:
            yield cases, members, steps
            cases, members, steps = [], [], []
    if cases:
        yield cases, members, steps
