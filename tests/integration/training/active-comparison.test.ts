import path from 'node:path';
import { runCaudal as cli } from '../../helpers/cli';
import { Catalog } from '../../../electron/core/store/catalog';
import { tmpDir } from '../../helpers/tmp';
import { syntheticSet } from '../../unit/training/synthetic';
import { catalogFromFeatureSet } from './fixture';

/**
 * The leak a new user hit: the run that ships trains on every photo, so the next `caudal train`
 * must not score that model on held-out data it was trained on (it scored 0.908 against 0.123 out
 * of sample, and no later model could win). The active model is compared like with like: its own
 * recipe retrained on the same held-out data.
 */
describe('caudal train compares the new model with an active fine-tuned model out of sample', () => {
  it("scores the active model's recipe on the same folds, so a second run of the same recipe is not beaten by a leak", async () => {
    const file = path.join(tmpDir(), 'cat.sqlite');
    catalogFromFeatureSet(file, syntheticSet(2)).close();
    const recipe = ['--learners', '2', '--epochs', '30', '--dim', '16', '--seed', '3'];
    const first = JSON.parse((await cli('train', '--catalog', file, ...recipe, '--activate', 'always', '--json')).out);
    expect(first.activated).toBe(true);

    // Another recipe: the active model is retrained with its own stored recipe on this run's folds,
    // so its estimate is the one its own run measured (same catalog, same folds), not an in-sample score.
    const other = await cli('train', '--catalog', file, '--learners', '1', '--epochs', '30', '--dim', '16', '--seed', '1', '--activate', 'never', '--json');
    expect(other.code, other.err).toBe(0);
    const o = JSON.parse(other.out);
    expect(o.active.id).toBe(first.model);
    expect(o.estimate.reference).toEqual({ id: first.model, source: 'retrained' });
    expect(o.active.unseen).toEqual(first.after.unseen);
    expect(o.active.resight).toEqual(first.after.resight);

    // The same recipe again (a user retraining after more reviews): like with like, it is not worse
    // than the active model, it beats the pretrained one, so it is activated.
    const again = JSON.parse((await cli('train', '--catalog', file, ...recipe, '--json')).out);
    expect(again.active.id).toBe(first.model);
    expect(again.estimate.reference.source).toBe('same-recipe');
    expect(again.activated, again.reason).toBe(true);
    const c = Catalog.open(file);
    expect(c.db.prepare('SELECT id FROM models WHERE active = 1').pluck().get()).toBe(again.model);
    c.close();
  });
});
