"""Build every small area's committee pack of a council and check its layout (prints figures; exit 1 on a fault).

    python scripts/check_packs.py                      # Essex: all 70 division packs
    python scripts/check_packs.py --council colchester  # Colchester: all ward packs
    python scripts/check_packs.py --limit 5 --png artifacts/packs   # also write each page as PNG (pdftoppm)
    python scripts/check_packs.py --only "Clacton West" "Harlow North" --png artifacts/packs

For each pack: the page count against the designed count, every page on its own sheet, how full each page is
(from the layout, and independently from the PDF: the lowest drawn text, line or picture above the footer,
read with pdfplumber), the smallest text size on any page (pdfplumber, charts included), and the build time.
The load average is printed before and after, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
logging.getLogger("cmdstanpy").disabled = True
logging.getLogger("streamlit").setLevel(logging.ERROR)

MIN_FILL = 0.85  # no page more than 15% empty
MIN_TEXT_PT = 7.95  # 8 pt, less rounding in the PDF's text matrices
FOOTER_MM = 17.0


def printed_fill(pdf: bytes) -> tuple[list[float], float]:
    """Per page, the share of the content area above the lowest drawn object; and the smallest text (pt)."""
    import pdfplumber

    from views.pack_layout import MARGIN_MM

    fills, smallest = [], float("inf")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            limit = page.height - FOOTER_MM * 72 / 25.4
            top = MARGIN_MM[0] * 72 / 25.4
            objects = [o for o in (*page.chars, *page.rects, *page.lines, *page.curves, *page.images)
                       if o["bottom"] < limit]
            bottom = max((o["bottom"] for o in objects), default=top)
            fills.append((bottom - top) / (limit - top))
            for char in page.chars:
                if char["text"].strip():
                    size = char["size"] if char["upright"] else char["width"]
                    smallest = min(smallest, size)
    return fills, smallest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--council", default="essex")
    parser.add_argument("--limit", type=int, default=0, help="only the first N areas (0: all)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these areas (by name)")
    parser.add_argument("--png", type=Path, help="write each pack's pages as PNG (pdftoppm, 60 dpi) here")
    args = parser.parse_args()
    if args.council != "essex":
        os.environ["INSIGHT_COUNCIL"] = str(ROOT / "insight" / "councils" / f"{args.council}.toml")
        os.environ["INSIGHT_DATA_DIR"] = str(ROOT / "data" / "councils" / args.council)
    data_dir = Path(os.environ.get("INSIGHT_DATA_DIR", ROOT / "data"))

    from bench_packs import settings

    from insight import query
    from insight import schema as s
    from insight.config import load_config
    from insight.snapshot import load_context
    from views.committee_pack import build_division_pack, division_pack_document, pack_inputs

    print(f"Load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"({os.cpu_count()} CPUs)")
    started = time.perf_counter()
    context = load_context(data_dir, load_config(), settings())
    inputs = pack_inputs(context)
    print(f"Context and shared inputs: {time.perf_counter() - started:.2f} s")
    codes = list(query.areas_at(context.dataset.areas, s.Level.DIVISION)[s.AREA_CODE])
    if args.only:
        codes = [c for c in codes if context.names[c] in set(args.only)]
    if args.limit:
        codes = codes[:args.limit]
    faults, times, fills, printed = [], [], [], []
    counts: dict[int, int] = {}  # pages per pack -> packs
    smallest_text = float("inf")
    for code in codes:
        t0 = time.perf_counter()
        pack = build_division_pack(context, code, date(2026, 12, 1), inputs=inputs)
        fitted = division_pack_document(pack)
        times.append(time.perf_counter() - t0)
        counts[fitted.sheets] = counts.get(fitted.sheets, 0) + 1
        page_fills, small = printed_fill(fitted.pdf)
        smallest_text = min(smallest_text, small)
        fills += [p.fill for p in fitted.pages]
        printed += page_fills
        problems = []
        if fitted.sheets != pack.page_count or not fitted.all_fit:
            problems.append(f"{fitted.sheets} sheets for {pack.page_count} pages")
        problems += [f"page {p.index + 1} ({p.name}) {p.fill:.0%} full" for p in fitted.pages if p.fill < MIN_FILL]
        problems += [f"page {i + 1} prints {f:.0%} full" for i, f in enumerate(page_fills) if f < MIN_FILL]
        if small < MIN_TEXT_PT:
            problems.append(f"text of {small:.2f} pt")
        levels = [f"{p.name}: level {p.level}" for p in fitted.pages if p.level]
        print(f"  {context.names[code]:32s} {times[-1]:5.2f} s  {fitted.sheets} pages  fill "
              f"{min(p.fill for p in fitted.pages):.0%}-{max(p.fill for p in fitted.pages):.0%}  "
              + ("; ".join(problems) or "ok") + (f"  ({', '.join(levels)})" if levels else ""))
        if problems:
            faults.append(context.names[code])
        if args.png:
            args.png.mkdir(parents=True, exist_ok=True)
            stem = args.png / f"{args.council}_{context.names[code].replace(' ', '_')}"
            stem.with_suffix(".pdf").write_bytes(fitted.pdf)
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(stem.with_suffix(".pdf")), str(stem)], check=True)
    print(f"{len(codes)} packs: page counts {dict(sorted(counts.items()))}; page fill (layout) min "
          f"{min(fills):.1%}, median {statistics.median(fills):.1%}; printed fill min {min(printed):.1%}; smallest "
          f"text {smallest_text:.2f} pt")
    print(f"Build time per pack (content + fitted layout + PDF): median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s, total {sum(times):.0f} s")
    print(f"Load average after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print("Faults: " + (", ".join(faults) if faults else "none"))
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
