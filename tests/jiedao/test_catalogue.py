"""The Chinese catalogue is complete: every string the code marks has a translation."""

import subprocess
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(PO)], capture_output=True, text=True, check=True
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


def test_catalogue_covers_every_marked_string(tmp_path):
    """Re-extract the strings into a scratch copy of the catalogue: nothing new may appear."""
    import shutil

    work = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
    work.mkdir(parents=True)
    shutil.copy(PO, work / "django.po")
    base = Path(settings.BASE_DIR)
    subprocess.run(
        [
            str(base / ".venv" / "bin" / "python") if (base / ".venv").exists() else "python",
            "-c",
            "import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE']='jiedao.settings'; django.setup();"
            "from django.conf import settings; settings.LOCALE_PATHS=[sys.argv[1]];"
            "from django.core.management import call_command;"
            "call_command('makemessages', locale=['zh_Hans'], no_obsolete=True, verbosity=0,"
            " ignore_patterns=['.venv', 'var', 'tests', 'static/vendor', 'node_modules'])",
            str(tmp_path / "locale"),
        ],
        cwd=base,
        check=True,
    )
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(work / "django.po")], capture_output=True, text=True
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, f"strings missing from django.po: {stats}"
