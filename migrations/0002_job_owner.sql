-- Which process runs a job ("host:pid"), so that opening the catalog in a second process (the CLI
-- while the app imports) does not mistake the first one's running job for a crashed one.
ALTER TABLE jobs ADD COLUMN owner TEXT;
