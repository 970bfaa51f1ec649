from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from amparo.accounts.permissions import PERMISSIONS, can


def permission_required(*codes: str):
    """The view needs one of these permissions of the matrix (in any office); 403 otherwise."""
    for code in codes:
        if code not in PERMISSIONS:
            raise ValueError(f"Unknown permission {code!r}")

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(can(request.user, code) for code in codes):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
