"""When each lead picks up (SPEC §2 "Pickup hours"): ``estimate`` is the model, pure, from
dials counted per local hour; ``record`` keeps those counts per lead and hour in the store,
recounted by every writer of calls (``calls``, ``leads``, ``imports``) in its transaction, and
read by the planner in one query a batch. Below plan/ and the writers, above compliance/."""
