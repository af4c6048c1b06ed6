"""The staff workspace: sign-in, editing, media, bulk import and signs."""
