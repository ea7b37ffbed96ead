-- A change log for in-memory search galleries. Every writer (import, embed job, review, merges,
-- a CLI run while the desktop app is open) goes through SQLite, so triggers here see them all;
-- a gallery applies the rows after the last sequence it saw instead of rebuilding.
-- model_id NULL means "this annotation's metadata changed" (any model's gallery must re-read it).
CREATE TABLE gallery_changes (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  annotation_id INTEGER NOT NULL,
  model_id      TEXT
);

CREATE TRIGGER gallery_embedding_added AFTER INSERT ON embeddings
BEGIN
  INSERT INTO gallery_changes(annotation_id, model_id) VALUES (NEW.annotation_id, NEW.model_id);
END;

CREATE TRIGGER gallery_embedding_replaced AFTER UPDATE ON embeddings
BEGIN
  INSERT INTO gallery_changes(annotation_id, model_id) VALUES (NEW.annotation_id, NEW.model_id);
  INSERT INTO gallery_changes(annotation_id, model_id)
    SELECT OLD.annotation_id, OLD.model_id WHERE OLD.annotation_id IS NOT NEW.annotation_id OR OLD.model_id IS NOT NEW.model_id;
END;

-- Also fires for rows removed by ON DELETE CASCADE (annotation or model deleted) and by the
-- box-moved trigger.
CREATE TRIGGER gallery_embedding_removed AFTER DELETE ON embeddings
BEGIN
  INSERT INTO gallery_changes(annotation_id, model_id) VALUES (OLD.annotation_id, OLD.model_id);
END;

CREATE TRIGGER gallery_annotation_changed AFTER UPDATE OF individual_id, side, body_part, photo_id ON annotations
WHEN OLD.individual_id IS NOT NEW.individual_id OR OLD.side IS NOT NEW.side
  OR OLD.body_part IS NOT NEW.body_part OR OLD.photo_id IS NOT NEW.photo_id
BEGIN
  INSERT INTO gallery_changes(annotation_id, model_id) VALUES (NEW.id, NULL);
END;

CREATE TRIGGER gallery_photo_changed AFTER UPDATE OF encounter_id, taken_at_utc, latitude, longitude ON photos
WHEN OLD.encounter_id IS NOT NEW.encounter_id OR OLD.taken_at_utc IS NOT NEW.taken_at_utc
  OR OLD.latitude IS NOT NEW.latitude OR OLD.longitude IS NOT NEW.longitude
BEGIN
  INSERT INTO gallery_changes(annotation_id, model_id) SELECT id, NULL FROM annotations WHERE photo_id = NEW.id;
END;

CREATE TRIGGER gallery_encounter_moved AFTER UPDATE OF latitude, longitude ON encounters
WHEN OLD.latitude IS NOT NEW.latitude OR OLD.longitude IS NOT NEW.longitude
BEGIN
  INSERT INTO gallery_changes(annotation_id, model_id)
    SELECT a.id, NULL FROM annotations a JOIN photos p ON p.id = a.photo_id WHERE p.encounter_id = NEW.id;
END;
