"""The writer that the crash test kills: it registers cases, pays them on the emergency path
and takes money in, one committed operation after another, and after each commit writes a
line to a log. Whatever the log names must be in the database after any kill."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

from jiujinan.cases.clock import FixedClock
from jiujinan.cases.enums import FundSource, PaymentMethod
from jiujinan.cases.fund import ContributionInput, PaymentInput
from jiujinan.cases.review import Emergency
from jiujinan.services import fund, intake, review, societies
from jiujinan.services.context import open_context
from tests.conftest import application, make_id, one_person_society

CLOCK = FixedClock(dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.timezone.utc))
DAY = CLOCK.today()


def prepare(db: Path) -> int:
    """A society with money in it; returns its id."""
    ctx = open_context(str(db), db.parent, CLOCK)
    try:
        societies.add_user(ctx, "王会计")
        sid = societies.create_society(ctx, one_person_society(), "王会计").id  # one clerk does all
        fund.add_contribution(ctx, sid, ContributionInput(DAY, FundSource.DISTRICT_BUDGET, 10**11, "区财政局", ""),
                              "王会计")
        return sid
    finally:
        ctx.close()


def work(db: Path, log: Path, society_id: int, seed: int, limit: int = 10**9) -> None:
    """Run until killed (or ``limit`` operations), logging each committed operation."""
    rng = random.Random(seed)
    ctx = open_context(str(db), db.parent, CLOCK)
    with log.open("a", encoding="utf-8", buffering=1) as out:
        for n in range(limit):
            choice = rng.random()
            if choice < 0.2:
                entry = fund.add_contribution(ctx, society_id, ContributionInput(
                    DAY, FundSource.DONATION, rng.randint(1, 10**6), "捐款人", ""), "王会计")
                out.write(f"entry {entry}\n")
                continue
            birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
            person = make_id(birth.strftime("%Y%m%d"), f"{rng.randrange(100):02d}", str(rng.randrange(10)))
            case = intake.register_application(ctx, society_id, application(
                id_number=person, applicant_name="张三" if int(person[16]) % 2 else "李芳",
                repeat_reason="多次求助，经评议同意"), "王会计")
            out.write(f"case {case.id}\n")
            amount = rng.randint(100, 200_000)
            view = review.perform(ctx, case.id, Emergency(DAY, "社长", "急病", amount), "王会计",
                                  version=review.case_view(ctx, case.id, "王会计").version)
            out.write(f"emergency {case.id}\n")
            entry = fund.pay(ctx, case.id, PaymentInput(DAY, PaymentMethod.BANK, amount, ""), "王会计",
                             version=view.version)
            out.write(f"entry {entry}\n")


def missing_work(db: Path, log: Path) -> list[str]:
    """Logged operations the database does not hold (a torn last line is ignored)."""
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    conn = sqlite3.connect(db)
    try:
        cases = {r[0]: r[1] for r in conn.execute("SELECT id, emergency FROM aid_case")}
        entries = {r[0] for r in conn.execute("SELECT id FROM ledger_entry")}
    finally:
        conn.close()
    missing = []
    for line in lines:
        kind, _, number = line.partition(" ")
        if not number.isdigit():
            continue
        key = int(number)
        if (kind == "case" and key not in cases) or (kind == "emergency" and not cases.get(key)) \
                or (kind == "entry" and key not in entries):
            missing.append(line)
    return missing


def kill_rounds(db: Path, log: Path, society_id: int, rounds: int, seed: int,
                delays: tuple[float, float] = (0.02, 0.4)) -> list[float]:
    """Start the writer ``rounds`` times and SIGKILL it after a random delay each time
    (processes forked from a clean fork server that has imported everything already).
    Returns the delays used."""
    import multiprocessing
    import os
    import signal
    import time

    mp = multiprocessing.get_context("forkserver")
    mp.set_forkserver_preload(["tests.faults.crash_worker"])
    rng = random.Random(seed)
    used = []
    for n in range(rounds):
        proc = mp.Process(target=work, args=(db, log, society_id, seed * 100_000 + n))
        proc.start()
        delay = rng.uniform(*delays)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        used.append(delay)
    return used
