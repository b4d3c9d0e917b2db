"""Question banks and the catalogue as JSON (see assess/data/FORMAT.md).

- `format`: bank documents: reading, upgrading older formats, every check with its path
  (no database writes); `catalogue`: the catalogue document's checks;
- `store`: to and from the database: export, import as a new version, the default data
  loader, translations refreshed.

The names below are what the rest of the app uses.
"""

from assess.banks.catalogue import catalogue_problems
from assess.banks.format import (
    DATA_DIR,
    MAX_IMPORT_BYTES,
    PLAN_KEYS,
    BankError,
    _caveats_problems,
    _gates_problems,
    _plans_problems,
    bank_problems,
    bank_read,
    load_json,
    upgrade_document,
)
from assess.banks.store import (
    bank_dumps,
    bank_export,
    bank_import,
    catalogue_load,
    load_defaults,
    next_version,
    translations_refresh,
)

__all__ = [
    "DATA_DIR",
    "MAX_IMPORT_BYTES",
    "PLAN_KEYS",
    "BankError",
    "_caveats_problems",
    "_gates_problems",
    "_plans_problems",
    "bank_dumps",
    "bank_export",
    "bank_import",
    "bank_problems",
    "bank_read",
    "catalogue_load",
    "catalogue_problems",
    "load_defaults",
    "load_json",
    "next_version",
    "translations_refresh",
    "upgrade_document",
]
