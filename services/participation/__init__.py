"""E-participation on the measures of the Masterplan Digitales Köln: our own API."""
