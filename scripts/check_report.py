"""How the structure checks (`check-structure.py`, `check-codemap.py`) end: every problem on
stderr and exit status 1, or one line saying what was checked and 0."""
import sys


def report(tool: str, problems: list[str], ok: str) -> int:
    for problem in problems:
        print(f"{tool}: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"{tool}: {ok}")
    return 0
