export const shortcuts: Array<[string, string]> = [
  ['1 – 9, 0', 'select the candidate of that rank (0 = rank 10)'],
  ['↑ ↓', 'previous / next candidate'],
  [', .', 'previous / next photo of the selected candidate'],
  ['Enter', 'confirm the selected candidate (a new individual only when you selected it)'],
  ['X', 'reject the selected candidate'],
  ['N', 'new individual (wherever it ranks)'],
  ['S', 'skip this query'],
  ['Ctrl+Z', 'undo the last decision'],
  ['← →', 'previous / next query'],
  ['+ −', 'zoom both photos'],
  ['Z', 'reset zoom, pan and adjustments'],
  ['H', 'flip the candidate horizontally'],
  ['R', 'rotate the candidate 90°'],
  ['[ ]', 'brightness down / up'],
  ['{ }', 'contrast down / up'],
  ['F', 'full resolution on / off'],
  ['?', 'show / hide this list'],
];

export function ShortcutHelp({ onClose }: { onClose(): void }) {
  return (
    <div className="overlay" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcut-help" onClick={onClose}>
      <div className="overlay-card" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {shortcuts.map(([k, what]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">Press ? or Esc to close. Drag to pan, wheel to zoom, double-click to reset.</p>
      </div>
    </div>
  );
}
