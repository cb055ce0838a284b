"""Pure presentation (no Streamlit): view-models and chart, map, table and PDF builders, one module per page.

Imports only `insight` and other `views` modules; `components/` renders what these build.
"""
