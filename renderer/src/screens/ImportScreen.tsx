export function ImportScreen() {
  return (
    <div className="screen" data-testid="screen-import">
      <h1>Import</h1>
    </div>
  );
}
