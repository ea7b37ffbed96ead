import fs from 'node:fs';
import path from 'node:path';
import { runCaudal as cli } from '../helpers/cli';
import { importInto, withCatalog } from '../helpers/import';
import { makePhoto } from '../helpers/photos';
import { tmpDir } from '../helpers/tmp';

describe('caudal check-files', () => {
  it('flags and lists photos whose file has gone, keeps their annotations, and clears the flag once they are re-linked', async () => {
    const card = tmpDir();
    for (let i = 0; i < 3; i++) await makePhoto(path.join(card, `IMG_${i}.jpg`), { seed: i });
    const file = path.join(tmpDir(), 'cat.sqlite');
    await importInto(file, { paths: [card] });

    const clean = await cli('check-files', '--catalog', file, '--json');
    expect(clean.code, clean.err).toBe(0);
    expect(JSON.parse(clean.out)).toEqual({ checked: 3, missing: 0, files: [] });

    // The folder is renamed on disk: one photo's file is no longer where the catalog expects it.
    const moved = tmpDir();
    fs.renameSync(path.join(card, 'IMG_1.jpg'), path.join(moved, 'IMG_1.jpg'));
    const r = await cli('check-files', '--catalog', file, '--json');
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ checked: 3, missing: 1 });
    expect(report.files.map((f: { file: string }) => f.file)).toEqual([path.join(card, 'IMG_1.jpg')]);
    withCatalog(file, (c) => {
      expect(c.db.prepare('SELECT COUNT(*) FROM photos WHERE missing = 1').pluck().get()).toBe(1);
      expect(c.db.prepare('SELECT COUNT(*) FROM annotations').pluck().get()).toBe(3); // nothing deleted
    });
    const human = await cli('check-files', '--catalog', file);
    expect(human.out).toContain('1 of 3 photo files are missing');
    expect(human.out).toContain(path.join(card, 'IMG_1.jpg'));

    // Importing the new place re-links the photo; the check then finds everything.
    await importInto(file, { paths: [moved] });
    expect(JSON.parse((await cli('check-files', '--catalog', file, '--json')).out)).toEqual({ checked: 3, missing: 0, files: [] });
  });

  it('names a catalog that does not exist instead of creating one', async () => {
    const file = path.join(tmpDir(), 'nope.sqlite');
    const r = await cli('check-files', '--catalog', file, '--json');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`no catalog at ${file}`);
    expect(fs.existsSync(file)).toBe(false);
  });
});
