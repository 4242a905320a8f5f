"""Packets between offices at a town's scale, and a large packet's memory. Prints figures;
asserts nothing.

    python benchmarks/packets.py town [--villages 30 --cases 50]
    python benchmarks/packets.py memory [--cases 100 --mb 300]

Goals (issue 18): a town of 30 villages with 50 cases each waiting for it: every village sends,
the town receives all, decides all, sends back, every village receives, in ≤ 10 s of program
time (setting the villages up is not counted); a packet of 100 cases with 300 MB of scans is
written and read in ≤ 200 MB of memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jiujinan.cases.clock import FixedClock  # noqa: E402
from jiujinan.cases.enums import Level  # noqa: E402
from jiujinan.cases.offices import OfficeKind, OfficeSettings  # noqa: E402
from jiujinan.cases.review import Decide, Deliberation, StartNotice, Visit  # noqa: E402
from jiujinan.cases.society import SocietySettings  # noqa: E402
from jiujinan.cases.users import Role  # noqa: E402
from jiujinan.services import intake, offices, packets, review, societies, users  # noqa: E402
from jiujinan.services.context import open_context  # noqa: E402

NOW = dt.datetime(2026, 12, 21, 2, 0, tzinfo=dt.timezone.utc)
D = dt.date
TOWN = OfficeSettings(OfficeKind.TOWN, "341802100000", "水阳镇人民政府")


def valid_id(n: int) -> str:
    from jiujinan.cases.idcard import check_digit

    first17 = f"341802196503{n % 28 + 1:02d}{n % 1000:03d}"
    return first17 + check_digit(first17)


def village(folder: Path, index: int, cases: int, scan_bytes: int = 0):  # noqa: ANN201
    """A village office on its own file with ``cases`` cases waiting for the town."""
    from jiujinan.cases.application import ApplicationInput

    code = f"341802100{index + 201:03d}"
    ctx = open_context(str(folder / f"v{index}.db"), folder / f"v{index}", FixedClock(NOW))
    users.create_user(ctx, "王会计", frozenset(Role), "qingshan-2026", "")
    users.create_user(ctx, "李主任", frozenset(Role), "qingshan-2026", "王会计")
    offices.setup_office(ctx, OfficeSettings(OfficeKind.VILLAGE, code, f"第{index + 1}村救急难互助社"), "王会计")
    society = societies.create_society(ctx, SocietySettings(name=f"第{index + 1}村救急难互助社", village=f"第{index + 1}村",
                                                            area_code=code, town="水阳镇", district="宣州区",
                                                            objection_phone="0563-2012345"), "王会计").id
    for n in range(cases):
        files = []
        if scan_bytes:
            scan = folder / f"scan-{index}-{n}.jpg"
            with scan.open("wb") as f:
                block = bytes(range(256)) * 4096
                for _ in range(scan_bytes // len(block)):
                    f.write(block)
                f.write(n.to_bytes(4, "big"))
            files = [scan]
        app = ApplicationInput(applicant_name="张三", id_number=valid_id(index * 1000 + n), phone="13905631234",
                               address="水阳镇3组12号", household_size="1", cause="illness",
                               hardship="住院，自付医疗费两万余元。", requested_yuan="6000", bank_name="中国农业银行",
                               account_no="6228480012345678901", account_holder="张三", applied_on=D(2026, 11, 2))
        case = intake.register_application(ctx, society, app, "王会计", attachments=files)
        view = review.case_view(ctx, case.id, "王会计")
        for action in (Visit(D(2026, 11, 3), ("王会计", "李委员"), "属实"),
                       Deliberation(D(2026, 11, 5), ("张社长", "李委员", "赵理事"), "同意", 600_000),
                       StartNotice(D(2026, 11, 9), "村务公开栏"),
                       Decide(Level.VILLAGE, D(2026, 11, 16), "张社长", "同意，报乡镇", 600_000)):
            view = review.perform(ctx, case.id, action, "李主任", version=view.version)
    return ctx


def enrol(own, other, folder: Path, own_user: str, other_user: str) -> None:  # noqa: ANN001
    card = offices.write_card(other, folder / "card", other_user)
    offices.trust_card(own, offices.card_path(folder / "card"), own_user, card.fingerprint)


def town_run(villages: int, cases: int) -> None:
    import jiujinan.cases.users as user_rules

    user_rules.SCRYPT_N = 2**8  # setting up 60 users is not what is measured
    with tempfile.TemporaryDirectory(prefix="jjn-bench-") as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        town = open_context(str(folder / "town.db"), folder / "t", FixedClock(NOW))
        users.create_user(town, "赵镇长", frozenset(Role), "shuiyang-2026", "")
        offices.setup_office(town, TOWN, "赵镇长")
        made = [village(folder, i, cases) for i in range(villages)]
        for ctx in made:
            enrol(ctx, town, folder, "王会计", "赵镇长")
            enrol(town, ctx, folder, "赵镇长", "王会计")
        print(f"set-up: {villages} villages × {cases} cases in {time.perf_counter() - t:.1f} s (not counted)")
        usb = folder / "usb"
        usb.mkdir()
        phases = {}
        t = time.perf_counter()
        sent = [p for ctx in made for p in packets.send(ctx, usb, "王会计")]
        phases["every village sends"] = time.perf_counter() - t
        t = time.perf_counter()
        for item in sent:
            packets.receive(town, item.path, "赵镇长")
        phases["the town receives all"] = time.perf_counter() - t
        t = time.perf_counter()
        from jiujinan.services import case_list  # noqa: F401
        with town.read() as s:
            from sqlalchemy import select

            from jiujinan.db.models import AidCase

            ids = list(s.scalars(select(AidCase.id).order_by(AidCase.id)))
        for case_id in ids:
            view = review.case_view(town, case_id, "赵镇长")
            review.perform(town, case_id, Decide(Level.TOWN, D(2026, 11, 20), "赵镇长", "同意", 600_000), "赵镇长",
                           version=view.version)
        phases["the town decides all (one by one)"] = time.perf_counter() - t
        t = time.perf_counter()
        back = packets.send(town, usb, "赵镇长")
        phases["the town sends back"] = time.perf_counter() - t
        t = time.perf_counter()
        by_code = {ctx_code(ctx): ctx for ctx in made}
        for item in back:
            packets.receive(by_code[item.to.area_code], item.path, "王会计")
        phases["every village receives"] = time.perf_counter() - t
        total = sum(phases.values())
        for name, seconds in phases.items():
            print(f"{name:40s} {seconds:7.2f} s")
        print(f"{'total program time':40s} {total:7.2f} s   (goal ≤ 10 s; {len(ids)} cases)")
        exchange = total - phases["the town decides all (one by one)"]
        print(f"{'of which packets alone':40s} {exchange:7.2f} s")
        for ctx in (*made, town):
            ctx.close()


def ctx_code(ctx) -> str:  # noqa: ANN001
    return offices.current_office(ctx).area_code


def memory_run(cases: int, megabytes: int) -> None:
    """Make a village with ``cases`` cases holding ``megabytes`` of scans in all, then write
    and read its packet each in a fresh process, printing the peak memory of each."""
    with tempfile.TemporaryDirectory(prefix="jjn-bench-") as tmp:
        folder = Path(tmp)
        import jiujinan.cases.users as user_rules

        user_rules.SCRYPT_N = 2**8
        t = time.perf_counter()
        town = open_context(str(folder / "town.db"), folder / "t", FixedClock(NOW))
        users.create_user(town, "赵镇长", frozenset(Role), "shuiyang-2026", "")
        offices.setup_office(town, TOWN, "赵镇长")
        ctx = village(folder, 0, cases, scan_bytes=megabytes * 1024 * 1024 // cases)
        enrol(ctx, town, folder, "王会计", "赵镇长")
        enrol(town, ctx, folder, "赵镇长", "王会计")
        ctx.close()
        town.close()
        for scan in folder.glob("scan-*"):
            scan.unlink()
        print(f"set-up: {cases} cases, {megabytes} MB of scans in {time.perf_counter() - t:.1f} s")
        usb = folder / "usb"
        usb.mkdir()
        for role, code in (("send", f"from benchmarks.packets import *; import sys; ctx = open_context('{folder}/v0.db', "
                                    f"Path('{folder}/v0'), FixedClock(NOW)); print(packets.send(ctx, Path('{usb}'), "
                                    "'王会计')[0].path.stat().st_size // 2**20, 'MB packet')"),
                           ("receive", f"from benchmarks.packets import *; ctx = open_context('{folder}/town.db', "
                                       f"Path('{folder}/t'), FixedClock(NOW)); got = packets.receive(ctx, "
                                       f"next(Path('{usb}').glob('*.jjnpkt')), '赵镇长'); print(len(got.new_cases), "
                                       "'cases received')")):
            t = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", f"import jiujinan.cases.users as u; u.SCRYPT_N = 2**8; {code}; "
                                   "import resource; print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss "
                                   "// 1024, 'MB')"], capture_output=True, text=True, cwd=Path(__file__).parents[1])
            print(f"{role:8s} {time.perf_counter() - t:6.1f} s  {done.stdout.strip()}  {done.stderr.strip()[-300:]}")
        print("goal: peak ≤ 200 MB for each")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    town = sub.add_parser("town")
    town.add_argument("--villages", type=int, default=30)
    town.add_argument("--cases", type=int, default=50)
    memory = sub.add_parser("memory")
    memory.add_argument("--cases", type=int, default=100)
    memory.add_argument("--mb", type=int, default=300)
    args = parser.parse_args()
    if args.what == "town":
        town_run(args.villages, args.cases)
    else:
        memory_run(args.cases, args.mb)


if __name__ == "__main__":
    main()
