#!/usr/bin/env python3
"""ARCHITECTURE.md's code map matches the tree (issue 20): every module the map names exists,
and every module of `core` and `edge` is in the map. Run by `make test` (target `structure`).

The map is the fenced blocks under the headings "### `core/src`" and "### `edge/src`" of
"## Code map": one line per module, its path relative to the crate's `src/` without `.rs`
(a directory module by its directory name) as the line's first word. Test modules
(`tests.rs`, `*_tests.rs`, files under a `tests/` directory) and `lib.rs` are not listed.

    python3 scripts/check-codemap.py [ARCHITECTURE.md]
"""
import pathlib
import re
import sys

from check_report import report

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRATES = ("core/src", "edge/src")


def modules_in_tree(src: pathlib.Path) -> set[str]:
    found = set()
    for path in src.rglob("*.rs"):
        rel = path.relative_to(src)
        if rel.name == "lib.rs" and len(rel.parts) == 1:
            continue
        if rel.name == "tests.rs" or rel.name.endswith("_tests.rs") or "tests" in rel.parts[:-1]:
            continue
        parts = list(rel.parts)
        if parts[-1] == "mod.rs":
            parts.pop()
        else:
            parts[-1] = parts[-1][: -len(".rs")]
        found.add("/".join(parts))
    return found


def modules_in_map(text: str) -> dict[str, set[str]]:
    listed: dict[str, set[str]] = {crate: set() for crate in CRATES}
    crate = None
    in_block = False
    for line in text.splitlines():
        heading = re.match(r"^#{2,3} ", line)
        if heading and not in_block:
            crate = next((c for c in CRATES if f"`{c}`" in line), None)
            continue
        if line.startswith("```"):
            in_block = not in_block
            continue
        if in_block and crate and line.strip():
            listed[crate].add(line.split()[0].rstrip("/"))
    return listed


def main() -> int:
    doc = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "ARCHITECTURE.md"
    listed = modules_in_map(doc.read_text(encoding="utf-8"))
    problems = []
    for crate in CRATES:
        tree = modules_in_tree(ROOT / crate)
        if not listed[crate]:
            problems.append(f"{doc.name}: no code map block for `{crate}`")
            continue
        for name in sorted(tree - listed[crate]):
            problems.append(f"{crate}/{name}: a module the code map does not list")
        for name in sorted(listed[crate] - tree):
            problems.append(f"{crate}/{name}: listed in the code map, but no such module")
    return report("check-codemap", problems, f"{sum(len(v) for v in listed.values())} modules, map and tree agree")


if __name__ == "__main__":
    sys.exit(main())
