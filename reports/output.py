"""Writing the report so an interrupted run never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile

from reports.document import Document, to_html, to_markdown
from reports.errors import ReportError

INDEX = "index.html"
MARKDOWN = "report.md"
APPENDIX = "appendix.html"
APPENDIX_MARKDOWN = "appendix.md"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: str, data: bytes) -> None:
    """Write to a temporary name in the same directory, fsync, then rename
    over the target (atomic on POSIX): readers see the old file or the new
    one, never a torn one."""
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a report is for reading
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise ReportError(path, f"cannot write: {e.strerror or e}") from None
        raise


def prepare_out_dir(out_dir: str) -> None:
    """Create OUT_DIR (checked before rendering, so a bad -o fails fast)."""
    try:
        os.makedirs(out_dir, exist_ok=True)
    except FileExistsError:
        raise ReportError(out_dir, "exists and is not a directory") from None
    except OSError as e:
        raise ReportError(out_dir, f"cannot create output directory: {e.strerror}") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise ReportError(out_dir, "output directory is not writable")


def write_report(doc: Document, out_dir: str) -> list[str]:
    """PNGs first, then the appendix, then report.md, then index.html: each
    file is whole, and the page only appears once everything it summarises
    (and links to) is in place."""
    prepare_out_dir(out_dir)
    written = []
    docs = [doc] + ([doc.appendix] if doc.appendix else [])
    for d in docs:
        for img in d.images():
            p = os.path.join(out_dir, img.filename)
            write_atomically(p, img.png)
            written.append(p)
    pages = []
    if doc.appendix:
        pages += [(APPENDIX_MARKDOWN, to_markdown(doc.appendix)), (APPENDIX, to_html(doc.appendix))]
    pages += [(MARKDOWN, to_markdown(doc)), (INDEX, to_html(doc))]
    for name, text in pages:
        p = os.path.join(out_dir, name)
        write_atomically(p, text.encode("utf-8"))
        written.append(p)
    return written
