-- Conflicts a pull could not reconcile, reported by the sites that met them, for the team's
-- curator to resolve. `key` names a conflict the same way on every laptop (the team keys of the
-- rows involved), so two sites reporting one conflict make one row. `options` are what the
-- curator chooses among ([{value, label}]); each laptop applies the choice at its next sync.
CREATE TABLE caudal_team.conflicts (
  id          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  key         text PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('annotation', 'code', 'attribute')),
  summary     text NOT NULL,
  options     jsonb NOT NULL,
  reported_by text NOT NULL,
  reported_at timestamptz NOT NULL DEFAULT now(),
  state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
  choice      text,
  resolved_by name,
  resolved_at timestamptz,
  CHECK ((state = 'open') = (choice IS NULL))
);
CREATE INDEX ON caudal_team.conflicts (state);

-- A report is what it is; a resolution is one of its options, stamped with the curator's role.
CREATE FUNCTION caudal_team.conflicts_resolution() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.id, NEW.key, NEW.kind, NEW.summary, NEW.options, NEW.reported_by, NEW.reported_at)
     IS DISTINCT FROM (OLD.id, OLD.key, OLD.kind, OLD.summary, OLD.options, OLD.reported_by, OLD.reported_at) THEN
    RAISE EXCEPTION 'conflict % was reported as it is: only its resolution may change', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.state = 'resolved' THEN
    IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(NEW.options) o WHERE o->>'value' = NEW.choice) THEN
      RAISE EXCEPTION 'conflict %: ''%'' is not one of its options', OLD.id, NEW.choice USING ERRCODE = 'check_violation';
    END IF;
    NEW.resolved_by := current_user;
    NEW.resolved_at := now();
  ELSE
    NEW.resolved_by := NULL;
    NEW.resolved_at := NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER conflicts_resolution BEFORE UPDATE ON caudal_team.conflicts
  FOR EACH ROW EXECUTE FUNCTION caudal_team.conflicts_resolution();

-- Sites report (as themselves, open); only a curator resolves: sites have no UPDATE right at all.
GRANT SELECT, INSERT (key, kind, summary, options, reported_by) ON caudal_team.conflicts TO caudal_site;
GRANT SELECT ON caudal_team.conflicts TO caudal_curator;
GRANT UPDATE (state, choice) ON caudal_team.conflicts TO caudal_curator;
ALTER TABLE caudal_team.conflicts ENABLE ROW LEVEL SECURITY;
CREATE POLICY conflicts_read ON caudal_team.conflicts FOR SELECT USING (true);
CREATE POLICY conflicts_report ON caudal_team.conflicts FOR INSERT TO caudal_site WITH CHECK (reported_by = caudal_team.my_site() AND state = 'open');
CREATE POLICY conflicts_resolve ON caudal_team.conflicts FOR UPDATE TO caudal_curator USING (true) WITH CHECK (true);
