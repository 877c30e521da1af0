"""May we call this person at this moment? Rule profiles (data) and the lawful-time calendar."""
