import { Summary } from '../components/Summary';

export function CatalogScreen() {
  return (
    <div className="screen">
      <h1>Catalog</h1>
      <Summary />
    </div>
  );
}
