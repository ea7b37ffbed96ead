import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Catalog } from '../../electron/core/store/catalog';
import { runExport } from '../../electron/core/exchange/run-export';
import { noProgress } from '../../electron/core/export/progress';
import { parseCsv } from '../../electron/core/util/csv';
import { sightingsColumns } from '../../electron/core/export/sightings';
import { BundleZip } from '../../electron/core/bundle/bundle-zip';
import { ISO_8601 } from '../../electron/core/export/dwca';
import { readXlsx } from '../../electron/core/export/xlsx';
import { WILDBOOK_SHEET } from '../../electron/core/export/wildbook';
import { buildCatalog } from '../helpers/fixture-catalog';
import { seasonA } from '../helpers/exchange-fixtures';
import { tmpDir } from '../helpers/tmp';

const IDENTIFIED = 6; // identified annotations in seasonA

describe('exports of identifications', () => {
  let dir: string;
  let cat: Catalog;
  beforeAll(async () => {
    dir = tmpDir();
    cat = await buildCatalog(path.join(dir, 'a.sqlite'), seasonA);
  });
  afterAll(() => cat.close());

  it('sightings CSV: one RFC 4180 row per identified annotation, ISO 8601 times with offset, UTF-8', async () => {
    const out = path.join(dir, 'sightings.csv');
    const r = await runExport(cat, 'sightings', out, {}, noProgress);
    expect(r.rows).toBe(IDENTIFIED);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('"Salt, ""the"" Ñandú"');
    expect(text.split('\r\n').length).toBe(IDENTIFIED + 2);
    const rows = parseCsv(text);
    expect(rows[0].fields).toEqual([...sightingsColumns]);
    const col = (name: string) => rows.slice(1).map((x) => x.fields[sightingsColumns.indexOf(name as any)]);
    expect(col('individual_name')).toContain('Salt, "the" Ñandú');
    expect(col('individual_code').sort()).toEqual(['ID-0001', 'ID-0001', 'ID-0002', 'ID-0002', 'ID-0003', 'ID-0004']);
    for (const t of col('date_time').filter(Boolean)) expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    // the photo without a date falls back to its encounter's start; the one without either stays empty
    expect(col('date_time').filter((t) => !t)).toHaveLength(1);
    expect(col('reviewer').every((v) => v === 'ana')).toBe(true);
    expect(col('model').filter(Boolean).every((m) => m === 'ft-1')).toBe(true);
    expect(new Set(col('occurrence_id')).size).toBe(IDENTIFIED);
  });

  it('Darwin Core Archive: meta.xml maps every field to a column, required terms, valid dates and coordinates, unique ids', async () => {
    const out = path.join(dir, 'dwca.zip');
    const r = await runExport(cat, 'dwca', out, {}, noProgress);
    expect(r.rows).toBe(IDENTIFIED - 1);
    expect(r.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/no date/)]);
    const zip = await BundleZip.open(out);
    const meta = (await zip.read('meta.xml')).toString('utf8');
    const tables = [...meta.matchAll(/<(core|extension)\b([^>]*)>([\s\S]*?)<\/\1>/g)];
    expect(tables.map((t) => t[1])).toEqual(['core', 'extension']);
    const parsed: Record<string, { header: string[]; rows: string[][]; terms: Map<string, number> }> = {};
    for (const [, tag, attrs, body] of tables) {
      expect(attrs).toContain('encoding="UTF-8"');
      expect(attrs).toContain('ignoreHeaderLines="1"');
      expect(attrs).toContain('fieldsTerminatedBy="\\t"');
      const location = /<location>([^<]+)<\/location>/.exec(body)![1];
      const lines = (await zip.read(location)).toString('utf8').split('\n').filter(Boolean);
      const header = lines[0].split('\t');
      const rows = lines.slice(1).map((l) => l.split('\t'));
      for (const row of rows) expect(row).toHaveLength(header.length);
      const idIndex = Number(new RegExp(`<${tag === 'core' ? 'id' : 'coreid'} index="(\\d+)"`).exec(body)![1]);
      expect(idIndex).toBe(0);
      const terms = new Map<string, number>();
      for (const [, index, term] of body.matchAll(/<field index="(\d+)" term="([^"]+)"\/>/g)) {
        const i = Number(index);
        expect(i).toBeLessThan(header.length);
        // the column's header is the term's local name: the field really maps to that column
        expect(term.split('/').pop()).toBe(header[i]);
        terms.set(header[i], i);
      }
      // every column but the extension's core id is described by a field
      expect(terms.size).toBe(tag === 'core' ? header.length : header.length - 1);
      parsed[tag] = { header, rows, terms };
    }
    const core = parsed.core;
    for (const t of ['occurrenceID', 'basisOfRecord', 'scientificName', 'eventDate', 'decimalLatitude', 'decimalLongitude', 'geodeticDatum', 'organismID', 'recordedBy', 'identifiedBy', 'dateIdentified', 'associatedMedia']) {
      expect(core.terms.has(t), t).toBe(true);
    }
    const v = (row: string[], t: string) => row[core.terms.get(t)!];
    const ids = core.rows.map((row) => v(row, 'occurrenceID'));
    expect(new Set(ids).size).toBe(ids.length);
    for (const row of core.rows) {
      expect(v(row, 'basisOfRecord')).toBe('HumanObservation');
      expect(v(row, 'scientificName')).toBe('Megaptera novaeangliae');
      expect(v(row, 'scientificNameID')).toBe('urn:lsid:marinespecies.org:taxname:137092');
      expect(v(row, 'eventDate')).toMatch(ISO_8601);
      expect(Number.isNaN(Date.parse(v(row, 'eventDate')))).toBe(false);
      expect(v(row, 'dateIdentified')).toMatch(ISO_8601);
      const lat = Number(v(row, 'decimalLatitude'));
      const lon = Number(v(row, 'decimalLongitude'));
      expect(lat).toBeGreaterThanOrEqual(-90);
      expect(lat).toBeLessThanOrEqual(90);
      expect(lon).toBeGreaterThanOrEqual(-180);
      expect(lon).toBeLessThanOrEqual(180);
      expect(v(row, 'geodeticDatum')).toBe('WGS84');
      expect(zip.has(v(row, 'associatedMedia'))).toBe(true);
    }
    expect(core.rows.map((row) => v(row, 'organismID')).sort()).toEqual(['ID-0001', 'ID-0001', 'ID-0002', 'ID-0003', 'ID-0004']);
    const mm = parsed.extension;
    for (const row of mm.rows) {
      expect(ids).toContain(row[0]);
      expect(row[mm.terms.get('type')!]).toBe('StillImage');
      expect(row[mm.terms.get('format')!]).toBe('image/jpeg');
    }
    const eml = (await zip.read('eml.xml')).toString('utf8');
    expect(eml).toContain('<title xml:lang="en">Humpbacks of the bay</title>');
    expect(eml).toContain('<organizationName>Instituto Ñandú</organizationName>');
    expect(eml).toContain('http://creativecommons.org/licenses/by/4.0/legalcode');
    zip.close();

    // occurrenceID is stable: a second export gives the same ids
    const again = path.join(dir, 'dwca2.zip');
    await runExport(cat, 'dwca', again, {}, noProgress);
    const z2 = await BundleZip.open(again);
    const ids2 = (await z2.read('occurrence.txt')).toString('utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split('\t')[0]);
    z2.close();
    expect(ids2).toEqual(ids);
  });

  it('Wildbook: Standard Format .xlsx with photos beside it, one row per animal per encounter', async () => {
    const out = path.join(dir, 'wildbook');
    const r = await runExport(cat, 'wildbook', out, {}, noProgress);
    const files = unzipSync(new Uint8Array(fs.readFileSync(path.join(out, WILDBOOK_SHEET))));
    expect(Object.keys(files).sort()).toEqual(['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']);
    expect(strFromU8(files['xl/worksheets/sheet1.xml'])).toContain('<t xml:space="preserve">MarkedIndividual.individualID</t>');
    const rows = await readXlsx(new Uint8Array(fs.readFileSync(path.join(out, WILDBOOK_SHEET))));
    const header = rows[0];
    for (const h of ['Encounter.mediaAsset0', 'Encounter.mediaAsset1', 'MarkedIndividual.individualID', 'Encounter.year', 'Encounter.month', 'Encounter.day', 'Encounter.hour', 'Encounter.minutes', 'Encounter.decimalLatitude', 'Encounter.decimalLongitude', 'Encounter.locationID', 'Encounter.genus', 'Encounter.specificEpithet']) {
      expect(header).toContain(h);
    }
    const get = (row: string[], h: string) => row[header.indexOf(h)] ?? '';
    const body = rows.slice(1);
    // ID-0001 is in two photos of S-2026-001: one row, two media assets
    expect(body).toHaveLength(5);
    expect(r.rows).toBe(5);
    const salt = body.find((row) => get(row, 'MarkedIndividual.individualID') === 'ID-0001')!;
    expect(get(salt, 'Encounter.mediaAsset1')).not.toBe('');
    expect(get(salt, 'MarkedIndividual.nickname')).toBe('Salt, "the" Ñandú');
    expect([get(salt, 'Encounter.year'), get(salt, 'Encounter.month'), get(salt, 'Encounter.day'), get(salt, 'Encounter.hour'), get(salt, 'Encounter.minutes')]).toEqual(['2026', '1', '10', '10', '15']);
    expect(get(salt, 'Encounter.genus')).toBe('Megaptera');
    expect(get(salt, 'Encounter.specificEpithet')).toBe('novaeangliae');
    expect(get(salt, 'Encounter.locationID')).toBe('Bahía, north');
    for (const row of body) {
      for (const h of header.filter((x) => x.startsWith('Encounter.mediaAsset'))) {
        const m = get(row, h);
        if (!m) continue;
        expect(m).toMatch(/^[A-Za-z0-9. ]+$/);
        expect(fs.existsSync(path.join(out, m))).toBe(true);
      }
    }
  });

  it('per-individual folders hold each photo of that individual once', async () => {
    const out = path.join(dir, 'folders');
    const r = await runExport(cat, 'folders', out, {}, noProgress);
    const dirs = fs.readdirSync(out).sort();
    expect(dirs).toHaveLength(4);
    expect(dirs[0]).toMatch(/^ID-0001 Salt/);
    expect(fs.readdirSync(path.join(out, dirs[0]))).toHaveLength(2);
    expect(fs.readdirSync(path.join(out, dirs[1]))).toHaveLength(2);
    expect(r.photos).toBe(6);
  });

  it('refuses to write over the catalog', async () => {
    await expect(runExport(cat, 'sightings', cat.file, {}, noProgress)).rejects.toThrow(/over the catalog/);
  });
});
