"""QR codes as data: URIs (segno), for the ballot slips; nothing is fetched from anywhere."""

import segno


def svg_data_uri(text: str) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)
