"""The stub's open-data catalogue: CKAN datasets of the City of Cologne and their tables."""
