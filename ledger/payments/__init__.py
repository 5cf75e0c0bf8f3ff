"""Online payment: the provider interface, its Stripe implementation, and the expiry of unpaid bookings."""
