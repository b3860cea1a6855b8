"""Domain errors are declared as data (``apps.core.errors.error_type``) and docs/errors.md lists them all."""

import pickle
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.core import exceptions
from apps.core.errors import ApplicationError, declared_errors, error_type
from apps.core.idempotency import IdempotencyKeyInUse
from apps.partners.services.team_errors import InvalidRole, TeamError
from apps.transfers.services import SameWallet


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


class TestErrorReference:
    def test_committed_reference_lists_every_declared_error(self):
        # Fails when an error is added or changed without `make errors`.
        call_command("errors_reference", "--check")

    def test_every_code_has_an_anchor_its_problem_type_url_points_at(self):
        page = (Path(settings.BASE_DIR) / "docs" / "errors.md").read_text()
        framework = {code for code, _ in exceptions._DRF_CODES.values()} | set(exceptions._FIELD_CODES.values())
        codes = {error.code for error in declared_errors()} | framework | {"internal_error"}

        assert sorted(code for code in codes if page.count(f'<a id="{code}"></a>') != 1) == []
        assert exceptions.type_url("insufficient_funds") == f"{settings.BASE_URL}/docs/errors/#insufficient_funds"

    def test_every_domain_error_in_apps_is_declared(self):
        declared = set(declared_errors())
        bases = {TeamError}  # carries ``field`` for the portal's forms; only its declared subclasses are raised
        by_hand = {
            cls
            for cls in _subclasses(ApplicationError)
            if cls.__module__.startswith("apps.") and cls not in declared and cls not in bases
        }
        assert by_hand == set()

    def test_each_declaration_is_bound_to_its_name_in_its_module(self):
        for error in declared_errors():
            assert getattr(sys.modules[error.__module__], error.__name__) is error, error


class TestDeclaredError:
    def test_is_raised_and_caught_as_a_class_with_its_declared_values(self):
        with pytest.raises(SameWallet) as caught:
            raise SameWallet(errors=[{"field": "destination", "code": "same_wallet", "message": "x"}], extra={"a": 1})
        error = caught.value
        assert isinstance(error, ApplicationError)
        assert (error.code, error.status, error.title) == ("same_wallet", 422, "Same wallet")
        assert error.detail == "The source and destination are the same wallet."
        assert error.errors == [{"field": "destination", "code": "same_wallet", "message": "x"}]
        assert error.extra == {"a": 1}

    def test_subclass_of_a_base_keeps_its_attributes(self):
        assert issubclass(InvalidRole, TeamError)
        assert (InvalidRole.field, InvalidRole.title, InvalidRole("Pick one.").detail) == (
            "role",
            "Team change refused",
            "Pick one.",
        )

    def test_default_headers_merge_with_those_given(self):
        assert IdempotencyKeyInUse().headers == {"Retry-After": "1"}
        assert IdempotencyKeyInUse(headers={"X-A": "b"}).headers == {"Retry-After": "1", "X-A": "b"}
        assert SameWallet().headers == {}

    def test_pickles_by_reference(self):
        assert type(pickle.loads(pickle.dumps(SameWallet("Same.")))) is SameWallet

    def test_declaration_names_the_calling_module(self):
        Local = error_type("Local", "local", 400, "Local")
        try:
            assert Local.__module__ == __name__
        finally:
            from apps.core import errors

            errors._registry.remove(Local)
