"""Extreme but valid data for the papers, made through the real services (intake, review,
fund) as clerks would enter it: long names and addresses, a 2,000-character hardship
account with long Latin and number runs, amounts from 0.05 to 100,000.01, an emergency
(先行救助) case, a repeat applicant, a returned, a rejected and a reversed case, and a month
(2026-11) with enough payments and ledger entries for rosters and ledgers of several pages.

    data = build_extreme(ctx)   # ctx: an AppContext on an empty database, clock at NOW
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from jiujinan.cases.enums import FundSource, Level, PaymentMethod
from jiujinan.cases.fund import ContributionInput, PaymentInput
from jiujinan.cases.review import Decide, Deliberation, Emergency, Reject, Return, StartNotice, Visit
from jiujinan.cases.society import SocietySettings
from jiujinan.services import fund, intake, review, societies
from jiujinan.services.context import AppContext
from tests.conftest import add_staff_member, application, make_id

D = dt.date
NOW = dt.datetime(2026, 11, 30, 2, 30, tzinfo=dt.timezone.utc)  # the clock the data is made under
MONTH = "2026-11"
PERIOD = (D(2026, 11, 1), D(2026, 12, 1))
SPECIAL = (D(2026, 11, 1), D(2026, 11, 3))  # applied in it: the special cases only (routine ones came later)
CLERK, REVIEWER = "王会计", "李主任"  # the clerk enters and pays; the reviewer records the decisions

SOCIETY = SocietySettings(
    name="宣城市宣州区水阳镇青山村（含原黄泥塘村、金宝圩村合并）救急难互助社",  # 33 characters
    village="青山村（含原黄泥塘村、金宝圩村、新河庄村民小组）",
    area_code="341802100201",
    town="水阳镇（宣州区水阳江沿岸圩区综合治理片区）",
    district="宣城市宣州区",
    objection_phone="0563-2012345",
    village_office="青山村（含原黄泥塘村、金宝圩村）救急难互助社理事会",
    town_office="水阳镇人民政府社会事务办公室（社会救助服务站）",
    district_office="宣州区慈善协会救急难互助资金管理委员会",
    objection_contact="水阳镇人民政府社会事务办公室欧阳主任",
    contact_phone="13905631234",
    appeal_to="宣州区水阳镇人民政府社会事务办公室（水阳镇水阳大道188号便民服务中心二楼）",
    head_name="欧阳青山",
)

LONG_NAME = "阿卜杜热合曼·买买提艾力·库尔班江·艾合买提江·吐尔逊·阿不"  # 30 characters, the most a name may have
LONG_ADDRESS = ("安徽省宣城市宣州区水阳镇青山村（原黄泥塘村）第十七村民组圩埂东侧自然村落"
                "三百六十八号附二号后院东厢房（水阳江大堤桩号K23+650往北约200米处，原村小学旧址对面，"
                "村民组长欧阳大山家西隔壁第二户院内）")


def hardship_2000() -> str:
    """A 2,000-character account as a clerk pastes it: Chinese with long runs of Latin, numbers,
    an invoice number, a URL-like string, and line breaks."""
    parts = [
        "申请人于2026年10月3日凌晨突发急性脑梗死伴出血转化（Acute-ischemic-stroke-with-hemorrhagic-transformation，"
        "ICD-10：I63.900x001），经宣城市中心医院急诊收治入ICU，住院号ZY20261003000123456789，"
        "医保结算单号YB3418022026100300098765432101。",
        "自付医疗费用合计人民币123456789012345678901234567890分之中的实际自付部分为87654.32元，"
        "发票号码0341802612345678901234567890123456，网址https://www.xcsyy.example.cn/jiesuan/"
        "20261003/ZY20261003000123456789/detail?print=1&page=all。\n",
    ]
    sentence = ("家中突发重病，自付医疗费用高昂，妻子长期卧床需要专人照料，儿子在外务工收入微薄，"
                "孙子孙女两人在校读书，家庭无其他收入来源，生活陷入困境，恳请给予救助。")
    n = 1
    while sum(map(len, parts)) < 2000:
        parts.append(f"第{n}项：{sentence}")
        if n % 5 == 0:
            parts.append("\n")
        n += 1
    text = "".join(parts)
    return text[:2000]


@dataclass
class Extreme:
    """What was made, to print and to check against."""

    society_id: int
    cases: dict[str, str] = field(default_factory=dict)  # role → case number
    reversed_entry: int = 0
    payments: int = 0


def _walk(ctx: AppContext, case_id: int, start: D, *, proposed: int, levels: tuple[tuple[Level, int], ...],
          repeat_reason: str = "", visitors: tuple[str, ...] = ("王会计", "李委员"),
          opinion: str = "经入户调查，情况属实，同意救助") -> None:
    """Visit, deliberate, post the notice, and decide at each given level (amounts in fen)."""
    view = review.case_view(ctx, case_id, CLERK)
    actions = [Visit(start + dt.timedelta(days=1), visitors, "入户调查属实：住院自付费用高，家庭无力承担。"),
               Deliberation(start + dt.timedelta(days=2), ("张社长", "李委员", "赵理事"), "理事会民主评议同意救助",
                            proposed, repeat_reason=repeat_reason),
               StartNotice(start + dt.timedelta(days=3), "青山村村务公开栏及各村民组公示点")]
    day = start + dt.timedelta(days=11)  # after 5 working days of notice
    for level, fen in levels:
        actions.append(Decide(level, day, {Level.VILLAGE: "张社长", Level.TOWN: "钱镇长",
                                           Level.DISTRICT: "孙会长"}[level], opinion, fen))
        day += dt.timedelta(days=1)
    for action in actions:
        view = review.perform(ctx, case_id, action, REVIEWER, version=view.version)


def _pay(ctx: AppContext, case_id: int, on: D, fen: int, method: PaymentMethod, voucher: str) -> int:
    version = review.case_view(ctx, case_id, CLERK).version
    return fund.pay(ctx, case_id, PaymentInput(on, method, fen, voucher, receipt_signed=method is PaymentMethod.CASH),
                    CLERK, version=version)


def build_extreme(ctx: AppContext, *, routine: int = 60, attachments_dir: Path | None = None) -> Extreme:
    """Fill an empty database with the extreme society and its cases (``routine`` ordinary
    paid cases in the month besides the special ones)."""
    for person in (CLERK, REVIEWER):
        add_staff_member(ctx, person)
    society_id = societies.create_society(ctx, SOCIETY, CLERK).id
    data = Extreme(society_id)
    for on, source, fen, payer, voucher in (
        (D(2026, 1, 5), FundSource.DISTRICT_BUDGET, 20_000_000, "宣城市宣州区财政局社会救助专项资金管理科（代拨区级财政配套资金）",
         "宣财社〔2026〕第0001234567号"),
        (D(2026, 1, 6), FundSource.CHARITY_MATCH, 10_000_000, "宣州区慈善协会", "慈配-2026-000000000001"),
        (D(2026, 1, 7), FundSource.VILLAGE_COLLECTIVE, 5_000_000, "青山村村民委员会（村集体经济合作社）", "记-2026-001"),
        (D(2026, 11, 2), FundSource.DONATION, 5, "爱心人士", "捐-2026-11-0001"),
        (D(2026, 11, 3), FundSource.DONATION, 10_000_001, "宣城市宣州区水阳镇青山村在外务工返乡创业人员联谊会（代收）",
         "捐-2026-11-0002"),
        (D(2026, 11, 4), FundSource.INTEREST, 12_345, "中国农业银行宣城水阳支行", "息-2026-Q4"),
    ):
        fund.add_contribution(ctx, society_id, ContributionInput(on, source, fen, payer, voucher,
                                                                 memo="专款专用，入互助资金专户"), CLERK)

    files: list[Path] = []
    if attachments_dir is not None:
        attachments_dir.mkdir(parents=True, exist_ok=True)
        for name in ("宣城市中心医院出院小结及诊断证明书（2026年10月3日至2026年10月29日住院）.pdf",
                     "医疗费用结算单和发票原件扫描件第一页至第十二页.jpg", "村委会证明.png"):
            path = attachments_dir / name
            path.write_bytes(name.encode())
            files.append(path)

    def register(key: str, seq: str, **changes: object) -> int:
        changes.setdefault("applied_on", D(2026, 11, 2))
        changes.setdefault("id_number", make_id(seq=seq))
        case = intake.register_application(ctx, society_id, application(**changes), CLERK,
                                           attachments=files if key == "big" else None)
        data.cases[key] = case.case_no
        return case.id

    long_app = dict(applicant_name=LONG_NAME, address=LONG_ADDRESS, hukou_address=LONG_ADDRESS,
                    hardship=hardship_2000(), household_size="9", household_type="monitored",
                    members=[("古丽米热·阿卜杜热合曼·买买提", "配偶", ""), ("欧阳小五", "长子", ""),
                             ("欧阳小六", "长女", ""), ("欧阳小七", "次子", ""), ("欧阳小八", "孙子", ""),
                             ("欧阳小九", "孙女", ""), ("欧阳老太", "母亲", "")],
                    other_aid="2026年已享受低保（每月680元）、临时救助（2026年3月1,500元）、医疗救助（大病保险二次报销12,345.67元）、"
                              "慈善总会“微心愿”项目帮扶物资一批。",
                    bank_name="中国农业银行股份有限公司宣城水阳支行营业部（惠农一卡通代发网点）",
                    account_no="622848001234567890123456789012", account_holder=LONG_NAME,
                    agent_name="欧阳小五", agent_id_number=make_id(birth="19900101", seq="77"),
                    agent_relation="长子", agent_has_poa=True, phone="0563-20123456")

    # 100,000.01: past the town's limit, approved by the district, paid in full.
    big = register("big", "51", requested_yuan="100000.01", **long_app)
    _walk(ctx, big, D(2026, 11, 2), proposed=10_000_001,
          levels=((Level.VILLAGE, 10_000_001), (Level.TOWN, 10_000_001), (Level.DISTRICT, 10_000_001)))
    _pay(ctx, big, D(2026, 11, 20), 10_000_001, PaymentMethod.ONE_CARD, "付-2026-11-000000000000000001")

    # 0.05: the smallest amount there is, approved by the village.
    tiny = register("tiny", "52", requested_yuan="0.05", applicant_name="李")
    _walk(ctx, tiny, D(2026, 11, 2), proposed=5, levels=((Level.VILLAGE, 5),))
    _pay(ctx, tiny, D(2026, 11, 20), 5, PaymentMethod.CASH, "付-2026-11-0002")

    # 先行救助: paid first, then reviewed through to the town.
    urgent = register("emergency", "53", requested_yuan="3000", cause="disaster",
                      hardship="2026年11月5日夜间房屋失火，全部家当被烧毁，一家五口无处安身。", household_size="5")
    view = review.case_view(ctx, urgent, CLERK)
    review.perform(ctx, urgent, Emergency(D(2026, 11, 5), "张社长", "房屋失火，一家五口无处安身，先行救助", 200_000),
                   REVIEWER, version=view.version)
    _pay(ctx, urgent, D(2026, 11, 5), 200_000, PaymentMethod.CASH, "付-2026-11-0003")
    _walk(ctx, urgent, D(2026, 11, 5), proposed=300_000, levels=((Level.VILLAGE, 300_000), (Level.TOWN, 300_000)))
    _pay(ctx, urgent, D(2026, 11, 25), 100_000, PaymentMethod.BANK, "付-2026-11-0004")

    # A repeat applicant: aided in March for the same cause; the board records why again (一事一救).
    earlier = register("earlier", "54", requested_yuan="1500", applied_on=D(2026, 3, 2))
    _walk(ctx, earlier, D(2026, 3, 2), proposed=150_000, levels=((Level.VILLAGE, 150_000),))
    _pay(ctx, earlier, D(2026, 3, 20), 150_000, PaymentMethod.BANK, "付-2026-03-0001")
    repeat = register("repeat", "54", requested_yuan="1800",
                      repeat_reason="3月因病住院已获救助，11月病情复发再次住院，自付费用又达两万余元")
    _walk(ctx, repeat, D(2026, 11, 2), proposed=180_000, levels=((Level.VILLAGE, 180_000),),
          repeat_reason="病情复发再次住院，理事会一致同意再次救助（一事一救例外）")
    _pay(ctx, repeat, D(2026, 11, 21), 180_000, PaymentMethod.BANK, "付-2026-11-0005")

    # Returned for more material, with a long list.
    returned = register("returned", "55", requested_yuan="2500", applicant_name=LONG_NAME, address=LONG_ADDRESS)
    view = review.case_view(ctx, returned, CLERK)
    review.perform(ctx, returned, Return(Level.VILLAGE, D(2026, 11, 6), "张社长", (
        "宣城市中心医院出具的住院病历首页、出院小结及诊断证明书原件（须加盖医院公章）",
        "住院医疗费用发票原件及医保结算单（含大病保险、医疗救助二次报销结算单）",
        "家庭成员身份证、户口簿复印件", "银行卡或惠农一卡通复印件（户名须与申请人一致）",
        "村民组长和两名以上邻居出具的情况证明")), REVIEWER, version=view.version)

    # Rejected by the town, with long reasons.
    rejected = register("rejected", "56", requested_yuan="4000", cause="accident")
    view = review.case_view(ctx, rejected, CLERK)
    for action in (Visit(D(2026, 11, 3), ("王会计", "李委员"), "入户调查：家庭有两辆小汽车和一处商铺"),
                   Deliberation(D(2026, 11, 4), ("张社长", "李委员", "赵理事"), "同意上报", 300_000),
                   StartNotice(D(2026, 11, 5), "村务公开栏"),
                   Decide(Level.VILLAGE, D(2026, 11, 13), "张社长", "同意上报", 300_000),
                   Reject(Level.TOWN, D(2026, 11, 16), "钱镇长",
                          "经核查，申请人家庭拥有小汽车两辆、临街商铺一处（年租金约48,000元），家庭人均收入高于本地"
                          "救急难救助标准，不符合《宣州区救急难互助社救助实施办法（试行）》第十二条第（三）项规定，"
                          "决定不予救助。")):
        view = review.perform(ctx, rejected, action, REVIEWER, version=view.version)

    # A payment reversed (wrong account), paid again to the right one.
    wrong = register("reversed", "57", requested_yuan="1200")
    _walk(ctx, wrong, D(2026, 11, 2), proposed=120_000, levels=((Level.VILLAGE, 120_000),))
    entry = _pay(ctx, wrong, D(2026, 11, 19), 120_000, PaymentMethod.BANK, "付-2026-11-0006")
    data.reversed_entry = fund.reverse(ctx, society_id, entry, "账号录入错误，银行退回，冲正后重新发放",
                                       D(2026, 11, 23), CLERK)
    _pay(ctx, wrong, D(2026, 11, 24), 120_000, PaymentMethod.BANK, "付-2026-11-0007")

    # On notice today (for the notice): three cases, one with the long name.
    for n, seq in enumerate(("61", "62", "63")):
        case_id = register(f"notice{n}", seq, requested_yuan="1999.99", applied_on=D(2026, 11, 20),
                           **({"applicant_name": LONG_NAME} if n == 0 else {}))
        view = review.case_view(ctx, case_id, CLERK)
        for action in (Visit(D(2026, 11, 21), ("王会计", "李委员"), "属实"),
                       Deliberation(D(2026, 11, 23), ("张社长", "李委员", "赵理事"), "同意", 199_999),
                       StartNotice(D(2026, 11, 24), "青山村村务公开栏及各村民组公示点")):
            view = review.perform(ctx, case_id, action, REVIEWER, version=view.version)

    # Routine cases, enough for rosters and ledgers of several pages.
    methods = (PaymentMethod.BANK, PaymentMethod.ONE_CARD, PaymentMethod.CASH)
    types = ("dibao", "tekun", "monitored", "disabled", "ordinary")
    for n in range(routine):
        born = f"1970{n % 12 + 1:02d}15"
        case_id = register(f"routine{n}", f"{n:02d}", applied_on=D(2026, 11, 3),
                           id_number=make_id(birth=born, seq=f"{n:02d}"),
                           requested_yuan=str(500 + 23 * n), household_type=types[n % 5],
                           applicant_name="欧阳" + "一二三四五六七八九十"[n % 10] + ("·买买提" if n % 7 == 0 else ""))
        fen = (500 + 23 * n) * 100  # up to the village's limit of 2,000 yuan
        _walk(ctx, case_id, D(2026, 11, 3), proposed=fen, levels=((Level.VILLAGE, fen),))
        _pay(ctx, case_id, D(2026, 11, 14 + n % 10), fen, methods[n % 3], f"付-2026-11-{100 + n:04d}")
    data.payments = routine + 7
    return data
