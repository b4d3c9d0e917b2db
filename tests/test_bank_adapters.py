from assess.selectors import bank_view


def test_the_rules_tests_bank_is_the_bank_production_reads(bank, default_bank):
    """The rules' tests build the default bank from its JSON (rules.bank_from_document);
    production reads it from the database (selectors). Both adapters give the same bank."""
    assert bank_view(bank).definition == default_bank


def test_the_rules_tests_catalogue_is_the_catalogue_production_reads(bank, default_catalogue):
    from django.utils import translation

    from assess.selectors import catalogue

    with translation.override("en"):
        read = sorted(catalogue(), key=lambda a: a.slug)
    assert read == sorted(default_catalogue, key=lambda a: a.slug)
    assert len(read) > 100
