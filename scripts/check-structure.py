#!/usr/bin/env python3
"""The structure rules `make test` enforces (issue 20), read from the source as text:

1. no import circle among the edge's top-level modules (a file or directory under
   `edge/src`; a reference is any `crate::<module>` path, `use crate::{a, b}` included);
2. only `router` refers to `handlers` (handlers are leaves: the queue consumer, the cron
   jobs and the channels never call a route's handler);
3. no `.unwrap()`, `.expect(` or `panic!` outside tests in `core/src` and `edge/src` (clippy's
   deny attributes in both crates say the same; this also catches a `#[allow]` slipping in).
   Test code is a `tests.rs` / `*_tests.rs` file, a file under `tests/`, and everything after
   a `#[cfg(test)]` line at column 0;
4. every core file with a `#[test]` also runs it on wasm32 (`use
   wasm_bindgen_test::wasm_bindgen_test as test;` under `cfg(target_arch = "wasm32")`):
   the wasm32 runner collects only those, and a plain `#[test]` there is silently skipped.

    python3 scripts/check-structure.py
"""
import pathlib
import re
import sys

from check_report import report

ROOT = pathlib.Path(__file__).resolve().parent.parent
EDGE = ROOT / "edge" / "src"

USE_GROUP = re.compile(r"\bcrate::\{([^}]*)\}", re.S)
CRATE_PATH = re.compile(r"\bcrate::([a-z_][a-z0-9_]*)")
FORBIDDEN = re.compile(r"\.unwrap\(\)|\.expect\(|\bpanic!\(")


def top_module(path: pathlib.Path) -> str:
    rel = path.relative_to(EDGE)
    return rel.parts[0].removesuffix(".rs")


def non_test_text(path: pathlib.Path) -> str:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#[cfg(test)]"):
            break
        lines.append(line)
    return "\n".join(lines)


def without_comments(text: str) -> str:
    return "\n".join(line.split("//", 1)[0] for line in text.splitlines())


def edge_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(EDGE.rglob("*.rs")):
        module = top_module(path)
        if module == "lib":
            continue
        text = without_comments(non_test_text(path))
        refs = set(CRATE_PATH.findall(text))
        for group in USE_GROUP.findall(text):
            for item in group.split(","):
                name = item.strip().split("::")[0].split(" ")[0]
                if re.fullmatch(r"[a-z_][a-z0-9_]*", name) and name != "self":
                    refs.add(name)
        refs.discard(module)
        graph.setdefault(module, set()).update(refs)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def is_test_file(path: pathlib.Path, src: pathlib.Path) -> bool:
    rel = path.relative_to(src)
    return rel.name == "tests.rs" or rel.name.endswith("_tests.rs") or "tests" in rel.parts[:-1]


def main() -> int:
    problems = []
    graph = edge_graph()
    cycle = find_cycle(graph)
    if cycle:
        problems.append("edge import circle: " + " -> ".join(cycle))
    for module, refs in sorted(graph.items()):
        if "handlers" in refs and module not in ("router", "handlers"):
            problems.append(f"edge/src/{module}: refers to `handlers` (only `router` may)")
    for crate in ("core/src", "edge/src"):
        src = ROOT / crate
        for path in sorted(src.rglob("*.rs")):
            if is_test_file(path, src):
                continue
            for n, line in enumerate(non_test_text(path).splitlines(), 1):
                code = line.split("//", 1)[0]
                if FORBIDDEN.search(code):
                    problems.append(f"{path.relative_to(ROOT)}:{n}: {code.strip()}")
    for path in sorted((ROOT / "core/src").rglob("*.rs")):
        text = path.read_text(encoding="utf-8")
        if "#[test]" in text and "wasm_bindgen_test as test" not in text:
            problems.append(f"{path.relative_to(ROOT)}: its tests do not run on wasm32 (no `wasm_bindgen_test as test`)")
    return report("check-structure", problems, f"{len(graph)} edge modules, no circle, handlers behind the router only, no unwrap/expect/panic outside tests, every core test on wasm32 too")


if __name__ == "__main__":
    sys.exit(main())
