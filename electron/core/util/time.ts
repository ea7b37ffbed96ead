/** UTC timestamp in the form SQLite's strftime('%Y-%m-%dT%H:%M:%fZ') writes, so text order is time order. */
export const nowIso = (): string => new Date().toISOString();
