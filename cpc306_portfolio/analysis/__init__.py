"""Analyses over a portfolio: coverage tables, status, gaps and progress (pandas)."""
