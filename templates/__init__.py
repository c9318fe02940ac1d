"""The toolkit's templates, one folder per owning part; found through ``cpc306_portfolio.files.templates``."""
