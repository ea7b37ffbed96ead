import { create } from 'zustand';

export const screens = ['catalog', 'import', 'photos', 'map', 'review', 'training', 'export', 'settings'] as const;
export type Screen = (typeof screens)[number];

export const screenTitles: Record<Screen, string> = {
  catalog: 'Catalog',
  import: 'Import',
  photos: 'Photos',
  map: 'Map',
  review: 'Review',
  training: 'Training',
  export: 'Export',
  settings: 'Settings',
};

interface NavigationState {
  screen: Screen;
  go(screen: Screen): void;
}

const fromHash = (): Screen => {
  const h = typeof location === 'undefined' ? '' : location.hash.replace(/^#\/?/, '').split('/')[0];
  return (screens as readonly string[]).includes(h) ? (h as Screen) : 'catalog';
};

/** Which screen is shown; mirrored in the URL hash so reload and back/forward keep the place. */
export const useNavigation = create<NavigationState>((set) => ({
  screen: fromHash(),
  go: (screen) => {
    if (typeof location !== 'undefined' && location.hash !== `#/${screen}`) history.pushState(null, '', `#/${screen}`);
    set({ screen });
  },
}));

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => useNavigation.setState({ screen: fromHash() }));
}
