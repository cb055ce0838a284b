"""Helpers the tests and the scripts share: serve the app on a free loopback port, drive Debian's Chromium.

Installed with the project (``pip install -e .``), so scripts import it instead of reaching into tests/.
"""
