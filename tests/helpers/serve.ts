import { startServer, type RunningServer } from '../../electron/server/serve';

/** `caudal serve` in-process on a real catalog file, on a free loopback port. */
export async function serveCatalog(catalogFile: string): Promise<RunningServer> {
  return startServer({ catalogFile, port: 0, host: '127.0.0.1' });
}
