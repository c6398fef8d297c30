"""Matchmaking: partner profiles and recommendations, and brokerage events with their scheduler.

Pure domain code (no storage, services or faces). The event model is :mod:`.events`; the
scheduler is :mod:`.schedule` (entry point), :mod:`.schedule_search` (greedy and local search),
:mod:`.schedule_bound` (proven bounds and the exact model, HiGHS) and :mod:`.schedule_replan`
(re-scheduling a published schedule).
"""
