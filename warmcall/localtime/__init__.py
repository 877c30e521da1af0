"""Local time, below the rooms that ask it: a wall-clock time on a day in a zone, the ranges
of a day (``HH:MM-HH:MM``) and a lead's call window. plan/, compliance/, config and leads
import it; it imports nothing of theirs."""
