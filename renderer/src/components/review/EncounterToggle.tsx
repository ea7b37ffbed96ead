import { useEncounterMatching } from '../../stores/encounter-matching';

/**
 * Offered where the query's encounter holds other unidentified photos of the same body part: rank
 * candidates for all of them together, as one animal (both flanks, several shots), which measured
 * better than one photo alone (bench/README.md, encounter-level matching).
 */
export function EncounterToggle({ mates }: { mates: number }) {
  const { on, set } = useEncounterMatching();
  if (mates === 0) return null;
  return (
    <label className="small encounter-toggle" data-testid="encounter-toggle" title="Use when the encounter shows one animal">
      <input type="checkbox" checked={on} onChange={(e) => set(e.target.checked)} /> Whole encounter: match with its {mates} other unidentified photo{mates === 1 ? '' : 's'}
    </label>
  );
}
