"""The confidentiality scan: identifiers and listed names in text; it knows no portfolio."""
