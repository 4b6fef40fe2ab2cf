"""The walk-in queues of the Kundenzentren: simulation, ticket tokens, the simulated clock."""
