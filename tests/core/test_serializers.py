"""InputSerializer: fields built once per thread and class, and still a fresh validation each time."""

import threading

from rest_framework import serializers

from apps.core.serializers import InputSerializer


class _Body(InputSerializer):
    name = serializers.CharField(max_length=5)
    count = serializers.IntegerField(min_value=1, required=False)


class TestInputSerializerFields:
    def test_one_thread_reuses_the_fields_and_each_validation_is_its_own(self):
        first, second = _Body(data={"name": "ada", "count": 2}), _Body(data={"name": "much too long"})
        assert first.is_valid() and first.validated_data == {"name": "ada", "count": 2}
        assert not second.is_valid() and set(second.errors) == {"name"}
        assert first.fields["name"] is second.fields["name"]  # built once
        assert second.fields["name"].parent is second and second.fields["name"].root is second
        third = _Body(data={"name": "bob"})
        assert third.is_valid() and third.validated_data == {"name": "bob"}

    def test_unknown_fields_are_still_refused(self):
        body = _Body(data={"name": "ada", "colour": "blue"})
        assert not body.is_valid() and body.errors["colour"][0].code == "parameter_unknown"

    def test_threads_get_their_own_fields(self):
        here = _Body(data={"name": "ada"}).fields["name"]
        there = []
        thread = threading.Thread(target=lambda: there.append(_Body(data={"name": "ada"}).fields["name"]))
        thread.start()
        thread.join()
        assert there and there[0] is not here

    def test_a_serializer_with_context_builds_its_own(self):
        shared = _Body(data={}).fields["name"]
        assert _Body(data={}, context={"request": None}).fields["name"] is not shared


class _Tagged(InputSerializer):
    name = serializers.CharField(required=False)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    labels = serializers.DictField(child=serializers.CharField(), required=False)


class TestJsonTypes:
    """A body is held to the JSON types its schema states: nothing is turned into text, and each bad item of a
    list or object of strings is named in the error's field path."""

    def _errors(self, data: dict) -> list[dict[str, str]]:
        from rest_framework.exceptions import ValidationError

        from apps.core.exceptions import _flatten

        body = _Tagged(data=data)
        assert not body.is_valid()
        return _flatten(ValidationError(body.errors).detail)

    def test_a_number_is_not_text(self):
        assert [(e["field"], e["message"]) for e in self._errors({"name": 0})] == [("name", "Must be a string.")]

    def test_each_bad_item_of_a_list_is_named_by_its_place(self):
        assert [e["field"] for e in self._errors({"tags": ["a", 1, "c", {"x": 1}]})] == ["tags[1]", "tags[3]"]

    def test_each_bad_value_of_an_object_is_named_by_its_key(self):
        assert [e["field"] for e in self._errors({"labels": {"ok": "v", "order": {"nested": "x"}}})] == ["labels.order"]

    def test_strings_pass(self):
        body = _Tagged(data={"name": "a", "tags": ["x"], "labels": {"k": "v"}})
        assert body.is_valid(), body.errors
