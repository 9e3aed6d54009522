"""The WebClient port: the guarded network client, the offline mirror, charset decoding."""
