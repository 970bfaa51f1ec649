"""The watchdog's pages: thin, they parse, call a service or a selector, and render. Nothing here
touches case data; every page needs `policy.view` and every write `policy.manage`."""

from amparo.policy.views.editions import (  # noqa: F401
    comparison,
    edition_detail,
    edition_report,
    instrument_list,
)
from amparo.policy.views.requests import (  # noqa: F401
    request_detail,
    request_document,
    request_list,
)
from amparo.policy.views.services import (  # noqa: F401
    service_detail,
    service_list,
)
from amparo.policy.views.structure import (  # noqa: F401
    dashboard,
    structure,
    structure_load,
)
