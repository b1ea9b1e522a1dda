"""A tiny document model rendered twice: self-contained HTML and Markdown.

The report is built once as a list of blocks; both outputs come from the
same blocks, so the page and the Markdown can never disagree on a number.
All text from the result files is escaped on the way out.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field


# ------------------------------------------------------------ inlines
@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Link:
    text: str
    href: str   # relative path to a local file; never fetched by the page


Inline = str | Code | Strong | Link


@dataclass
class Cell:
    parts: list[Inline]
    status: str | None = None   # "pass" / "fail" / "declared" / "na": colour only
    title: str | None = None    # HTML tooltip; Markdown drops it


def cell(x: Inline | list[Inline] | Cell, status: str | None = None) -> Cell:
    if isinstance(x, Cell):
        return x
    return Cell(list(x) if isinstance(x, list) else [x], status)


# ------------------------------------------------------------- blocks
@dataclass
class Heading:
    level: int
    text: str
    anchor: str = ""


@dataclass
class Para:
    parts: list[Inline]


@dataclass
class Bullets:
    items: list[list[Inline]]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Cell]]
    caption: str | None = None
    anchor: str | None = None  # the HTML element id (a link target, and what the browser test finds)


@dataclass
class Image:
    filename: str
    png: bytes
    alt: str
    caption: str | None = None


Block = Heading | Para | Bullets | Table | Image


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    _anchors: set[str] = field(default_factory=set)
    # A second page (appendix.html / appendix.md) for the long per-kernel
    # figures, so that the main page stays small enough to open at once.
    appendix: Document | None = None

    def add(self, *blocks: Block) -> None:
        for b in blocks:
            if isinstance(b, Heading) and not b.anchor:
                b.anchor = self._anchor(b.text)
            self.blocks.append(b)

    def _anchor(self, text: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "s"
        a, i = base, 2
        while a in self._anchors:
            a, i = f"{base}-{i}", i + 1
        self._anchors.add(a)
        return a

    def images(self) -> list[Image]:
        return [b for b in self.blocks if isinstance(b, Image)]


# --------------------------------------------------------------- HTML
_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em auto;
max-width:1300px;padding:0 1em;color:#222;line-height:1.45}
h1{border-bottom:2px solid #ddd}h2{border-bottom:1px solid #eee;margin-top:2em}
code{background:#f4f4f4;padding:0 .25em;border-radius:3px;font-size:.92em}
.tw{overflow-x:auto;margin:.6em 0 1.2em}
table{border-collapse:collapse;font-size:.86em}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f0f0f0;position:sticky;top:0}
tr:nth-child(even) td{background:#fafafa}
td.pass{background:#e3f5e1!important}td.declared{background:#fff4d6!important}td.fail{background:#fbe0dd!important;font-weight:600}
td.na{color:#888}
caption{caption-side:top;text-align:left;font-weight:600;padding:.3em 0}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:.88em;color:#555}
nav ul{columns:2;font-size:.9em}
"""


def _html_inline(parts: list[Inline]) -> str:
    out = []
    for p in parts:
        if isinstance(p, Code):
            out.append(f"<code>{html.escape(p.text)}</code>")
        elif isinstance(p, Strong):
            out.append(f"<strong>{html.escape(p.text)}</strong>")
        elif isinstance(p, Link):
            out.append(f'<a href="{html.escape(p.href, quote=True)}">{html.escape(p.text)}</a>')
        else:
            out.append(html.escape(p))
    return "".join(out)


def to_html(doc: Document) -> str:
    body = []
    toc = [b for b in doc.blocks if isinstance(b, Heading) and b.level == 2]
    # The contents go after the first section (the answer), so that the
    # answer is on the first screen.
    nav_before = toc[1] if len(toc) > 1 else None
    for b in doc.blocks:
        if isinstance(b, Heading):
            if b is nav_before:
                items = "".join(f'<li><a href="#{h.anchor}">{html.escape(h.text)}</a></li>'
                                for h in toc)
                body.append(f"<nav><ul>{items}</ul></nav>")
            body.append(f'<h{b.level} id="{b.anchor}">{html.escape(b.text)}</h{b.level}>')
        elif isinstance(b, Para):
            body.append(f"<p>{_html_inline(b.parts)}</p>")
        elif isinstance(b, Bullets):
            items = "".join(f"<li>{_html_inline(i)}</li>" for i in b.items)
            body.append(f"<ul>{items}</ul>")
        elif isinstance(b, Table):
            rows = []
            for r in b.rows:
                tds = []
                for c in r:
                    attrs = f' class="{c.status}"' if c.status else ""
                    if c.title:
                        attrs += f' title="{html.escape(c.title, quote=True)}"'
                    tds.append(f"<td{attrs}>{_html_inline(c.parts)}</td>")
                rows.append("<tr>" + "".join(tds) + "</tr>")
            cap = f"<caption>{html.escape(b.caption)}</caption>" if b.caption else ""
            head = "".join(f"<th>{html.escape(h)}</th>" for h in b.headers)
            tid = f' id="{html.escape(b.anchor, quote=True)}"' if b.anchor else ""
            body.append(f'<div class="tw"><table{tid}>{cap}<thead><tr>{head}</tr></thead>'
                        f'<tbody>{"".join(rows)}</tbody></table></div>')
        elif isinstance(b, Image):
            data = base64.b64encode(b.png).decode("ascii")
            cap = f"<figcaption>{html.escape(b.caption)}</figcaption>" if b.caption else ""
            body.append(f'<figure><img alt="{html.escape(b.alt, quote=True)}" '
                        f'src="data:image/png;base64,{data}">{cap}</figure>')
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(doc.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


# ----------------------------------------------------------- Markdown
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<])")


def _md_text(s: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", s)


def _md_code(s: str) -> str:
    fence = "``" if "`" in s else "`"
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def _md_inline(parts: list[Inline]) -> str:
    out = []
    for p in parts:
        if isinstance(p, Code):
            out.append(_md_code(p.text))
        elif isinstance(p, Strong):
            out.append(f"**{_md_text(p.text)}**")
        elif isinstance(p, Link):
            href = p.href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
            out.append(f"[{_md_text(p.text)}]({href})")
        else:
            out.append(_md_text(p))
    return "".join(out)


def _md_cell(parts: list[Inline]) -> str:
    # GFM tables: a pipe ends the cell even inside a code span, so escape it.
    return _md_inline(parts).replace("\n", " ").replace("|", "\\|")


def to_markdown(doc: Document) -> str:
    out = []
    for b in doc.blocks:
        if isinstance(b, Heading):
            out.append("#" * b.level + " " + _md_text(b.text))
        elif isinstance(b, Para):
            out.append(_md_inline(b.parts))
        elif isinstance(b, Bullets):
            out.append("\n".join("- " + _md_inline(i) for i in b.items))
        elif isinstance(b, Table):
            lines = []
            if b.caption:
                lines.append(f"*{_md_text(b.caption)}*\n")
            lines.append("| " + " | ".join(_md_cell([h]) for h in b.headers) + " |")
            lines.append("|" + "|".join("---" for _ in b.headers) + "|")
            for r in b.rows:
                lines.append("| " + " | ".join(_md_cell(c.parts) for c in r) + " |")
            out.append("\n".join(lines))
        elif isinstance(b, Image):
            img = f"![{_md_text(b.alt)}]({b.filename})"
            out.append(img + (f"\n\n*{_md_text(b.caption)}*" if b.caption else ""))
    return "\n\n".join(out) + "\n"
