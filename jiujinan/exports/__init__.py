"""The CSV files villages send to the district: their format, writing and reading them."""
