"""The Publisher port's implementations: GitHub (Git Data API), a local git repository, store only."""
