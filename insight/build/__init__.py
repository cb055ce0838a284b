"""Build step: turns the raw open data named in a council configuration into the processed dataset in data/."""
