import { IndividualGrid } from '../components/catalog/IndividualGrid';
import { IndividualPage } from '../components/catalog/IndividualPage';
import { Summary } from '../components/Summary';
import { FirstRun } from '../components/FirstRun';
import { useCatalogBrowser } from '../stores/catalog-browser';

export function CatalogScreen() {
  const { search, setSearch, openId, open } = useCatalogBrowser();
  return (
    <div className="screen catalog" data-testid="screen-catalog">
      <h1>Catalog</h1>
      <Summary />
      <FirstRun />
      {openId != null ? (
        <IndividualPage id={openId} onBack={() => open(null)} onOpen={open} />
      ) : (
        <>
          <div className="catalog-tools">
            <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Search code or name" aria-label="Search individuals" data-testid="individual-search" />
          </div>
          <IndividualGrid search={search.trim()} onOpen={open} />
        </>
      )}
    </div>
  );
}
