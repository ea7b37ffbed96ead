// Renders build/icon.svg into the PNG icons electron-builder needs (it derives .ico and .icns
// from build/icon.png). The PNGs are committed; run this again only after editing the SVG.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const build = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'build');
const svg = fs.readFileSync(path.join(build, 'icon.svg'));
fs.mkdirSync(path.join(build, 'icons'), { recursive: true });
for (const size of [512, 256]) {
  const out = path.join(build, 'icons', `${size}x${size}.png`);
  await sharp(svg, { density: (72 * size) / 512 }).resize(size, size).png({ compressionLevel: 9 }).toFile(out);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
fs.copyFileSync(path.join(build, 'icons', '512x512.png'), path.join(build, 'icon.png'));
console.log('wrote build/icon.png');
