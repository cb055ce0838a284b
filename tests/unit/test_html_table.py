"""The static HTML tables: structure for screen readers, grouping, escaping."""

from __future__ import annotations

import pandas as pd

from views.html_table import html_table


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"Theme": ["Economy", "Economy", "Place"], "Indicator": ["Claimants", "Pay", "Crime"],
                         "Abbey": ["3.1%", "£612", None], "Essex": ["2.9%", "£650", "0.00"]})


def test_table_has_caption_column_and_row_headers_and_one_heading_per_group():
    body = html_table(_frame(), caption="Latest values", row_header="Indicator", group_by="Theme",
                      numeric=("Abbey", "Essex"), lead="Abbey")
    assert "<caption>Latest values</caption>" in body
    assert '<th scope="col">Indicator</th><th scope="col" class="num lead">Abbey</th>' in body
    assert body.count('<tr class="group">') == 2
    assert '<th scope="colgroup" colspan="3">Economy</th>' in body
    assert '<th scope="row">Claimants</th><td class="num lead">3.1%</td><td class="num">2.9%</td>' in body
    assert "Theme" not in body  # the grouping column is shown as headings, not as a column


def test_missing_values_are_empty_cells_and_every_cell_is_escaped():
    frame = pd.DataFrame({"Indicator": ["<script>alert(1)</script>"], "Value": [None], "Note": ['A & "B"']})
    body = html_table(frame, caption="x < y", row_header="Indicator")
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "<td></td>" in body
    assert "A &amp; &quot;B&quot;" in body and "<caption>x &lt; y</caption>" in body
