"""tollstream: continuously revised casualty tolls from a stream of news reports."""

__version__ = "0.1.0"
