"""The `amparo` console script: the same as `manage.py`."""

import os
import sys


def main() -> None:
    if sys.argv[1:3] == ["keys", "generate"]:
        # The first key must be made before settings (which need a key ring) can load.
        from amparo.crypto.keyring import generate_entry

        print(generate_entry(sys.argv[3] if len(sys.argv) > 3 else "k1"))
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
