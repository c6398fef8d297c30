"""Matchmaking: profiles, recommendations, meeting requests and brokerage events."""
