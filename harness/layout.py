"""What a person would see as broken at a given window size: sideways scrolling, content cut by the window's
edge, and text shortened with an ellipsis (a metric, a table cell, a chart label)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Runs in the page; returns a list of {kind, what, detail}. An element inside something that scrolls sideways on
# purpose (a data grid, a wide table's wrapper) is not "cut": the person can scroll it.
_PROBE = r"""
() => {
  const problems = [];
  const width = window.innerWidth;
  const root = document.documentElement;
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const label = (el) => {
    const id = el.getAttribute('data-testid') || el.tagName.toLowerCase();
    const text = (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
    return text ? `${id} "${text}"` : id;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0;
  };
  const scrollsSideways = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if ((ox === 'auto' || ox === 'scroll') && p.scrollWidth > p.clientWidth + 1) return true;
      if (p.getAttribute('data-testid') === 'stDataFrame') return true;
    }
    return false;
  };
  if (root.scrollWidth > width + 1)
    problems.push({kind: 'overflow', what: 'page', detail: `${root.scrollWidth}px wide in a ${width}px window`});
  const scroller = main.querySelector('[data-testid="stMainBlockContainer"]')?.parentElement || main;
  if (scroller.scrollWidth > scroller.clientWidth + 1)
    problems.push({kind: 'overflow', what: 'main', detail: `${scroller.scrollWidth}px content in ${scroller.clientWidth}px`});
  const right = Math.min(width, main.getBoundingClientRect().right);
  for (const el of main.querySelectorAll('*')) {
    if (!visible(el) || el.closest('[aria-hidden="true"]')) continue;
    if (el.matches('input[type="range"]')) continue;  // a slider's invisible native input pokes past its track
    const r = el.getBoundingClientRect();
    if ((r.right > right + 1 || r.left < -1) && !scrollsSideways(el) && el.children.length === 0)
      problems.push({kind: 'cut', what: label(el), detail: `spans ${Math.round(r.left)}..${Math.round(r.right)} of 0..${Math.round(right)}`});
    const style = getComputedStyle(el);
    if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && el.innerText.trim())
      problems.push({kind: 'truncated', what: label(el), detail: `${el.scrollWidth}px of text in ${el.clientWidth}px`});
  }
  for (const text of main.querySelectorAll('svg text')) {
    if (text.textContent.includes('…')) problems.push({kind: 'truncated', what: 'chart label', detail: text.textContent});
  }
  return problems;
}
"""


@dataclass(frozen=True)
class LayoutProblem:
    """One thing cut, shortened or scrolling sideways, as a person would describe it."""

    kind: str  # overflow | cut | truncated
    what: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.what} ({self.detail})"


def layout_problems(page: Any) -> list[LayoutProblem]:
    """Everything on the page (Playwright Page) that scrolls sideways, is cut by the window or is shortened."""
    seen: set[tuple[str, str, str]] = set()
    found = []
    for item in page.evaluate(_PROBE):
        key = (item["kind"], item["what"], item["detail"])
        if key not in seen:
            seen.add(key)
            found.append(LayoutProblem(*key))
    return found
