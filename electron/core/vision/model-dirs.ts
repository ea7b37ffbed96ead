import { sharedDir, userModelsDir } from '../util/paths';

/**
 * Where model files (weights, and users' own manifests) are looked up, in order: `--models DIR`
 * (or CAUDAL_MODELS_DIR), the user's model folder, then the shared folder beside the checkout.
 */
export function modelDirs(override?: string): string[] {
  const dirs = [override ?? process.env.CAUDAL_MODELS_DIR, userModelsDir()];
  const shared = sharedDir();
  if (shared) dirs.push(`${shared}/models`);
  return dirs.filter((d): d is string => Boolean(d));
}
