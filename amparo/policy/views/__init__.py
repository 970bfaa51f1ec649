"""The watchdog's pages: thin, they parse, call a service or a selector, and render. Nothing here
touches case data; every page needs `policy.view` and every write `policy.manage`."""

from amparo.policy.views.common import (  # noqa: F401
    _edition,
)
from amparo.policy.views.editions import (  # noqa: F401
    comparison,
    edition_detail,
    edition_report,
    instrument_list,
)
from amparo.policy.views.requests import (  # noqa: F401
    _request_act,
    request_detail,
    request_document,
    request_list,
)
from amparo.policy.views.services import (  # noqa: F401
    _service_act,
    service_detail,
    service_list,
)
from amparo.policy.views.structure import (  # noqa: F401
    _int,
    dashboard,
    structure,
    structure_load,
)
