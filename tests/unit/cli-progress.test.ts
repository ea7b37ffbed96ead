import type { JobInfo } from '../../electron/contract';
import { progressLines } from '../../electron/cli/progress';
import { models } from '../../electron/cli/commands/models';

const job = (progress: number, total: number | null, message: string | null, state: JobInfo['state'] = 'running'): JobInfo => ({
  id: 1, kind: 'embed', state, progress, total, message, error: null, result: null, createdAt: '', startedAt: '', finishedAt: null,
});

describe('CLI progress on piped output', () => {
  afterEach(() => vi.useRealTimers());

  it('prints a line when a stage starts, then at most one every few seconds, and the last count', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const lines: string[] = [];
    const update = progressLines({ out: () => {}, err: (t) => lines.push(t) }, 'embed', { everyMs: 3000 });
    update(job(0, 99, 'extracting features of 99 annotations'));
    for (let i = 1; i < 99; i++) {
      vi.advanceTimersByTime(100); // an update every 0.1 s for 9.8 s
      update(job(i, 99, 'extracting features of 99 annotations'));
    }
    update(job(99, 99, 'extracting features of 99 annotations'));
    update(job(99, 99, null, 'done'));
    expect(lines[0]).toBe('embed: 0/99 (0%) extracting features of 99 annotations');
    expect(lines.at(-1)).toBe('embed: 99/99 (100%) extracting features of 99 annotations');
    // 9.8 s of updates: the first line, one at 3, 6 and 9 s, and the last: never one per update.
    expect(lines).toHaveLength(5);
    expect(lines.slice(1, 4)).toEqual(['embed: 30/99 (30%) extracting features of 99 annotations', 'embed: 60/99 (60%) extracting features of 99 annotations', 'embed: 90/99 (90%) extracting features of 99 annotations']);
  });

  it('does not treat per-item messages (an import\'s file names) as stages', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const update = progressLines({ out: () => {}, err: (t) => lines.push(t) }, 'import', { stages: false });
    for (let i = 1; i <= 10; i++) update(job(i, 10, `/card/IMG_${i}.JPG`));
    expect(lines).toEqual(['import: 1/10 (10%) /card/IMG_1.JPG', 'import: 10/10 (100%) /card/IMG_10.JPG']);
  });
});

describe('caudal models list', () => {
  it('is a table for people, the active model starred, with held-out rank-1 where measured', () => {
    const text = models.human!([
      { id: 'mobilenetv2-12-int8', name: 'MobileNetV2 (pretrained)', kind: 'pretrained', createdAt: '2026-01-01T10:00:00.000Z', active: false, heldOut: null, params: null, metrics: null, parentId: null },
      {
        id: 'ft-20260102', name: 'fine-tuned K=2', kind: 'fine-tuned', createdAt: '2026-01-02T11:30:00.000Z', active: true, params: null, metrics: null, parentId: 'mobilenetv2-12-int8',
        heldOut: { run: 'ft-20260102', metrics: { unseen: { rank1: 0.25, map5: 0.3, top5: 0.4, queries: 10 }, resight: { rank1: 0.5, map5: 0.6, top5: 0.7, queries: 10 } } },
      },
    ]);
    const rows = text.split('\n');
    expect(rows[0]).toMatch(/^ +ID +KIND +CREATED +UNSEEN R1 +RESIGHT R1 +NAME$/);
    expect(rows[1]).toMatch(/^ +mobilenetv2-12-int8 +pretrained +2026-01-01 10:00 +- +- +MobileNetV2 \(pretrained\)$/);
    expect(rows[2]).toMatch(/^\* +ft-20260102 +fine-tuned +2026-01-02 11:30 +0\.250 +0\.500 +fine-tuned K=2$/);
    // columns line up
    expect(rows[1].indexOf('pretrained')).toBe(rows[0].indexOf('KIND'));
    expect(rows[2].indexOf('fine-tuned')).toBe(rows[0].indexOf('KIND'));
  });
});
