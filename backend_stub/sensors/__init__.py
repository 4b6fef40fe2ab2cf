"""The stub's simulated LoRaWAN sensors and the SensorThings query options it understands."""
