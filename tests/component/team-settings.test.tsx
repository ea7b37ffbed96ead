// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import path from 'node:path';
import { Catalog } from '../../electron/core/store/catalog';
import { teamSyncStore } from '../../electron/core/store/team-sync';
import { SettingsScreen } from '../../renderer/src/screens/SettingsScreen';
import { bridgedBackend } from '../helpers/backend-bridge';
import { insertIndividual, insertPhoto, texturedJpeg } from '../helpers/catalog-rows';
import { renderWithQueries } from '../helpers/render-with-queries';
import { tmpDir } from '../helpers/tmp';

/**
 * The Settings Team section on a real backend and catalog, with no server to reach (the synced
 * path is tested against a real PostgreSQL in tests/integration/team-sync.test.ts): the join form,
 * then a linked catalog's pending count and a Sync that fails with words and changes nothing.
 */
describe('Settings: team section', () => {
  let bridged: Awaited<ReturnType<typeof bridgedBackend>>;
  let file: string;
  beforeAll(async () => {
    file = path.join(tmpDir(), 'team.sqlite');
    Catalog.open(file).close();
    bridged = await bridgedBackend(file);
  });
  afterEach(cleanup);
  afterAll(() => bridged.close());

  it('offers the join form until linked, and says why a join failed', async () => {
    renderWithQueries(<SettingsScreen />);
    await waitFor(() => screen.getByTestId('team-join'));
    fireEvent.change(screen.getByTestId('team-url'), { target: { value: 'postgres://boat_a@127.0.0.1:1/team' } });
    fireEvent.change(screen.getByTestId('team-site'), { target: { value: 'boat-a' } });
    fireEvent.change(screen.getByTestId('team-join-password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByTestId('team-join-submit'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/cannot be reached/));
    expect((await bridged.backend.request('team.status', {})).linked).toBe(false);
  });

  it('shows a linked catalog\'s pending rows; a Sync with the server down fails with a message and offline work goes on', async () => {
    const catalog = bridged.backend.catalog;
    teamSyncStore(catalog).join('postgres://boat_a@127.0.0.1:1/team', 'boat-a');
    insertIndividual(catalog, 'ID-0001');
    renderWithQueries(<SettingsScreen />);
    await waitFor(() => expect(screen.getByTestId('team-status').textContent).toMatch(/Pending: 1 rows/));
    expect(screen.getByTestId('team-link').textContent).toMatch(/boat-a on postgres:\/\/boat_a@127\.0\.0\.1:1\/team/);
    fireEvent.click(screen.getByTestId('team-sync'));
    await waitFor(() => expect(screen.getByTestId('team-sync-job').getAttribute('data-state')).toBe('failed'));
    expect(screen.getByTestId('team-sync-job').textContent).toMatch(/cannot be reached .*work goes on offline/);
    await waitFor(() => expect(screen.getByTestId('team-status').textContent).toMatch(/Last attempt: .*cannot be reached/));
    insertIndividual(catalog, 'ID-0002');
    expect((await bridged.backend.request('team.status', {})).pending).toBe(2);
  });

  it('lists the team conflicts a pull met; resolving one needs a curator login, and a server that is down says so', async () => {
    const catalog = bridged.backend.catalog;
    const mine = insertIndividual(catalog, 'ID-0007');
    const theirs = insertIndividual(catalog, 'ID-0007-boat-b');
    catalog.db.prepare("INSERT INTO team_origin (kind, local_id, site, remote_id) VALUES ('individual', ?, 'boat-b', 3)").run(theirs);
    const { annotationId } = await insertPhoto(catalog, await texturedJpeg(path.join(tmpDir(), 'f.jpg'), 5), { individualId: mine });
    const merge = catalog.db.prepare("INSERT INTO merges (source, kind, source_catalog) VALUES ('team', 'bundle', 'team:boat-b')").run().lastInsertRowid;
    catalog.db
      .prepare("INSERT INTO merge_conflicts (merge_id, kind, annotation_id, local_individual_id, incoming_individual_id, incoming_code) VALUES (?, 'annotation', ?, ?, ?, 'ID-0007-boat-b')")
      .run(merge, annotationId, mine, theirs);
    renderWithQueries(<SettingsScreen />);
    await waitFor(() => screen.getByTestId('team-conflicts'));
    expect(screen.getByTestId('team-conflict').textContent).toMatch(/f\.jpg is identified as ID-0007 and as ID-0007-boat-b/);
    const choices = screen.getAllByTestId('team-conflict-choose');
    expect(choices.map((b) => b.textContent)).toEqual(['ID-0007', 'ID-0007-boat-b']);
    expect(choices.every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
    fireEvent.change(screen.getByTestId('team-curator-url'), { target: { value: 'postgres://lab_curator@127.0.0.1:1/team' } });
    fireEvent.click(screen.getAllByTestId('team-conflict-choose')[1]);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/cannot be reached/));
    expect((await bridged.backend.request('team.status', {})).teamConflicts).toEqual([
      expect.objectContaining({ kind: 'annotation', options: [{ value: `boat-a/${mine}`, label: 'ID-0007' }, { value: 'boat-b/3', label: 'ID-0007-boat-b' }] }),
    ]);
  });
});
