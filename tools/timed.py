"""Run one stage of ``make test`` or ``make book`` and record its wall and CPU time, so that CI's time
can be measured stage by stage and the next change compared with this one.

    python tools/timed.py STAGE -- COMMAND [ARG ...]   run COMMAND, append its time to the record
    python tools/timed.py --report                     the latest time of every stage recorded

The record is ``_build/stage-times.tsv`` (UTC time, stage, seconds, exit code, CPU seconds), one line
per run of a stage; the exit code of COMMAND is passed on.  The CPU seconds are those of COMMAND and
of every process under it that was waited for (``RUSAGE_CHILDREN``: pool workers and notebook kernels
included, a process killed rather than reaped not); divided by the wall time they say how many of
the machine's cores the stage kept busy.  ``make bench`` prints the report.
"""

from __future__ import annotations

import argparse
import datetime
import resource
import subprocess
import sys
import time
from pathlib import Path

RECORD = Path(__file__).resolve().parents[1] / "_build" / "stage-times.tsv"


def _children_cpu() -> float:
    """User and system CPU seconds of this process's waited-for descendants so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(stage: str, command: list[str], record: Path = RECORD) -> int:
    """Run ``command``, append ``(time, stage, seconds, exit code, CPU seconds)`` to ``record``; the exit code."""
    if not stage or any(c in stage for c in "\t\n"):
        raise ValueError(f"stage: a name without tabs or newlines, got {stage!r}")
    if not command:
        raise ValueError("command: nothing to run")
    start, cpu = time.perf_counter(), _children_cpu()
    code = subprocess.call(command)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    record.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with record.open("a") as out:
        out.write(f"{stamp}\t{stage}\t{seconds:.1f}\t{code}\t{cpu:.1f}\n")
    return code


def latest(record: Path = RECORD) -> dict[str, tuple[str, float, int, float | None]]:
    """Stage -> (time, seconds, exit code, CPU seconds) of its latest run, in the order the stages last
    ran; CPU seconds are None on a line recorded before they were."""
    found: dict[str, tuple[str, float, int, float | None]] = {}
    if record.is_file():
        for line in record.read_text().splitlines():
            stamp, stage, seconds, code, *cpu = line.split("\t")
            found.pop(stage, None)
            found[stage] = (stamp, float(seconds), int(code), float(cpu[0]) if cpu else None)
    return found


def report(record: Path = RECORD) -> str:
    """A table of :func:`latest`, and the wall time from the first of them to start to the last to end
    (stages nest and run side by side, so their minutes do not add up)."""
    stages = latest(record)
    if not stages:
        return f"stage times: none recorded yet in {record} (make test records them)"
    width = max(28, *(len(stage) for stage in stages))
    lines = [f"{'stage':<{width}} {'minutes':>8}  {'cores busy':>10}  exit  finished (UTC)"]
    for stage, (stamp, seconds, code, cpu) in stages.items():
        busy = f"{cpu / seconds:10.2f}" if cpu is not None and seconds > 0 else f"{'-':>10}"
        lines.append(f"{stage:<{width}} {seconds / 60:8.1f}  {busy}  {code:>4}  {stamp}")
    ends = [datetime.datetime.strptime(v[0], "%Y-%m-%dT%H:%M:%SZ").timestamp() for v in stages.values()]
    starts = [end - v[1] for end, v in zip(ends, stages.values())]
    lines.append(f"{'first start to last end':<{width}} {(max(ends) - min(starts)) / 60:8.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--report"]:
        print(report())
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    return run(args.stage, command)


if __name__ == "__main__":
    sys.exit(main())
