"""Personal data in events: encrypted per person (crypto-shredding), erased by destroying the person's key."""
