import Database from 'better-sqlite3';
import { Gallery } from '../../electron/core/search/gallery';
import { addEmbedding, randomUnit, rng, syntheticCatalog } from '../helpers/synthetic-catalog';

describe('in-memory gallery', () => {
  it('loads every embedding of the model into one matrix with its metadata', () => {
    const r = rng(10);
    const vecs = Array.from({ length: 20 }, () => randomUnit(r, 8));
    const { catalog, annotationIds, individualIds } = syntheticCatalog(
      vecs.map((v, i) => ({ individual: i < 15 ? `ID-${i % 5}` : null, vector: v, side: i % 2 ? 'left' : 'right', encounter: `E${i % 3}`, takenAt: `2024-01-${10 + i}T00:00:00Z`, lat: 10 + i })),
    );
    const g = Gallery.load(catalog.store.embeddings, 'synthetic');
    expect(g.size).toBe(20);
    expect(g.dim).toBe(8);
    for (let i = 0; i < 20; i++) {
      const row = g.rowIndex(annotationIds[i])!;
      expect(Array.from(g.vectors.subarray(row * 8, row * 8 + 8))).toEqual(Array.from(vecs[i]));
      const info = g.info(row);
      expect(info.individualId).toBe(i < 15 ? individualIds.get(`ID-${i % 5}`) : null);
      expect(info.side).toBe(i % 2 ? 'left' : 'right');
      expect(info.takenAt).toBe(`2024-01-${10 + i}T00:00:00Z`);
      expect(info.lat).toBe(10 + i);
    }
    catalog.close();
  });

  it('applies inserts, deletes, re-identifications and box moves without a rebuild, from any connection', () => {
    const r = rng(11);
    const { catalog, annotationIds, individualIds } = syntheticCatalog(Array.from({ length: 30 }, (_, i) => ({ individual: `ID-${i % 3}`, vector: randomUnit(r, 16) })));
    const g = Gallery.load(catalog.store.embeddings, 'synthetic');
    const matrixBefore = g.vectors;
    expect(g.refresh()).toBe(0);

    // Another connection (a CLI run while the app is open) writes; triggers log it.
    const other = new Database(catalog.file);
    other.pragma('foreign_keys = ON');
    other.prepare('UPDATE annotations SET individual_id = ? WHERE id = ?').run(individualIds.get('ID-2'), annotationIds[0]);
    other.prepare('DELETE FROM embeddings WHERE annotation_id = ?').run(annotationIds[5]);
    other.prepare('UPDATE annotations SET x = 5 WHERE id = ?').run(annotationIds[6]); // a moved box drops its embedding
    other.prepare('DELETE FROM annotations WHERE id = ?').run(annotationIds[7]); // cascades
    other.prepare("UPDATE annotations SET side = 'left' WHERE id = ?").run(annotationIds[8]);
    other.close();

    expect(g.refresh()).toBe(5);
    expect(g.vectors).toBe(matrixBefore); // patched in place, not rebuilt
    expect(g.size).toBe(27);
    expect(g.info(g.rowIndex(annotationIds[0])!).individualId).toBe(individualIds.get('ID-2'));
    for (const gone of [5, 6, 7]) expect(g.has(annotationIds[gone])).toBe(false);
    expect(g.info(g.rowIndex(annotationIds[8])!).side).toBe('left');

    // A new annotation embedded later appears; the rows stay dense and correct.
    const photo = catalog.db.prepare("INSERT INTO photos(sha256, path, original_name, width, height) VALUES ('new', '/n.jpg', 'n.jpg', 1, 1)").run().lastInsertRowid;
    const ann = Number(catalog.db.prepare('INSERT INTO annotations(photo_id, x, y, w, h, individual_id) VALUES (?, 0, 0, 1, 1, ?)').run(photo, individualIds.get('ID-1')).lastInsertRowid);
    const v = randomUnit(r, 16);
    addEmbedding(catalog, ann, v);
    addEmbedding(catalog, annotationIds[6], randomUnit(r, 16)); // re-embedded after the box move
    expect(g.refresh()).toBe(2);
    expect(g.size).toBe(29);
    expect(Array.from(g.vectorOf(ann)!)).toEqual(Array.from(v));

    // The in-memory state equals a fresh load, row for row (by annotation).
    const fresh = Gallery.load(catalog.store.embeddings, 'synthetic');
    expect(fresh.size).toBe(g.size);
    for (let row = 0; row < fresh.size; row++) {
      const id = fresh.annotation[row];
      expect(g.info(g.rowIndex(id)!)).toEqual(fresh.info(row));
      expect(Array.from(g.vectorOf(id)!)).toEqual(Array.from(fresh.vectorOf(id)!));
    }
    catalog.close();
  });

  it('follows photo and encounter moves, ignores other models, and grows past its first capacity', () => {
    const r = rng(12);
    const { catalog, annotationIds } = syntheticCatalog([{ individual: 'A', vector: randomUnit(r, 4), encounter: 'E1', lat: 1, lon: 1 }]);
    const g = Gallery.load(catalog.store.embeddings, 'synthetic');
    catalog.db.prepare('UPDATE photos SET latitude = NULL, longitude = NULL').run();
    catalog.db.prepare('UPDATE encounters SET latitude = 50, longitude = 7').run();
    g.refresh();
    expect(g.info(0)).toMatchObject({ lat: 50, lon: 7 });
    catalog.db.prepare("INSERT INTO models(id, name, kind, manifest) VALUES ('other', 'other', 'fine-tuned', '{}')").run();
    addEmbedding(catalog, annotationIds[0], randomUnit(r, 4), 'other');
    expect(g.refresh()).toBe(0);
    const photo = Number(catalog.db.prepare("INSERT INTO photos(sha256, path, original_name, width, height) VALUES ('g', '/g', 'g', 1, 1)").run().lastInsertRowid);
    for (let i = 0; i < 40; i++) {
      const a = Number(catalog.db.prepare('INSERT INTO annotations(photo_id, x, y, w, h) VALUES (?, 0, 0, 1, 1)').run(photo).lastInsertRowid);
      addEmbedding(catalog, a, randomUnit(r, 4));
    }
    g.refresh();
    expect(g.size).toBe(41);
    expect(Gallery.load(catalog.store.embeddings, 'synthetic').size).toBe(41);
    catalog.close();
  });

  it('rebuilds when the change log was pruned past what it saw', () => {
    const r = rng(13);
    const { catalog, annotationIds } = syntheticCatalog(Array.from({ length: 4 }, () => ({ individual: 'A', vector: randomUnit(r, 4) })));
    const g = Gallery.load(catalog.store.embeddings, 'synthetic');
    catalog.db.prepare('DELETE FROM embeddings WHERE annotation_id = ?').run(annotationIds[0]);
    addEmbedding(catalog, annotationIds[1], randomUnit(r, 4));
    catalog.db.prepare('DELETE FROM gallery_changes WHERE seq <= (SELECT MAX(seq) - 1 FROM gallery_changes)').run();
    expect(g.refresh()).toBe('rebuilt');
    expect(g.size).toBe(3);
    catalog.close();
  });
});
