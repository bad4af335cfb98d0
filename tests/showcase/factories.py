"""Showcase test data, made through the services so sites get their checks as in real use."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from showcase import services
from showcase.choices import EconomicTier, StandardCategory
from showcase.models import Programme, Site, Standard


def png(name: str = "photo.png", colour: str = "#c62828") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_programme(staff, *, year: int = 2005, standards=(("A", 50, True), ("B", 30, True), ("C", 20, False))):
    programme = services.programme_save(
        actor=staff, programme=Programme(year=year, name="争创区级党建示范点", bonus_points=Decimal("5"))
    )
    for code, points, required in standards:
        services.standard_save(
            actor=staff,
            standard=Standard(
                programme=programme,
                code=code,
                category=StandardCategory.HARDWARE,
                title=f"标准{code}",
                points=points,
                required=required,
            ),
        )
    return programme


def make_site(staff, programme, community, *, theme: str = "农家乐旅游", start: bool = True) -> Site:
    site = services.site_save(
        actor=staff,
        site=Site(
            programme=programme, community=community, theme=theme, goal="发展农家乐", economic_tier=EconomicTier.GOOD
        ),
    )
    if start:
        site = services.site_start(actor=staff, site=site)
    return site


def check_of(site, code):
    return site.checks.get(standard__code=code)
