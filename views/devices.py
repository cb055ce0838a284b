"""What the browser says about the device it runs on, for layout only (kept free of heavy imports: the first page
reads it)."""

from __future__ import annotations

# On a phone a map takes the screen's width less the page's padding: 324-394 px on 360-430 px screens. Fitted to
# the projector layout's 470 px there, the priority map cut off the council's east and west ends (seen at 390x844).
PHONE_MAP_WIDTH = 320


def phone_browser(user_agent: str | None) -> bool:
    """True for a phone's browser: its user agent says "Mobi" (MDN's advice for telling phones from tablets and
    desktops; a wrong guess only fits a map to another width)."""
    return "Mobi" in (user_agent or "")


def map_fit_width(desktop_width: int, phone: bool) -> int:
    """The width a map's view is fitted to: the desktop layout's, or a phone's (never wider than the desktop's)."""
    return min(desktop_width, PHONE_MAP_WIDTH) if phone else desktop_width
