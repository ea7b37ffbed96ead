export function ExportScreen() {
  return (
    <div className="screen" data-testid="screen-export">
      <h1>Export</h1>
    </div>
  );
}
