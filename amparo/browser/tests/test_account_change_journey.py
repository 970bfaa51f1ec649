"""The person at an address an e-mail change was sent to opens her link on a phone or a laptop,
reads who asked for what, and confirms with a button (a mail scanner that opens the link
confirms nothing); once both addresses confirmed, the account's address has changed."""

import re

import pytest
from django.core import mail

from amparo.accounts import changes
from amparo.accounts.models import AccountChange

pytestmark = pytest.mark.browser


def test_both_addresses_confirm_an_email_change_from_their_links(browse, person):
    admin = person("admin", username="teresa.admin", first_name="Teresa")
    worker = person("caseworker@lima", username="lima.cw", first_name="Lucía",
                    email="lucia@ejemplo.pe")
    changes.email_change_ask(actor=admin, user=worker, new_email="lucia.nueva@ejemplo.pe")
    change = AccountChange.objects.get()
    links = {side: changes.confirm_link(change, side) for side in ("old", "new")}
    me = browse()
    page = me.page
    for side in ("old", "new"):
        path = re.sub(r"^https?://[^/]+", "", links[side])
        me.go(path, f"the {side} address's link")
        assert page.get_by_text("Teresa Quispe Mamani pidió cambiar").is_visible()
        worker.refresh_from_db()
        assert worker.email == "lucia@ejemplo.pe"  # opening the link changed nothing
        page.get_by_role("button", name="Confirmar el cambio").click()
        me.look(f"the {side} address confirmed")
    assert page.get_by_text("el correo electrónico de la cuenta cambió").is_visible()
    worker.refresh_from_db()
    assert worker.email == "lucia.nueva@ejemplo.pe"
    me.go(re.sub(r"^https?://[^/]+", "", links["new"]))
    me.errors.clear()  # the browser logs the expected 410
    me.look("a used link")
    assert page.get_by_text("ya no es válido").is_visible()
    assert not mail.outbox or all("Amparo" in m.subject for m in mail.outbox)
