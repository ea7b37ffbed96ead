import fs from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../../electron/core/util/csv';
import { importInto, withCatalog } from '../helpers/import';
import { makePhoto } from '../helpers/photos';
import { tmpDir } from '../helpers/tmp';

describe('labels CSV', () => {
  it('parses quoted fields with commas, doubled quotes, line breaks, a BOM and CRLF, keeping line numbers', () => {
    const text = '\ufeffimage,individual\r\n"a, b.jpg","HW ""7"""\r\n\r\n"multi\nline.jpg",HW-2\nplain.jpg,\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['image', 'individual'] },
      { line: 2, fields: ['a, b.jpg', 'HW "7"'] },
      { line: 4, fields: ['multi\nline.jpg', 'HW-2'] },
      { line: 6, fields: ['plain.jpg', ''] },
    ]);
    expect(() => parseCsv('a,"b\n')).toThrow(/line 1: a quoted field is never closed/);
  });

  it('creates individuals and confirmed identities, with boxes, sides and sightings; bad rows are reported by line', async () => {
    const dir = tmpDir();
    await makePhoto(path.join(dir, 'imgs', 'one, two.jpg'), { width: 400, height: 300, seed: 1 });
    await makePhoto(path.join(dir, 'imgs', 'b.jpg'), { width: 400, height: 300, seed: 2 });
    await makePhoto(path.join(dir, 'imgs', 'c.jpg'), { width: 400, height: 300, seed: 3 });
    await makePhoto(path.join(dir, 'imgs', 'd.jpg'), { width: 400, height: 300, seed: 4 });
    const csv = path.join(dir, 'labels.csv');
    fs.writeFileSync(
      csv,
      [
        'image,individual,side,sighting,x,y,w,h',
        '"imgs/one, two.jpg",HW-0001,left,S1,,,,', // whole image
        'imgs/b.jpg,HW-0001,right,S1,10,20,100,50', // a box
        'imgs/b.jpg,HW-0002,left,S1,200,100,150,120', // a second animal in the same frame
        'imgs/c.jpg,new_whale,left,S2,,,,', // unknown animal: no identity
        'imgs/missing.jpg,HW-0003,left,S3,,,,', // line 6: no such image
        'imgs/d.jpg,HW-0004,left,S4,10,10,-5,20', // line 7: malformed box
        'imgs/d.jpg,HW-0004,left,S4,300,200,200,200', // line 8: box off the photo
      ].join('\n'),
    );
    const file = path.join(tmpDir(), 'cat.sqlite');
    const r = await importInto(file, { paths: [path.join(dir, 'imgs')], labels: csv });
    expect(r.imported).toBe(4);
    expect(r.labels).toEqual({ rows: 6, identified: 3, individualsCreated: 2 });
    expect(r.failed.map((f) => f.error)).toEqual([
      expect.stringMatching(/^line 6: image imgs\/missing\.jpg not found/),
      expect.stringMatching(/^line 7: malformed box x,y,w,h = 10,10,-5,20/),
      expect.stringMatching(/^line 8: malformed box 300,200,200,200: outside the 400 x 300 photo/),
    ]);
    expect(r.failed[0].file).toBe(`${csv}:6`);

    withCatalog(file, (c) => {
      const codes = c.db.prepare('SELECT code FROM individuals ORDER BY code').pluck().all();
      expect(codes).toEqual(['HW-0001', 'HW-0002']); // HW-0004's rows were both refused: no individual from them
      const ann = c.db
        .prepare('SELECT p.original_name AS name, a.x, a.y, a.w, a.h, a.side, i.code, a.identified_by FROM annotations a JOIN photos p ON p.id = a.photo_id LEFT JOIN individuals i ON i.id = a.individual_id ORDER BY p.original_name, a.x')
        .all();
      expect(ann).toEqual([
        { name: 'b.jpg', x: 10, y: 20, w: 100, h: 50, side: 'right', code: 'HW-0001', identified_by: 'import:labels.csv' },
        { name: 'b.jpg', x: 200, y: 100, w: 150, h: 120, side: 'left', code: 'HW-0002', identified_by: 'import:labels.csv' },
        { name: 'c.jpg', x: 0, y: 0, w: 400, h: 300, side: 'left', code: null, identified_by: null },
        { name: 'd.jpg', x: 0, y: 0, w: 400, h: 300, side: null, code: null, identified_by: null },
        { name: 'one, two.jpg', x: 0, y: 0, w: 400, h: 300, side: 'left', code: 'HW-0001', identified_by: 'import:labels.csv' },
      ]);
      const decisions = c.db.prepare("SELECT decision, reviewer FROM decisions").all();
      expect(decisions).toEqual(Array(3).fill({ decision: 'confirm', reviewer: 'import:labels.csv' }));
      const enc = c.db.prepare('SELECT e.code, COUNT(p.id) AS n FROM encounters e JOIN photos p ON p.encounter_id = e.id GROUP BY e.id ORDER BY e.code').all();
      expect(enc).toEqual([{ code: 'S1', n: 2 }, { code: 'S2', n: 1 }]);
    });

    // Importing the same photos and labels again changes nothing and logs nothing new.
    const again = await importInto(file, { paths: [path.join(dir, 'imgs')], labels: csv });
    expect(again).toMatchObject({ imported: 0, duplicates: 4, labels: { rows: 6, identified: 0, individualsCreated: 0 } });
    withCatalog(file, (c) => {
      expect(c.db.prepare('SELECT COUNT(*) FROM decisions').pluck().get()).toBe(3);
      expect(c.db.prepare('SELECT COUNT(*) FROM annotations').pluck().get()).toBe(5);
    });
  });

  it('accepts Kaggle Image,Id with bare file names and new_whale, and refuses a CSV without the columns', async () => {
    const dir = tmpDir();
    await makePhoto(path.join(dir, 'train', '0000e88ab.jpg'), { seed: 1 });
    await makePhoto(path.join(dir, 'train', '0001f9222.jpg'), { seed: 2 });
    fs.writeFileSync(path.join(dir, 'train.csv'), 'Image,Id\n0000e88ab.jpg,w_f48451c\n0001f9222.jpg,new_whale\n');
    const file = path.join(tmpDir(), 'cat.sqlite');
    const r = await importInto(file, { paths: [path.join(dir, 'train')], labels: path.join(dir, 'train.csv') });
    expect(r).toMatchObject({ imported: 2, failed: [], labels: { rows: 2, identified: 1, individualsCreated: 1 } });
    withCatalog(file, (c) => expect(c.db.prepare('SELECT code FROM individuals').pluck().all()).toEqual(['w_f48451c']));

    fs.writeFileSync(path.join(dir, 'bad.csv'), 'file_name,animal\nx.jpg,A\n');
    await expect(importInto(file, { paths: [], labels: path.join(dir, 'bad.csv') })).rejects.toThrow(/line 1 must name the columns image,individual/);
  });
});
