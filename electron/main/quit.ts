export interface QuitStep {
  name: string;
  run(): Promise<void> | void;
}

export interface QuittingApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/**
 * A clean quit: the first quit request is held while the steps run in order (save the window
 * state, stop or checkpoint the running job, close the catalog, end the backend thread), then the
 * quit goes ahead. A step that fails or hangs past `timeoutMs` is logged and the app still quits,
 * because a quit that never happens is worse (the job will be marked interrupted and resumable).
 */
export function installCleanQuit(app: QuittingApp, steps: QuitStep[], opts: { timeoutMs?: number; log?: (msg: string) => void } = {}): { done: Promise<void> } {
  const log = opts.log ?? ((m) => console.error(m));
  let state: 'idle' | 'running' | 'finished' = 'idle';
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));

  const runSteps = async () => {
    for (const step of steps) {
      try {
        await step.run();
      } catch (e) {
        log(`quit: ${step.name} failed: ${(e as Error).message}`);
      }
    }
  };

  app.on('before-quit', (event) => {
    if (state === 'finished') return;
    event.preventDefault();
    if (state === 'running') return;
    state = 'running';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => {
      timer = setTimeout(() => {
        log(`quit: gave up waiting after ${opts.timeoutMs ?? 15000} ms`);
        r();
      }, opts.timeoutMs ?? 15000);
    });
    void Promise.race([runSteps(), timeout]).then(() => {
      clearTimeout(timer);
      state = 'finished';
      finish();
      app.quit();
    });
  });
  return { done };
}
