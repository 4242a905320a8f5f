"""Named operations over the database, shared by the GUI and the command line."""
