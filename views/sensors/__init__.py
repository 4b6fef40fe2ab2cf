"""`/sensors` and `/sensors/<datastream>`: the city's LoRaWAN sensors over SensorThings."""

from views.sensors.detail import build_datastream
from views.sensors.overview import build

__all__ = ["build", "build_datastream"]
