-- Where an annotation's box came from. 'person': drawn, moved or accepted in the app, or given by
-- a labels file; 'frame': the whole photo, made at import until someone boxes it; 'proposed':
-- placed on a frame annotation by the box proposer (class-activation maps of the backbone), used
-- for matching until a person accepts or moves it. Only 'frame' boxes are ever replaced by Caudal.
ALTER TABLE annotations ADD COLUMN source TEXT NOT NULL DEFAULT 'person' CHECK (source IN ('person', 'frame', 'proposed'));
-- How clearly the proposed region stood out (0..1); on a 'frame' annotation, set once the
-- proposer has looked and found nothing worth offering, so it does not look again.
ALTER TABLE annotations ADD COLUMN proposal_score REAL;

UPDATE annotations SET source = 'frame'
 WHERE x = 0 AND y = 0
   AND w = (SELECT width FROM photos p WHERE p.id = annotations.photo_id)
   AND h = (SELECT height FROM photos p WHERE p.id = annotations.photo_id);
