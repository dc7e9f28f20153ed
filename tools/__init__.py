"""Tools on top of the warehouse: the `proasn` command line, the synthetic data generator, the benchmark."""
