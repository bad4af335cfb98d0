"""The project's Chinese input formats (settings.FORMAT_MODULE_PATH): see jiedao/dates.py."""

from jiedao.dates import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401
