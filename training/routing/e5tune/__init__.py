"""Fine-tuning multilingual-e5-small for the router's nearest-neighbour head (see README.md)."""
