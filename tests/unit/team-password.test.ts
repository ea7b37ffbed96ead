import fs from 'node:fs';
import path from 'node:path';
import { teamPasswordHandlers } from '../../electron/main/team-password';
import { makeFakeElectron } from '../helpers/fake-electron';
import { tmpDir } from '../helpers/tmp';

describe('the desktop app keeps the team password in the OS keychain, never in the catalog or a job', () => {
  const relayed: Array<[string, unknown]> = [];
  const backend = { request: async (name: string, p: unknown) => (relayed.push([name, p]), { linked: true }) as never };

  it('join stores it encrypted under userData; sync sends the stored one to the backend', async () => {
    const { safeStorage } = makeFakeElectron();
    const file = path.join(tmpDir(), 'team-password.bin');
    const h = teamPasswordHandlers(backend, safeStorage, file);
    await h['team.join']!({ url: 'postgres://boat_a@host/team', site: 'boat-a', password: 's3cret-pw' });
    expect(fs.readFileSync(file).includes(Buffer.from('s3cret-pw'))).toBe(false);
    expect(safeStorage.decryptString(fs.readFileSync(file))).toBe('s3cret-pw');
    expect((fs.statSync(file).mode & 0o077) === 0).toBe(true);
    await h['team.sync']!({});
    expect(relayed.at(-1)).toEqual(['team.sync', { password: 's3cret-pw' }]);
  });

  it('without a keychain nothing is stored, and sync asks the backend without a password', async () => {
    const { safeStorage } = makeFakeElectron();
    safeStorage.available = false;
    const file = path.join(tmpDir(), 'team-password.bin');
    const h = teamPasswordHandlers(backend, safeStorage, file);
    await h['team.join']!({ url: 'postgres://boat_a@host/team', site: 'boat-a', password: 'pw' });
    expect(fs.existsSync(file)).toBe(false);
    await h['team.sync']!({});
    expect(relayed.at(-1)).toEqual(['team.sync', { password: undefined }]);
  });
});
