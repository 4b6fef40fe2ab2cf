"""The city's open data: the CKAN Action API and its DKAN variant."""
