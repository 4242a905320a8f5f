"""``jiujinan demo``: a database of made-up societies and cases to try the app on."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from jiujinan.cli import messages

if TYPE_CHECKING:
    from jiujinan.services.context import AppContext

COMMANDS = ("demo",)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    demo = sub.add_parser("demo", help="生成演示数据")
    demo.add_argument("--societies", type=messages.whole_number(1, 1000), default=3)
    demo.add_argument("--cases", type=messages.whole_number(0, 10_000_000), default=300)
    demo.add_argument("--seed", type=messages.whole_number(0, 2**32 - 1), default=1)


def run(ctx: AppContext, args: argparse.Namespace, user: str) -> int:
    from jiujinan.services.demo import run_demo

    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        print(f"\r已生成 {done}/{total} 件", end="", file=sys.stderr, flush=True)

    summary = run_demo(ctx, n_societies=args.societies, n_cases=args.cases, seed=args.seed,
                       progress=progress if sys.stderr.isatty() else None)
    print(f"演示数据：{summary.societies} 个互助社，{summary.cases} 件案件，"
          f"{summary.contributions} 笔收入，{summary.payments} 笔发放，用时 {time.perf_counter() - started:.1f} 秒"
          f"（{ctx.db_label}）")
    return 0
