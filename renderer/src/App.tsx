import type React from 'react';
import { useBackendInvalidation } from './api/queries';
import { screens, screenTitles, useNavigation, type Screen } from './stores/navigation';
import { useMenuCommands } from './stores/menu';
import { CatalogScreen } from './screens/CatalogScreen';
import { ImportScreen } from './screens/ImportScreen';
import { PhotosScreen } from './screens/PhotosScreen';
import { MapScreen } from './screens/MapScreen';
import { ReviewScreen } from './screens/ReviewScreen';
import { TrainingScreen } from './screens/TrainingScreen';
import { ExportScreen } from './screens/ExportScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { EmbeddingStatus } from './components/EmbeddingStatus';

const views: Record<Screen, () => React.JSX.Element> = {
  catalog: CatalogScreen,
  import: ImportScreen,
  photos: PhotosScreen,
  map: MapScreen,
  review: ReviewScreen,
  training: TrainingScreen,
  export: ExportScreen,
  settings: SettingsScreen,
};

export function App() {
  useBackendInvalidation();
  useMenuCommands();
  const { screen, go } = useNavigation();
  const View = views[screen];
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Caudal</div>
        {screens.map((s) => (
          <button key={s} className={s === screen ? 'nav active' : 'nav'} aria-current={s === screen ? 'page' : undefined} data-testid={`nav-${s}`} onClick={() => go(s)}>
            {screenTitles[s]}
          </button>
        ))}
        <div className="sidebar-footer">
          <EmbeddingStatus />
        </div>
      </nav>
      <main className="content">
        <View />
      </main>
    </div>
  );
}
