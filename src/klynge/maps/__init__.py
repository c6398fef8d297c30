"""The map of Denmark's NUTS 2 regions as inline SVG, shared by the web pages and the factsheet."""
