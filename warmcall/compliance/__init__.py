"""May we call this person at this moment? Rule profiles (data), the lawful-time calendar,
and what stays of a forgotten person (SPEC §7)."""
