import pytest

from tests.showcase.factories import make_programme, make_site


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def programme(staff):
    return make_programme(staff)


@pytest.fixture
def site_a(staff, programme, community_a):
    return make_site(staff, programme, community_a, theme="农家乐旅游")


@pytest.fixture
def site_b(staff, programme, community_b):
    return make_site(staff, programme, community_b, theme="土地流转")
