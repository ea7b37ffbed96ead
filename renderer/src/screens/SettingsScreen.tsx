export function SettingsScreen() {
  return (
    <div className="screen" data-testid="screen-settings">
      <h1>Settings</h1>
    </div>
  );
}
