"""Streamlit-aware building blocks: state, cached data, charts, maps and render helpers."""
