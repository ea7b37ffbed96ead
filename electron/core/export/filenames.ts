import path from 'node:path';

/**
 * A file name safe on Windows, macOS and Linux and inside Wildbook (which strips everything but
 * letters, digits, period and space): other characters become spaces, runs collapse.
 */
export function safeName(name: string, keep = /[^A-Za-z0-9. ]+/g): string {
  const s = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(keep, ' ').replace(/\s+/g, ' ').trim();
  const cleaned = s.replace(/^\.+/, '').slice(0, 120);
  return cleaned || 'unnamed';
}

/** `<base> <sha8>.<ext>`: unique per photo content, readable, and stable across exports. */
export function photoExportName(originalName: string, sha256: string): string {
  const ext = path.extname(originalName).toLowerCase().replace(/[^a-z0-9.]/g, '') || '.jpg';
  return `${safeName(path.basename(originalName, path.extname(originalName)))} ${sha256.slice(0, 8)}${ext}`;
}
