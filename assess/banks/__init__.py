"""Question banks and the catalogue as JSON (see assess/data/FORMAT.md).

- `format`: bank documents: reading, upgrading older formats, every check with its path
  (no database writes); `catalogue`: the catalogue document's checks;
- `store`: to and from the database: export, import as a new version, the default data
  loader, translations refreshed;
- `services`: a bank's life in admin: new draft, publish, retire, import;
- `limits`: what a bank editor or an imported file may store (sizes, counts, text).
"""
