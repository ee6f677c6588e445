"""Candidates (the one person record), tags, notes, timeline, dedup/merge, pools, segments, events, consent."""
