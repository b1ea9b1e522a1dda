"""Shared fixtures: the report over the two good fixture runs is rendered
once per session (rendering is the slow part) and inspected by many tests."""

import os
import re

import pytest

from reports.cli import main

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def fixture_dir(name: str) -> str:
    return os.path.join(FIXTURES, name)


class Rendered:
    def __init__(self, out: str, stdout: str, stderr: str, rc: int):
        self.out, self.stdout, self.stderr, self.rc = out, stdout, stderr, rc
        with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
            self.md = f.read()
        with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
            self.html = f.read()
        # The appendix's tables are looked up too (after the main page's).
        appendix = os.path.join(out, "appendix.md")
        self.appendix_md = open(appendix, encoding="utf-8").read() if os.path.exists(appendix) else ""

    def table(self, heading: str) -> tuple[list[str], list[list[str]]]:
        """The first Markdown table after the heading whose text starts with
        `heading`; cells unescaped, code spans unwrapped."""
        lines = (self.md + "\n" + self.appendix_md).splitlines()
        start = next(i for i, line in enumerate(lines)
                     if line.startswith("#") and _unescape(line.lstrip("# ")).startswith(heading))
        rows = []
        for line in lines[start + 1:]:
            if line.startswith("#"):
                break
            if line.startswith("|"):
                rows.append(line)
            elif rows:
                break
        assert rows, f"no table after {heading!r}"
        parsed = [[_unescape(c.strip()).replace("`", "") for c in re.split(r"(?<!\\)\|", r)[1:-1]]
                  for r in rows]
        return parsed[0], parsed[2:]

    def row(self, heading: str, *keys: str) -> dict[str, str]:
        """Row of a table whose leading cells equal `keys`, as {header: cell};
        repeated headers get a suffix: measured, measured#2, ..."""
        headers, rows = self.table(heading)
        names, seen = [], {}
        for h in headers:
            seen[h] = seen.get(h, 0) + 1
            names.append(h if seen[h] == 1 else f"{h}#{seen[h]}")
        for r in rows:
            if tuple(r[:len(keys)]) == keys:
                return dict(zip(names, r))
        raise AssertionError(f"no row {keys} under {heading!r}; rows: {[r[:2] for r in rows]}")


def _unescape(s: str) -> str:
    return re.sub(r"\\([\\`*_\[\]<|])", r"\1", s)


def render(tmp_path_factory, name: str, *dirs: str) -> Rendered:
    out = str(tmp_path_factory.mktemp(name) / "out")
    import contextlib
    import io

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        rc = main([*(fixture_dir(d) for d in dirs), "-o", out])
    assert rc == 0, stderr.getvalue()
    return Rendered(out, stdout.getvalue(), stderr.getvalue(), rc)


@pytest.fixture(scope="session")
def two_runs(tmp_path_factory) -> Rendered:
    return render(tmp_path_factory, "two_runs", "run_a", "run_b")


@pytest.fixture(scope="session")
def throughput_only(tmp_path_factory) -> Rendered:
    return render(tmp_path_factory, "tp_only", "throughput_only")
