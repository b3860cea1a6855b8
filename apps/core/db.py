"""Database routing for the embedded default.

On SQLite, the cache table and high-volume logs live in a second database file (alias ``aux``) so their
writes never wait behind a money transaction's write lock. Where there is no ``aux`` alias (PostgreSQL),
everything is in ``default``. Models opt in with ``aux_database = True``.
"""

from typing import Any

from django.conf import settings

AUX = "aux"


def _is_aux(model: Any) -> bool:
    return model._meta.app_label == "django_cache" or getattr(model, "aux_database", False)


def _alias(model: Any) -> str | None:
    if AUX in settings.DATABASES:
        return AUX if _is_aux(model) else "default"
    return None


class AuxiliaryRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return _alias(model)

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return _alias(model)

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        if AUX not in settings.DATABASES:
            return None
        # Migrations pass historical models, which lack class attributes such as ``aux_database``: look the
        # model up in the live registry by name.
        model = None
        if model_name is not None and app_label != "django_cache":
            from django.apps import apps

            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                model = hints.get("model")
        is_aux = app_label == "django_cache" or (model is not None and _is_aux(model))
        return db == AUX if is_aux else db == "default"
