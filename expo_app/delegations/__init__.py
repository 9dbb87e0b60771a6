"""delegations."""
