"""pypdf against PDFium (pypdfium2) on the same 55-page text PDFs, side by side in one run.

    .venv/bin/python bench/pdf_extract.py [--pages 55] [--files 3]

Prints seconds per file for each extractor (in-process, no cache), and the toolkit's own
path (PDFium in its capped child process) cold and then from the text cache.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from pdfs import write_text_pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=55)
    parser.add_argument("--files", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
        files = [
            write_text_pdf(folder / f"report-{n}.pdf", pages=args.pages, seed=n)
            for n in range(args.files)
        ]
        import pypdfium2 as pdfium
        from pypdf import PdfReader

        from cpc306_portfolio.confidentiality.extract import extract_text

        def pypdf_text(path: Path) -> str:
            return "\n".join(p.extract_text() or "" for p in PdfReader(path).pages)

        def pdfium_text(path: Path) -> str:
            doc = pdfium.PdfDocument(path)
            return "\n".join(doc[i].get_textpage().get_text_bounded() for i in range(len(doc)))

        rows = []
        for name, read in (
            ("pypdf extract_text", pypdf_text),
            ("pypdfium2 in-process", pdfium_text),
            ("toolkit, cold (capped child)", extract_text),
            ("toolkit, from the cache", extract_text),
        ):
            started = time.perf_counter()
            chars = sum(len(read(path) or "") for path in files)
            rows.append((name, (time.perf_counter() - started) / len(files), chars))
    print(f"{args.files} PDFs of {args.pages} pages, load {os.getloadavg()[0]:.1f}, one run")
    for name, seconds, chars in rows:
        print(f"{name:<30} {seconds:8.3f} s a file  {chars:>9,} characters")


if __name__ == "__main__":
    main()
