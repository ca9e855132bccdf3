"""The county server: holds every station's records, ingests their bundles, answers with
what each station should receive, and publishes jobs and policy parameters to all."""
