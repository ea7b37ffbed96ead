-- Caudal team catalog on PostgreSQL, version 1. Every row belongs to the site (laptop) that
-- created it: (site, id) is its key, id being that laptop's own row id, and seq the per-site
-- sequence of the push that last sent it (a pull asks for each site's rows past its watermark).
-- References name (site, id) of the row they point at, which may be another site's.
-- Run as the owner of the database (caudal team init); sites connect as their own roles.

CREATE SCHEMA IF NOT EXISTS caudal_team;

CREATE TABLE caudal_team.schema_version (
  version integer NOT NULL
);

-- One row per site: its login role, and the last sequence number it used.
CREATE TABLE caudal_team.sites (
  name      text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$'),
  role      name NOT NULL UNIQUE,
  last_seq  bigint NOT NULL DEFAULT 0,
  added_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE caudal_team.settings (
  key   text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE caudal_team.encounters (
  site text NOT NULL, id bigint NOT NULL, seq bigint NOT NULL,
  code text, start_time text, end_time text, latitude double precision, longitude double precision,
  location text, observer text, platform text, notes text, created_at text NOT NULL,
  PRIMARY KEY (site, id)
);

CREATE TABLE caudal_team.photos (
  site text NOT NULL, id bigint NOT NULL, seq bigint NOT NULL,
  sha256 text NOT NULL, original_name text NOT NULL, file_size bigint, width integer NOT NULL, height integer NOT NULL,
  taken_at text, taken_at_utc text, latitude double precision, longitude double precision,
  camera_make text, camera_model text, encounter_site text, encounter_id bigint, created_at text NOT NULL,
  PRIMARY KEY (site, id)
);

-- Codes are unique across the team: a site's new individual gets a team code on its first push.
CREATE TABLE caudal_team.individuals (
  site text NOT NULL, id bigint NOT NULL, seq bigint NOT NULL,
  code text NOT NULL UNIQUE, name text, sex text, notes text, created_at text NOT NULL, updated_at text NOT NULL,
  merged_into_site text, merged_into_id bigint,
  PRIMARY KEY (site, id)
);

-- crop: one JPEG of the annotated region, at most 512 px on its long side.
CREATE TABLE caudal_team.annotations (
  site text NOT NULL, id bigint NOT NULL, seq bigint NOT NULL,
  photo_site text NOT NULL, photo_id bigint NOT NULL,
  x double precision NOT NULL, y double precision NOT NULL, w double precision NOT NULL, h double precision NOT NULL,
  body_part text NOT NULL, side text, quality integer, source text NOT NULL,
  individual_site text, individual_id bigint, identified_by text, identified_at text, created_at text NOT NULL,
  crop bytea,
  PRIMARY KEY (site, id)
);

-- Vectors of the team's active model (settings 'active_model'), float32 little-endian.
CREATE TABLE caudal_team.embeddings (
  site text NOT NULL, annotation_id bigint NOT NULL, model_id text NOT NULL, seq bigint NOT NULL,
  dim integer NOT NULL, vector bytea NOT NULL, created_at text NOT NULL,
  PRIMARY KEY (site, annotation_id, model_id)
);

-- The review log: append-only. A site adds its own decisions and may mark them undone once.
CREATE TABLE caudal_team.decisions (
  site text NOT NULL, id bigint NOT NULL, seq bigint NOT NULL,
  annotation_site text NOT NULL, annotation_id bigint NOT NULL,
  individual_site text, individual_id bigint,
  decision text NOT NULL, reviewer text, model_id text, rank integer, score double precision,
  details text, created_at text NOT NULL, undone_at text,
  PRIMARY KEY (site, id)
);

CREATE INDEX ON caudal_team.encounters (site, seq);
CREATE INDEX ON caudal_team.photos (site, seq);
CREATE INDEX ON caudal_team.individuals (site, seq);
CREATE INDEX ON caudal_team.annotations (site, seq);
CREATE INDEX ON caudal_team.embeddings (site, seq);
CREATE INDEX ON caudal_team.decisions (site, seq);

CREATE FUNCTION caudal_team.decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'the decision log is append-only: decision %/% cannot be deleted', OLD.site, OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.site, NEW.id, NEW.annotation_site, NEW.annotation_id, NEW.individual_site, NEW.individual_id, NEW.decision,
      NEW.reviewer, NEW.model_id, NEW.rank, NEW.score, NEW.details, NEW.created_at)
     IS DISTINCT FROM
     (OLD.site, OLD.id, OLD.annotation_site, OLD.annotation_id, OLD.individual_site, OLD.individual_id, OLD.decision,
      OLD.reviewer, OLD.model_id, OLD.rank, OLD.score, OLD.details, OLD.created_at)
     OR (OLD.undone_at IS NOT NULL AND NEW.undone_at IS DISTINCT FROM OLD.undone_at) THEN
    RAISE EXCEPTION 'the decision log is append-only: decision %/% may only be marked undone, once', OLD.site, OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON caudal_team.decisions
  FOR EACH ROW EXECUTE FUNCTION caudal_team.decisions_append_only();

-- Rights. caudal_site: every site's login role is a member; it reads everything and writes only
-- rows stamped with its own site (row-level security). caudal_curator: resolves conflicts, may
-- write any site's rows except the decision log's history (the trigger above binds it too).
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'caudal_site') THEN CREATE ROLE caudal_site NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'caudal_curator') THEN CREATE ROLE caudal_curator NOLOGIN; END IF;
END $$;

CREATE FUNCTION caudal_team.my_site() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT name FROM caudal_team.sites WHERE role = current_user $$;

GRANT USAGE ON SCHEMA caudal_team TO caudal_site, caudal_curator;
GRANT SELECT ON ALL TABLES IN SCHEMA caudal_team TO caudal_site, caudal_curator;
GRANT UPDATE (last_seq) ON caudal_team.sites TO caudal_site, caudal_curator;
GRANT INSERT ON caudal_team.settings TO caudal_site, caudal_curator;
GRANT INSERT, UPDATE ON caudal_team.encounters, caudal_team.photos, caudal_team.individuals,
  caudal_team.annotations, caudal_team.embeddings, caudal_team.decisions TO caudal_site, caudal_curator;

ALTER TABLE caudal_team.sites ENABLE ROW LEVEL SECURITY;
CREATE POLICY sites_read ON caudal_team.sites FOR SELECT USING (true);
CREATE POLICY sites_own_sequence ON caudal_team.sites FOR UPDATE TO caudal_site USING (role = current_user) WITH CHECK (role = current_user);
CREATE POLICY sites_curator ON caudal_team.sites FOR UPDATE TO caudal_curator USING (true) WITH CHECK (true);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['encounters', 'photos', 'individuals', 'annotations', 'embeddings', 'decisions'] LOOP
    EXECUTE format('ALTER TABLE caudal_team.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON caudal_team.%I FOR SELECT USING (true)', t || '_read', t);
    EXECUTE format('CREATE POLICY %I ON caudal_team.%I FOR INSERT TO caudal_site WITH CHECK (site = caudal_team.my_site())', t || '_own_insert', t);
    EXECUTE format('CREATE POLICY %I ON caudal_team.%I FOR UPDATE TO caudal_site USING (site = caudal_team.my_site()) WITH CHECK (site = caudal_team.my_site())', t || '_own_update', t);
    EXECUTE format('CREATE POLICY %I ON caudal_team.%I FOR ALL TO caudal_curator USING (true) WITH CHECK (true)', t || '_curator', t);
  END LOOP;
END $$;
