import { deviceChoices, type DeviceChoice } from '../../../electron/contract';
import { useAction, useRequest } from '../api/queries';

/**
 * The `device` setting, as one control: the sidebar and the Settings screen both show this, so
 * they offer the same choices (the contract's list). A choice whose provider this machine lacks
 * is shown but disabled, so nobody picks a GPU that is not there.
 */
export function DevicePicker({ id, testId, disabled }: { id?: string; testId: string; disabled?: boolean }) {
  const status = useRequest('embedding.status', {});
  const set = useAction('settings.set', ['settings', 'embedding']);
  const s = status.data;
  const current: DeviceChoice = s?.device ?? 'auto';
  return (
    <>
      <select id={id} data-testid={testId} value={current} disabled={disabled || !s || set.isPending} onChange={(e) => set.mutate({ key: 'device', value: e.target.value })}>
        {deviceChoices.map((d) => (
          <option key={d.value} value={d.value} disabled={Boolean(d.provider) && d.value !== current && !s?.available.includes(d.provider!)}>
            {d.label}
          </option>
        ))}
      </select>
      {set.error ? <span className="error small"> {set.error.message}</span> : null}
    </>
  );
}
