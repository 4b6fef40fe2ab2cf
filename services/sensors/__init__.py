"""LoRaWAN sensors of the city: OGC SensorThings API v1.1."""
