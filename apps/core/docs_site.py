"""``/docs/``: the static docs site that ``make docs`` builds into ``settings.DOCS_SITE_DIR`` (mkdocs.yml), served
by Django whatever DEBUG says, so ``make run`` and a production web process both answer it. Directory URLs
serve their ``index.html``; a directory URL without its slash is redirected to it, as the site links them."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils._os import safe_join
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def docs_site(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    root = Path(settings.DOCS_SITE_DIR)
    try:
        target = Path(safe_join(root, path))
    except Exception as exc:  # a path that climbs out of the site (SuspiciousFileOperation)
        raise Http404("Not in the docs site.") from exc
    if target.is_dir():
        if path and not path.endswith("/"):
            return HttpResponseRedirect(f"{request.path}/")
        path = f"{path}index.html"
    if not (root / "index.html").is_file():
        raise Http404("The docs site is not built: run `make docs`.")
    return serve(request, path, document_root=str(root))
