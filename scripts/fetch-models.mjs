// Build step: puts every model the installers ship into a folder (default .build/models, which
// electron-builder copies to resources/models), verifying each against its manifest's sha256.
//
// Manifests are models/*.json with at least { id, file, sha256, url }. A file already present
// with the right checksum is kept; otherwise it is copied from --from DIR (an offline mirror, e.g.
// ../shared/models) or downloaded from `url`. A wrong checksum is an error naming the file, and
// nothing unverified is left in the output folder.
//
//   node scripts/fetch-models.mjs [--manifests models] [--out .build/models] [--from DIR]
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

export function readManifests(dir) {
  const out = [];
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(dir, name);
    let m;
    try {
      m = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: not valid JSON (${e.message})`);
    }
    for (const key of ['id', 'file', 'sha256', 'url']) {
      if (typeof m[key] !== 'string' || !m[key]) throw new Error(`${file}: field '${key}' is missing or not a string`);
    }
    if (!/^[0-9a-f]{64}$/i.test(m.sha256)) throw new Error(`${file}: field 'sha256' is not 64 hex digits`);
    if (path.basename(m.file) !== m.file) throw new Error(`${file}: field 'file' must be a bare file name, got '${m.file}'`);
    if (!/^https:\/\//.test(m.url) && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(m.url)) {
      throw new Error(`${file}: field 'url' must be https (got '${m.url}')`);
    }
    out.push({ ...m, manifest: file });
  }
  return out;
}

async function sha256Of(file) {
  const h = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), h);
  return h.digest('hex');
}

async function download(url, dest) {
  const res = await fetch(url, { redirect: 'follow' });
  if (!res.ok || !res.body) throw new Error(`GET ${url}: HTTP ${res.status}`);
  await pipeline(Readable.fromWeb(res.body), fs.createWriteStream(dest));
}

export async function fetchModels({ manifests, out, from, log = console.log }) {
  const list = readManifests(manifests);
  if (!list.length) throw new Error(`no model manifests (*.json with id, file, sha256, url) in ${manifests}: the installer would ship without a model`);
  fs.mkdirSync(out, { recursive: true });
  const results = [];
  for (const m of list) {
    const dest = path.join(out, m.file);
    const want = m.sha256.toLowerCase();
    if (fs.existsSync(dest) && (await sha256Of(dest)) === want) {
      log(`models: ${m.file} present, sha256 ok`);
      results.push({ id: m.id, file: dest, source: 'cached' });
      continue;
    }
    const tmp = `${dest}.${process.pid}.part`;
    let source;
    try {
      const local = from ? path.join(from, m.file) : undefined;
      if (local && fs.existsSync(local)) {
        fs.copyFileSync(local, tmp);
        source = local;
      } else {
        log(`models: downloading ${m.url}`);
        await download(m.url, tmp);
        source = m.url;
      }
      const got = await sha256Of(tmp);
      if (got !== want) throw new Error(`${m.file} from ${source}: sha256 ${got} does not match ${want} in ${m.manifest}`);
      fs.renameSync(tmp, dest);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    log(`models: ${m.file} from ${source}, sha256 ok`);
    results.push({ id: m.id, file: dest, source });
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
  try {
    await fetchModels({
      manifests: path.resolve(opt('manifests', path.join(root, 'models'))),
      out: path.resolve(opt('out', path.join(root, '.build', 'models'))),
      from: opt('from', process.env.CAUDAL_MODELS_FROM),
    });
  } catch (e) {
    console.error(`\n*** model fetch FAILED ***\n${e.message}\n`);
    process.exit(1);
  }
}
