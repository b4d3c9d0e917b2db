"""Users and banks for the question bank admin tests; load with pytest_plugins."""

import pytest
from django.contrib.auth.models import Group, Permission

from assess.banks.services import bank_new_draft
from tests.bank_helpers import EDITORS
from tests.conftest import make_user


@pytest.fixture
def superuser(db):
    user = make_user("root@admin.example", "Root")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def editor(db):
    user = make_user("ed@editor.example", "Edith")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def staff_outsider(db):
    """Staff who may sign in to the admin but holds no permission on banks."""
    user = make_user("sam@staff.example", "Sam")
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_organization"))
    return user


@pytest.fixture
def draft(bank, superuser):
    return bank_new_draft(bank=bank, user=superuser)
