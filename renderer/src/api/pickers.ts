/**
 * Native pickers. Browser mode has none: the person types or pastes paths. The desktop app
 * will answer a picker request through the bridge; return it from here and the Import screen
 * shows its "Choose…" buttons without knowing the transport.
 */
export interface Pickers {
  /** Folders or files to import; null when the person cancels. */
  photos(): Promise<string[] | null>;
  /** A labels CSV; null when cancelled. */
  labelsCsv(): Promise<string | null>;
}

export function pickers(): Pickers | null {
  return null;
}
