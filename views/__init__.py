"""Pure presentation: typed view-models and Altair/pydeck builders. No streamlit; imports insight only."""
