import fs from 'node:fs';
import path from 'node:path';
import { Backend } from '../../electron/core/api/backend';
import type { ImportReport } from '../../electron/contract';
import { makePhoto } from '../helpers/photos';
import { tmpDir } from '../helpers/tmp';

/** The photos, annotations and encounters requests, through the same handlers both transports use. */
describe('photos contract', () => {
  let backend: Backend;
  let dir: string;
  const topics: string[][] = [];

  beforeAll(async () => {
    dir = tmpDir();
    await makePhoto(path.join(dir, 'a.jpg'), { width: 400, height: 300, taken: '2024:05:01 09:00:00', seed: 1 });
    await makePhoto(path.join(dir, 'b.jpg'), { width: 400, height: 300, taken: '2024:05:01 09:10:00', seed: 2 });
    await makePhoto(path.join(dir, 'c.jpg'), { width: 400, height: 300, taken: '2024:05:03 15:00:00', seed: 3 });
    await makePhoto(path.join(dir, 'd.jpg'), { width: 400, height: 300, seed: 4 });
    backend = new Backend(path.join(tmpDir(), 'cat.sqlite'));
    backend.onEvent((e, p) => e === 'catalog.changed' && topics.push((p as { topics: string[] }).topics));
    const job = await backend.request('import.start', { paths: [dir] });
    const report = await backend.jobs.awaitResult(job.id, 'import');
    expect(report).toMatchObject({ imported: 4, encounters: 2 });
  });
  afterAll(() => backend.close());

  it('lists photos by encounter, in time order, and gets one with its annotations', async () => {
    const all = await backend.request('photos.list', {});
    expect(all.total).toBe(4);
    expect(all.items.map((p) => p.originalName)).toEqual(['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg']); // undated last
    const encounters = await backend.request('encounters.list', {});
    expect(encounters.items.map((e) => e.photos)).toEqual([1, 2]); // newest first
    const first = encounters.items[1];
    expect(first.coverPhotoId).toBe(all.items[0].id);
    const inFirst = await backend.request('photos.list', { encounterId: first.id });
    expect(inFirst.items.map((p) => p.originalName)).toEqual(['a.jpg', 'b.jpg']);
    expect((await backend.request('photos.list', { encounterId: null })).items.map((p) => p.originalName)).toEqual(['d.jpg']);
    expect((await backend.request('photos.list', { offset: 1, limit: 2 })).items.map((p) => p.originalName)).toEqual(['b.jpg', 'c.jpg']);

    const photo = await backend.request('photos.get', { id: all.items[0].id });
    expect(photo).toMatchObject({ originalName: 'a.jpg', width: 400, height: 300, takenAt: '2024-05-01T09:00:00', copied: false });
    expect(photo.annotationList).toEqual([expect.objectContaining({ x: 0, y: 0, w: 400, h: 300, bodyPart: '', individualId: null })]);
    await expect(backend.request('photos.get', { id: 999 })).rejects.toThrow(/no photo 999/);
  });

  it('creates, updates and deletes annotations, refusing bad boxes and keeping reviewed ones', async () => {
    const id = (await backend.request('photos.list', {})).items[0].id;
    const a = await backend.request('annotations.create', { photoId: id, box: { x: 10, y: 20, w: 100, h: 80 }, side: 'left', quality: 4 });
    expect(a).toMatchObject({ photoId: id, x: 10, y: 20, w: 100, h: 80, side: 'left', quality: 4, bodyPart: '' });
    expect(topics.at(-1)).toEqual(['annotations', 'photos']);
    await expect(backend.request('annotations.create', { photoId: id, box: { x: 350, y: 0, w: 100, h: 50 } })).rejects.toThrow(/outside the 400 x 300 photo/);
    await expect(backend.request('annotations.update', { id: a.id, quality: 9 })).rejects.toThrow(/quality must be 1-5/);

    // A moved box makes its embeddings stale: they are dropped (schema trigger).
    backend.catalog.db.prepare("INSERT INTO models(id, name, kind, manifest) VALUES ('m', 'm', 'pretrained', '{}')").run();
    backend.catalog.db.prepare("INSERT INTO embeddings(annotation_id, model_id, dim, vector) VALUES (?, 'm', 1, x'00000000')").run(a.id);
    const side = await backend.request('annotations.update', { id: a.id, side: 'right', bodyPart: 'dorsal' });
    expect(side).toMatchObject({ side: 'right', bodyPart: 'dorsal', x: 10, quality: 4 });
    expect(backend.catalog.db.prepare('SELECT COUNT(*) FROM embeddings').pluck().get()).toBe(1);
    const moved = await backend.request('annotations.update', { id: a.id, box: { x: 20, y: 20, w: 100, h: 80 } });
    expect(moved.x).toBe(20);
    expect(backend.catalog.db.prepare('SELECT COUNT(*) FROM embeddings').pluck().get()).toBe(0);

    expect(await backend.request('annotations.delete', { id: a.id })).toEqual({ deleted: a.id });
    const reviewed = (await backend.request('photos.get', { id })).annotationList[0];
    backend.catalog.db.prepare("INSERT INTO decisions(annotation_id, decision) VALUES (?, 'skip')").run(reviewed.id);
    await expect(backend.request('annotations.delete', { id: reviewed.id })).rejects.toThrow(/review decision/);
  });

  it('updates, merges and splits encounters, and flags missing files', async () => {
    const [later, first] = (await backend.request('encounters.list', {})).items;
    const named = await backend.request('encounters.update', { id: first.id, patch: { location: 'Faxaflói', observer: 'AB' } });
    expect(named).toMatchObject({ location: 'Faxaflói', observer: 'AB' });
    const merged = await backend.request('encounters.merge', { targetId: first.id, sourceIds: [later.id] });
    expect(merged).toMatchObject({ photos: 3, startTime: '2024-05-01T09:00:00', endTime: '2024-05-03T15:00:00' });
    const c = (await backend.request('photos.list', { encounterId: first.id })).items.find((p) => p.originalName === 'c.jpg')!;
    const split = await backend.request('encounters.movePhotos', { photoIds: [c.id], encounterId: null });
    expect(split).toMatchObject({ photos: 1, startTime: '2024-05-03T15:00:00' });
    expect((await backend.request('encounters.get', { id: first.id })).photos).toBe(2);

    fs.rmSync(path.join(dir, 'd.jpg'));
    expect(await backend.request('photos.checkMissing', {})).toEqual({ checked: 4, missing: 1 });
    expect((await backend.request('photos.list', { encounterId: null })).items[0]).toMatchObject({ originalName: 'd.jpg', missing: true });
    expect(backend.catalog.db.prepare('SELECT COUNT(*) FROM photos').pluck().get()).toBe(4);
  });

  it('refuses an import without paths', async () => {
    await expect(backend.request('import.start', { paths: [] })).rejects.toThrow(/at least one file or folder/);
  });
});
