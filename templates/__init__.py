"""The toolkit's templates, one folder per owning part.

Code finds them through ``cpc306_portfolio.files.templates``.
"""
