import { Summary } from '../components/Summary';
import { FirstRun } from '../components/FirstRun';

export function CatalogScreen() {
  return (
    <div className="screen">
      <h1>Catalog</h1>
      <Summary />
      <FirstRun />
    </div>
  );
}
