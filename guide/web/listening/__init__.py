"""Staff and visitor pages of the listening half: feedback, reach and plaques."""
