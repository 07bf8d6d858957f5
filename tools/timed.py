"""Run one stage of ``make test`` or ``make book`` and record its wall time, so that CI's time can be
measured stage by stage and the next change compared with this one.

    python tools/timed.py STAGE -- COMMAND [ARG ...]   run COMMAND, append its time to the record
    python tools/timed.py --report                     the latest time of every stage recorded

The record is ``_build/stage-times.tsv`` (UTC time, stage, seconds, exit code), one line per run of a
stage; the exit code of COMMAND is passed on.  ``make bench`` prints the report.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import time
from pathlib import Path

RECORD = Path(__file__).resolve().parents[1] / "_build" / "stage-times.tsv"


def run(stage: str, command: list[str], record: Path = RECORD) -> int:
    """Run ``command``, append ``(time, stage, seconds, exit code)`` to ``record``; the exit code."""
    if not stage or any(c in stage for c in "\t\n"):
        raise ValueError(f"stage: a name without tabs or newlines, got {stage!r}")
    if not command:
        raise ValueError("command: nothing to run")
    start = time.perf_counter()
    code = subprocess.call(command)
    seconds = time.perf_counter() - start
    record.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with record.open("a") as out:
        out.write(f"{stamp}\t{stage}\t{seconds:.1f}\t{code}\n")
    return code


def latest(record: Path = RECORD) -> dict[str, tuple[str, float, int]]:
    """Stage -> (time, seconds, exit code) of its latest run, in the order the stages last ran."""
    found: dict[str, tuple[str, float, int]] = {}
    if record.is_file():
        for line in record.read_text().splitlines():
            stamp, stage, seconds, code = line.split("\t")
            found.pop(stage, None)
            found[stage] = (stamp, float(seconds), int(code))
    return found


def report(record: Path = RECORD) -> str:
    """A table of :func:`latest`, and the wall time from the first of them to start to the last to end
    (stages nest and run side by side, so their minutes do not add up)."""
    stages = latest(record)
    if not stages:
        return f"stage times: none recorded yet in {record} (make test records them)"
    lines = [f"{'stage':<28} {'minutes':>8}  exit  finished (UTC)"]
    for stage, (stamp, seconds, code) in stages.items():
        lines.append(f"{stage:<28} {seconds / 60:8.1f}  {code:>4}  {stamp}")
    ends = [datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").timestamp() for stamp, _, _ in stages.values()]
    starts = [end - seconds for end, (_, seconds, _) in zip(ends, stages.values())]
    lines.append(f"{'first start to last end':<28} {(max(ends) - min(starts)) / 60:8.1f}")
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
