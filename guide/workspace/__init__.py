"""The staff workspace's library: database, accounts, editing and uploads."""
