from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir


def default_database_url() -> str:
    """SQLite in the user's data directory, e.g. ~/.local/share/costzero/costzero.db."""
    return f"sqlite:///{Path(user_data_dir('costzero')) / 'costzero.db'}"
