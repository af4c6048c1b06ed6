"""Staff pages of the listening half: what visitors reach and what they say."""
