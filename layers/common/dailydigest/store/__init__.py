"""The Store port: S3 and a directory, the key layout, and the write patterns every stage shares."""
