import { syntheticCatalog } from './synthetic-catalog';

/**
 * A constructed encounter (one animal, both flanks, unidentified) where the left photo alone ranks the
 * wrong individual first and the two photos together rank the right one: B's left flank is nearest
 * the query's left photo, but B's right flank is far from the query's right photo; A is close on both.
 * Vectors in 3-d: x = "left flank of A", y = "right flank of A", z = elsewhere.
 */
export function encounterCatalog() {
  return syntheticCatalog([
    { individual: 'A', side: 'left', vector: [0.8, 0, 0.6], encounter: 'a1' },
    { individual: 'A', side: 'right', vector: [0, 0.8, 0.6], encounter: 'a1' },
    { individual: 'B', side: 'left', vector: [0.95, 0, 0.31], encounter: 'b1' },
    { individual: 'B', side: 'right', vector: [0, 0.1, 0.99], encounter: 'b1' },
    { individual: null, side: 'left', vector: [1, 0, 0], encounter: 'q' },
    { individual: null, side: 'right', vector: [0, 1, 0], encounter: 'q' },
  ]);
}
