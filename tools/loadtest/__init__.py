"""The load tests behind `make bench` and `make soak`, run from the project's root as
`python -m tools.loadtest.bench` and `python -m tools.loadtest.soak` (scripts/bench and
scripts/soak start PostgreSQL first). The app and the project never import them (the import
contracts in pyproject.toml)."""
