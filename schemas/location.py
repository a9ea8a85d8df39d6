"""Where an event is on a map, and how precisely."""

from typing import Literal

from pydantic import Field

from schemas.base import Message

# What the coordinates stand for, most precise first (the UCDP ``where_prec`` idea).
Precision = Literal["place", "district", "province", "country"]


class Location(Message):
    """A point for an event's place: the place itself, or the centre of the area that holds it."""

    latitude: float = Field(ge=-90, le=90, description="WGS 84 degrees north.")
    longitude: float = Field(ge=-180, le=180, description="WGS 84 degrees east.")
    precision: Precision = Field(
        description="What the point stands for: the named place, its district, its province or its country."
    )
    basis: str = Field(description="Where the point comes from, in words.")
