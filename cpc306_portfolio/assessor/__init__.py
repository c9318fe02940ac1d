"""The assessor's records: judgements, sign-off, keys, signatures, verification, IQA."""
