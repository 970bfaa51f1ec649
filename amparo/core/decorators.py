from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from amparo.accounts.permissions import PERMISSIONS, can


def permission_required(code: str):
    """The view needs this permission of the matrix (in any office); 403 otherwise."""
    if code not in PERMISSIONS:
        raise ValueError(f"Unknown permission {code!r}")

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.user, code):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
