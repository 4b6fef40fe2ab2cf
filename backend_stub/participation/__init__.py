"""E-participation on the measures of the Masterplan Digitales Köln: the city's own API.

`models` holds the tables, `seed` the measures and surveys of the sample data, `rules` checks
a submission, `aggregate` counts the answers (pure functions), `ballots` stores a submission
exactly once, `codes` makes join and participation codes, `export` writes results as CSV.

Anonymity: a participant (the app's device token or a participation code) is stored only as a
keyed one-way hash in `participation_ballot`, one row per survey, with neither time nor id;
answers sit in `participation_answer` with random ids and no participant column, so no row
leads from an answer to a device. Nothing here stores an IP address or a name.
"""
