import path from 'node:path';
import { bundledModelsDir, sharedDir, userModelsDir } from '../util/paths';

/**
 * Where model files (weights, and users' own manifests) are looked up, in order: `--models DIR`
 * (or CAUDAL_MODELS_DIR), the user's model folder, the models shipped with the installer, then
 * the shared folder beside the checkout.
 */
export function modelDirs(override?: string): string[] {
  const dirs = [override ?? process.env.CAUDAL_MODELS_DIR, userModelsDir(), bundledModelsDir()];
  const shared = sharedDir();
  if (shared) dirs.push(path.join(shared, 'models'));
  return dirs.filter((d): d is string => Boolean(d));
}
