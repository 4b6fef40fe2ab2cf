"""Plain Python services without Flet: clients, cache, coordinators, outbox, i18n."""
