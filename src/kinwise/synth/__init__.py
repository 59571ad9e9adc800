"""A deterministic synthetic provider: case files for load, benchmarks and demonstrations."""
