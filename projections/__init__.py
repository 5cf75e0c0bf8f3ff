"""Read models: one module per view, with its table, its event handlers and its queries."""
