"""Reading what each process spent from /proc, as ``bench.write_cpu`` does."""

from __future__ import annotations

import os

from bench.write_cpu import Snapshot, machine_busy, per_request, process_cpu

TICK = os.sysconf("SC_CLK_TCK")


def test_a_process_name_with_spaces_and_parentheses_does_not_shift_the_fields() -> None:
    fields = ["S", *["0"] * 10, str(3 * TICK), str(TICK // 2), *["0"] * 30]
    stat = f"4242 (uvicorn (worker) 1) {' '.join(fields)}"
    assert process_cpu(stat) == (3.0, 0.5)


def test_the_machine_is_busy_for_all_but_idle_and_io_wait() -> None:
    # user nice system idle iowait irq softirq steal
    first = f"cpu  {2 * TICK} 0 {TICK} {50 * TICK} {7 * TICK} 0 {TICK} 0 0 0"
    assert machine_busy(first + "\ncpu0 1 2 3 4 5 6 7 8 9 10\n") == 4.0


def test_each_part_is_given_per_request_and_the_rest_is_what_the_three_did_not_spend() -> None:
    before = Snapshot(
        wall=10.0, client=1.0, server_user=2.0, server_system=0.5, database=3.0, machine=20.0
    )
    after = Snapshot(
        wall=11.0, client=1.2, server_user=2.5, server_system=0.6, database=3.1, machine=21.0
    )
    parts = per_request(before, after, requests=100)
    assert parts["latency"] == 10.0
    assert round(parts["client"], 6) == 2.0
    assert round(parts["server user"], 6) == 5.0
    assert round(parts["server system"], 6) == 1.0
    assert round(parts["database"], 6) == 1.0
    assert round(parts["rest of machine"], 6) == 1.0  # 10 ms busy, 9 of them accounted for


def test_rounding_of_the_clock_ticks_never_makes_the_rest_negative() -> None:
    before = Snapshot(
        wall=0.0, client=0.0, server_user=0.0, server_system=0.0, database=0.0, machine=0.0
    )
    after = Snapshot(
        wall=1.0, client=0.3, server_user=0.5, server_system=0.0, database=0.3, machine=1.0
    )
    assert per_request(before, after, requests=10)["rest of machine"] == 0.0
