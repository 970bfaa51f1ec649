import re
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES"


def test_every_message_has_a_spanish_translation():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(LOCALE / "django.po"))
    mo = polib.mofile(str(LOCALE / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    for entry in po.translated_entries():
        assert compiled.get((entry.msgctxt, entry.msgid)) == (
            entry.msgstr, entry.msgstr_plural), f"run `make messages`: {entry.msgid!r}"


# The interface addresses everyone as "usted" (issue 34: "tú" on the home pages and the
# administration, "usted" elsewhere). Words only "tú" uses, as whole words (an imperative such
# as "escribe" is also a third person, "la psicóloga escribe", so those are left out).
TU = re.compile(r"\b(tu|tus|ti|tú|te|puedes|tienes|necesitas|quieres|podrás|elijas|pídeselo|"
                r"verifícalo|reconoces|inténtalo|úsalo|escríbela|entrégalo|revócalo|revísalo|"
                r"dale|compartas|confirmas|abres|estás|eres|debes)\b", re.IGNORECASE)


def test_one_form_of_address_usted():
    po = polib.pofile(str(LOCALE / "django.po"))
    familiar = []
    for entry in po.translated_entries():
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if TU.search(text):
                familiar.append(text)
    assert familiar == [], "use usted:\n" + "\n".join(familiar)
