"""Domain package of the Essex Insight Dashboard: data model, loading, validation,
statistics, forecasting, prioritisation and scenarios. Never imports streamlit."""
