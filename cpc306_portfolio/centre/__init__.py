"""The centre folder: its assessor register (the trust list's source) and its IQA records.

The IQA plan, IQA reports and their actions, and standardisation records live here too.
"""
