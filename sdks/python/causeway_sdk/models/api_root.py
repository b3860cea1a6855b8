from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ApiRoot")


@_attrs_define
class ApiRoot:
    """
    Attributes:
        object_ (str):
        version (str):
        api_version (str):
        schema (str):
        docs (str):
        redoc (str):
    """

    object_: str
    version: str
    api_version: str
    schema: str
    docs: str
    redoc: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_ = self.object_

        version = self.version

        api_version = self.api_version

        schema = self.schema

        docs = self.docs

        redoc = self.redoc

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
                "version": version,
                "api_version": api_version,
                "schema": schema,
                "docs": docs,
                "redoc": redoc,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        object_ = d.pop("object")

        version = d.pop("version")

        api_version = d.pop("api_version")

        schema = d.pop("schema")

        docs = d.pop("docs")

        redoc = d.pop("redoc")

        api_root = cls(
            object_=object_,
            version=version,
            api_version=api_version,
            schema=schema,
            docs=docs,
            redoc=redoc,
        )

        api_root.additional_properties = d
        return api_root

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
