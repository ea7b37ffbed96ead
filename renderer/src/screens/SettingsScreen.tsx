import { useEffect, useState } from 'react';
import type { SettingValue } from '../../../electron/contract';
import { useAction, useRequest } from '../api/queries';
import { DevicePicker } from '../components/DevicePicker';
import { api } from '../api/bridge';
import { TeamSettings } from '../components/TeamSettings';

type Field = { key: string; label: string; help: string } & (
  | { type: 'text' }
  | { type: 'number'; min?: number; step?: number }
  | { type: 'select'; options: Array<[string, string]> }
  | { type: 'checkbox' }
  | { type: 'device' }
);

const groups: Array<[string, Field[]]> = [
  [
    'Review',
    [
      { key: 'reviewer', label: 'Reviewer', type: 'text', help: 'Your name: every decision in the log carries it.' },
      {
        key: 'queueOrder',
        label: 'Queue order',
        type: 'select',
        options: [
          ['encounter', 'Encounter and time'],
          ['confidence', 'Match confidence (best first)'],
        ],
        help: 'Work through a day’s sightings in order, or clear the easy matches first.',
      },
      { key: 'codePrefix', label: 'Catalog code prefix', type: 'text', help: 'New individuals get the next number after it, e.g. ID-0001.' },
    ],
  ],
  [
    'Import',
    [
      { key: 'encounterGapMinutes', label: 'Encounter gap (minutes)', type: 'number', min: 1, step: 1, help: 'Photos further apart in time start a new encounter.' },
      { key: 'encounterMaxKm', label: 'Encounter distance (km)', type: 'number', min: 0, step: 0.5, help: 'Photos further apart than this start a new encounter.' },
      { key: 'bodyPart', label: 'Body part', type: 'text', help: 'What the photos show (fluke, dorsal, flank…): new photos get it, and so do photos that had none.' },
      { key: 'copyOnImport', label: 'Copy photos into the catalog folder', type: 'checkbox', help: 'Otherwise the catalog refers to the files where they are.' },
      {
        key: 'proposeBoxes',
        label: 'Propose a box around the animal',
        type: 'checkbox',
        help: 'At import, an unidentified whole photo gets a dashed box where the model sees an animal; matching uses it until you accept or move it in Photos.',
      },
      { key: 'embedAfterImport', label: 'Embed new photos after an import', type: 'checkbox', help: 'Starts embedding as soon as an import finishes, so they can be matched.' },
    ],
  ],
  [
    'Computation',
    [
      {
        key: 'device',
        label: 'Execution provider',
        type: 'device',
        help: 'Where embeddings are computed (the same choice as in the sidebar); falls back to the CPU with a warning when a GPU fails.',
      },
    ],
  ],
  [
    'Dataset',
    [
      { key: 'species', label: 'Species', type: 'text', help: 'Scientific name (e.g. Tragelaphus angasii), written to exports; empty: exports carry none.' },
      { key: 'datasetTitle', label: 'Dataset title', type: 'text', help: '' },
      { key: 'institution', label: 'Institution', type: 'text', help: 'institutionCode in exports.' },
      { key: 'licence', label: 'Licence', type: 'text', help: 'e.g. CC-BY-4.0' },
    ],
  ],
];

export function SettingsScreen() {
  const settings = useRequest('settings.get', {});
  const set = useAction('settings.set', ['settings']);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = (key: string, value: SettingValue) => {
    if (settings.data?.[key] === value) return;
    set.mutate(
      { key, value },
      {
        onSuccess: () => {
          setError(null);
          setSaved(key);
        },
        onError: (e) => setError(`${key}: ${e.message}`),
      },
    );
  };
  return (
    <div className="screen settings" data-testid="screen-settings">
      <h1>Settings</h1>
      <p className="muted small">Stored in the catalog file, so they travel with it. Changes save as you leave a field.</p>
      {error && <p className="error">{error}</p>}
      {settings.data && (
        <div className="settings-groups">
          {groups.map(([title, fields]) => (
            <fieldset key={title}>
              <legend>{title}</legend>
              {fields.map((f) => (
                <SettingField key={f.key} f={f} value={settings.data[f.key]} onSave={(v) => save(f.key, v)} saved={saved === f.key} />
              ))}
            </fieldset>
          ))}
          <TeamSettings />
        </div>
      )}
      <LogFolder />
    </div>
  );
}

/** For a bug report: the desktop app opens the log folder; browser mode shows where it is on the serving machine. */
function LogFolder() {
  const [shown, setShown] = useState<{ path: string; opened: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = () => {
    api()
      .request('system.openLogFolder', {})
      .then((r) => (setShown(r), setError(null)), (e: Error) => setError(e.message));
  };
  return (
    <fieldset data-testid="log-folder">
      <legend>Log</legend>
      <button onClick={open} data-testid="open-log-folder">
        Open log folder
      </button>
      {shown && (
        <p className="muted small">
          {shown.opened ? 'Opened ' : 'The log is in '}
          <code data-testid="log-folder-path">{shown.path}</code>
        </p>
      )}
      {error && <p className="error">{error}</p>}
    </fieldset>
  );
}

function SettingField({ f, value, onSave, saved }: { f: Field; value: SettingValue; onSave(v: SettingValue): void; saved: boolean }) {
  const [v, setV] = useState(String(value ?? ''));
  useEffect(() => setV(String(value ?? '')), [value]);
  const id = `setting-${f.key}`;
  let input;
  if (f.type === 'device') {
    input = <DevicePicker id={id} testId={id} />;
  } else if (f.type === 'select') {
    input = (
      <select id={id} data-testid={id} value={v} onChange={(e) => onSave(e.target.value)}>
        {f.options.map(([val, label]) => (
          <option key={val} value={val}>
            {label}
          </option>
        ))}
      </select>
    );
  } else if (f.type === 'checkbox') {
    input = <input id={id} data-testid={id} type="checkbox" checked={value === true} onChange={(e) => onSave(e.target.checked)} />;
  } else {
    input = (
      <input
        id={id}
        data-testid={id}
        type={f.type}
        value={v}
        min={f.type === 'number' ? f.min : undefined}
        step={f.type === 'number' ? f.step : undefined}
        onChange={(e) => setV(e.target.value)}
        onBlur={() => onSave(f.type === 'number' ? Number(v) : v)}
        onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
      />
    );
  }
  return (
    <div className="setting">
      <label htmlFor={id}>{f.label}</label>
      <div className="setting-input">
        {input}
        {saved && <span className="ok small"> saved</span>}
      </div>
      <div className="muted small">{f.help}</div>
    </div>
  );
}
