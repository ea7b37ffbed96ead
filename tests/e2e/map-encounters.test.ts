import fs from 'node:fs';
import path from 'node:path';
import { geoContains } from 'd3-geo';
import type { Browser, Page } from 'playwright-core';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import land50m from 'world-atlas/land-50m.json';
import { importPhotos } from '../../electron/core/import/import';
import { generateSynth } from '../../electron/core/synth/generate';
import { Catalog } from '../../electron/core/store/catalog';
import type { RunningServer } from '../../electron/server/serve';
import { artifactPath, launchChromium } from '../helpers/browser';
import { makePhoto } from '../helpers/photos';
import { serveCatalog } from '../helpers/serve';
import { tmpDir } from '../helpers/tmp';

const topo = land50m as unknown as Topology<{ land: GeometryCollection }>;
const LAND = feature(topo, topo.objects.land);
/** Inland Iceland (Sprengisandur), far from any coast at 1:50m. */
const INLAND = { lat: 64.75, lon: -18.2 };

/**
 * Completing encounters and reading sightings on the offline map, in Debian's Chromium through
 * `caudal serve`, on a catalog imported from synthetic photos with EXIF GPS (and two undated ones).
 */
describe('encounters and the offline map in Chromium (browser mode)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const dir = tmpDir();
    const synth = await generateSynth({ out: path.join(dir, 'survey'), individuals: 5, photos: 30, seed: 7, width: 240, height: 160, workers: 0 });
    // Two photos whose camera recorded no time or place, identified in the labels: they cannot be grouped at import.
    for (let i = 1; i <= 2; i++) await makePhoto(path.join(dir, 'survey', 'undated', `scan-${i}.jpg`), { seed: 40 + i });
    // As many fields as the header (image,individual,side,sighting): a short row is refused.
    fs.appendFileSync(synth.labels, 'undated/scan-1.jpg,SYN-00001,,\nundated/scan-2.jpg,SYN-00001,,\n');
    const file = path.join(dir, 'catalog.sqlite');
    const c = Catalog.open(file);
    const r = await importPhotos(c, { paths: [path.join(dir, 'survey')], labels: synth.labels });
    c.close();
    expect(r).toMatchObject({ imported: 32, withGps: 30, withTime: 30 });
    server = await serveCatalog(file);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const db = () => server.backend.catalog.db;
  /** Every marker with whether the drawn land covers it, read from the page's own geometry. */
  const markersOnLand = (map: string) =>
    page.evaluate((testId) => {
      const root = document.querySelector(`[data-testid=${testId}]`)!;
      const land = root.querySelector('[data-testid=map-land]') as SVGPathElement;
      return [...root.querySelectorAll('[data-testid=map-marker]')].map((m) => {
        const c = m as SVGCircleElement;
        const p = new DOMPoint(c.cx.baseVal.value, c.cy.baseVal.value);
        return { individual: c.dataset.individual!, encounter: c.dataset.encounter!, onLand: land.isPointInFill(p) };
      });
    }, map);

  it('lists undated photos as unsorted; they are grouped, dated and placed in an encounter, persisted', async () => {
    await page.getByTestId('nav-photos').click();
    await page.getByTestId('encounter-unsorted').click();
    await page.locator('[data-testid=unsorted] .photo-tile img').nth(1).waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=unsorted] img')].every((i) => (i as HTMLImageElement).complete));
    expect(await page.getByTestId('encounter-unsorted').textContent()).toContain('2 without an encounter');
    const ids = db().prepare("SELECT id FROM photos WHERE original_name LIKE 'scan-%' ORDER BY original_name").pluck().all() as number[];
    for (const id of ids) await page.getByTestId(`tick-${id}`).check();
    await page.screenshot({ path: artifactPath('photos-unsorted.png') });
    await page.getByTestId('unsorted-group').click();
    await page.getByTestId('encounter-head').waitFor();
    const enc = db().prepare('SELECT encounter_id FROM photos WHERE id = ?').pluck().get(ids[0]) as number;
    expect(db().prepare('SELECT encounter_id FROM photos WHERE id = ?').pluck().get(ids[1])).toBe(enc);

    await page.getByTestId('encounter-edit').click();
    const map = page.getByTestId('ee-map');
    await map.locator('[data-testid=map-land]').waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-testid=ee-map] [data-testid=map-land]')?.getAttribute('d') ?? '').length > 1000);
    // A click on the map gives the place under the pointer: the drawn land there is land in Natural Earth too.
    const svg = (await map.locator('svg').boundingBox())!;
    const click = { x: svg.x + svg.width / 2, y: svg.y + svg.height / 2 };
    const drawnLand = await page.evaluate(({ x, y }) => (document.elementFromPoint(x, y) as HTMLElement | null)?.dataset.testid === 'map-land', click);
    await page.mouse.click(click.x, click.y);
    const picked = { lat: Number(await page.getByTestId('ee-lat').inputValue()), lon: Number(await page.getByTestId('ee-lon').inputValue()) };
    expect(Number.isFinite(picked.lat) && Number.isFinite(picked.lon)).toBe(true);
    expect(geoContains(LAND, [picked.lon, picked.lat])).toBe(drawnLand);
    const cross = (await page.getByTestId('map-picked').boundingBox())!;
    expect(Math.abs(cross.x + cross.width / 2 - click.x)).toBeLessThan(2);
    expect(Math.abs(cross.y + cross.height / 2 - click.y)).toBeLessThan(2);

    await page.getByTestId('ee-lat').fill(String(INLAND.lat));
    await page.getByTestId('ee-lon').fill(String(INLAND.lon));
    await page.getByTestId('ee-date').fill('2021-06-07');
    await page.getByTestId('ee-time').fill('13:20');
    await page.getByTestId('ee-offset').fill('+00:00');
    await page.getByTestId('ee-notes').fill('scanned from the field notebook');
    await page.screenshot({ path: artifactPath('photos-encounter-editor.png') });
    await page.getByTestId('ee-save').click();
    await page.getByTestId('encounter-head').waitFor();
    expect(db().prepare('SELECT start_time, latitude, longitude, notes FROM encounters WHERE id = ?').get(enc)).toEqual({
      start_time: '2021-06-07T13:20+00:00',
      latitude: INLAND.lat,
      longitude: INLAND.lon,
      notes: 'scanned from the field notebook',
    });
    expect(await page.getByTestId('encounter-head').textContent()).toContain('2021-06-07 13:20 (UTC+00:00)');
    expect(await page.getByTestId('encounter-unsorted').count()).toBe(0);
  });

  it('draws every sighting of the catalog on the land basemap where it was, and filters them', async () => {
    await page.getByTestId('nav-map').click();
    const all = await server.backend.request('sightings.list', {});
    const placed = all.items.filter((s) => s.latitude != null);
    expect(placed.length).toBe(all.items.length);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=catalog-map] [data-testid=map-marker]').length === n, placed.length);
    await page.waitForFunction(() => (document.querySelector('[data-testid=catalog-map] [data-testid=map-land]')?.getAttribute('d') ?? '').length > 1000);
    // Land or sea under each marker, as drawn, agrees with Natural Earth at the sighting's coordinates:
    // the synthetic survey is mostly at sea off Cape Cod, the dated notebook sighting inland in Iceland.
    const drawn = await markersOnLand('catalog-map');
    for (const m of drawn) {
      const s = placed.find((p) => p.individualCode === m.individual && String(p.encounterId) === m.encounter)!;
      expect(m.onLand, `${m.individual} in ${m.encounter}`).toBe(geoContains(LAND, [s.longitude!, s.latitude!]));
    }
    const notebook = placed.find((s) => s.date?.startsWith('2021-06-07T13:20'))!;
    expect(drawn.find((m) => m.encounter === String(notebook.encounterId))!.onLand).toBe(true);
    expect(drawn.filter((m) => !m.onLand).length).toBeGreaterThan(placed.length / 2);
    await page.screenshot({ path: artifactPath('map-screen.png') });

    await page.getByTestId('map-from').fill('2021-06-07');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=catalog-map] [data-testid=map-marker]').length === 1);
    await page.getByTestId('map-from').fill('');
    const first = placed[0];
    await page.getByTestId('map-individual').fill(first.individualCode);
    const ofFirst = placed.filter((s) => s.individualId === first.individualId).length;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=catalog-map] [data-testid=map-marker]').length === n, ofFirst);
    expect(new Set((await markersOnLand('catalog-map')).map((m) => m.individual))).toEqual(new Set([first.individualCode]));
    await page.getByTestId('map-individual').fill('');
    await page.getByTestId('map-encounter').selectOption(String(first.encounterId));
    const inEncounter = placed.filter((s) => s.encounterId === first.encounterId).length;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=catalog-map] [data-testid=map-marker]').length === n, inEncounter);
  });

  it("shows an individual's page with its map, track and timeline in date order", async () => {
    const id = db().prepare("SELECT id FROM individuals WHERE code = 'SYN-00001'").pluck().get() as number;
    const sightings = (await server.backend.request('sightings.list', { individualId: id })).items;
    await page.getByTestId('nav-catalog').click();
    await page.getByTestId('individual-search').fill('SYN-00001');
    await page.getByTestId('individual-SYN-00001').click();
    await page.getByTestId('individual-page').waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=timeline] li').length === n, sightings.length);
    const dates = await page.locator('[data-testid=timeline] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-date')));
    expect(dates).toEqual(sightings.map((s) => s.date));
    expect([...dates].sort((a, b) => Date.parse(a!) - Date.parse(b!))).toEqual(dates);
    expect(await page.locator('[data-testid=individual-map] [data-testid=map-marker]').count()).toBe(sightings.length);
    expect(await page.locator('[data-testid=individual-map] [data-testid=map-track]').count()).toBe(1);
    await page.waitForFunction(() => (document.querySelector('[data-testid=individual-map] [data-testid=map-land]')?.getAttribute('d') ?? '').length > 1000);
    await page.getByTestId('timeline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('individual-map.png') });
    expect(errors).toEqual([]);
  });
});
