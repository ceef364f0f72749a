"""ptk's fault trials (scripts/torture.py): each module yields (name, count, run) trials."""
