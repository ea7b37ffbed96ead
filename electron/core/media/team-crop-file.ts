import path from 'node:path';

/**
 * Where a pulled annotation's crop is kept: one JPEG per annotation id. A photo pulled from a team
 * stays on the laptop that took it; this crop (the region, long side at most 512 px) is what this
 * laptop can show and embed.
 */
export const teamCropFile = (catalog: { filesDir: string }, annotationId: number): string => path.join(catalog.filesDir, 'team-crops', `${annotationId}.jpg`);
