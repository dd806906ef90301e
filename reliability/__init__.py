"""Fault and load drills: crashes, outages and hostile load inflicted, and what was lost counted."""
