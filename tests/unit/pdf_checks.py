"""Reading a tagged PDF with pypdf: its structure tree (tags, alt text, pages) and each page's text."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pypdf


@dataclass(frozen=True)
class Element:
    tag: str  # "H1", "Figure", ...
    alt: str | None
    page: int | None  # 0-based page index, where the element says


def read(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def structure(reader: pypdf.PdfReader) -> list[Element]:
    """Every element of the structure tree, in document order."""
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    found: list[Element] = []

    def walk(node: object, page: int | None) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if not isinstance(node, dict):
            return
        ref = node.get("/Pg")
        if ref is not None and hasattr(ref, "idnum"):
            page = pages.get(ref.idnum, page)
        tag = node.get("/S")
        if tag is not None:
            alt = node.get("/Alt")
            found.append(Element(str(tag).lstrip("/"), None if alt is None else str(alt), page))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid, page)

    walk(reader.trailer["/Root"]["/StructTreeRoot"], None)
    return found


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]
