"""An organisation's data in its owners' hands (docs/privacy.md):

- ``deletion``: deleting an organisation (a grace period, restoring it, the purge that leaves
  no row naming it or its people) and deleting one's own account;
- ``export``: the archive of everything an organisation holds, or of one person's own data,
  as a list of sections (other rooms add theirs with ``export.section``);
- ``tasks``: the archive built by the task worker;
- ``retention``: how long things are kept, applied by ``manage.py cleanup``."""
