"""`/data` and `/data/<dataset>`: the city's open data catalogue, searchable offline."""
