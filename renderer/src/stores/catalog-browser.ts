import { create } from 'zustand';

interface CatalogBrowserState {
  search: string;
  /** The individual whose page is open; null = the grid. */
  openId: number | null;
  setSearch(search: string): void;
  open(id: number | null): void;
}

export const useCatalogBrowser = create<CatalogBrowserState>((set) => ({
  search: '',
  openId: null,
  setSearch: (search) => set({ search }),
  open: (openId) => set({ openId }),
}));
