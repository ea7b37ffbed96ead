/** Loads better-sqlite3 (in whichever thread calls it) and answers the SQLite version: proof the native module works there. */
export async function probeSqlite(): Promise<string> {
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}
