"""The dashboard's ink and accent colours and base chart font size, shared by every chart and export.

Ink #1A1A1A on white has contrast 17:1; the accent #1D5A9E has 7:1 (the theme's primary colour).
No imports here: the landing page's sparklines use it without loading Altair.
"""

INK = "#1A1A1A"
ACCENT = "#1D5A9E"
FONT_SIZE = 16
