"""The Faust application: topics, tables and the agents that move messages between them."""
