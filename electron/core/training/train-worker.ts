import { parentPort, workerData } from 'node:worker_threads';
import { readCheckpoint, writeCheckpoint } from './checkpoint';
import type { FeatureSet } from './dataset';
import type { Gemm } from './gemm';
import { ortGemm } from './gemm-ort';
import { runTraining, type Recipe, type RunProgress } from './run-training';

export interface TrainWorkerInput {
  /** Every confirmed sample's stored features (each recipe reads its own blocks of them). */
  set: FeatureSet;
  /** The candidate's recipe first, then the active model's when it is retrained for comparison. */
  recipes: Recipe[];
  checkpointFile: string;
  /** Int32 flag: set to 1 to stop at the end of the current epoch. */
  cancel: SharedArrayBuffer;
  gemm: 'onnxruntime' | 'typescript';
  folds?: number;
  budgetSeconds?: number;
}

class Stopped extends Error {}

/** The training run off the main thread: epochs stream back as messages, checkpoints go to a file. */
async function main() {
  const input = workerData as TrainWorkerInput;
  const flag = new Int32Array(input.cancel);
  const saved = readCheckpoint(input.checkpointFile);
  let gemm: Gemm | undefined;
  if (input.gemm === 'onnxruntime') gemm = await ortGemm(1);
  // onnxruntime's sessions are released before the last message: the parent terminates this
  // thread once it has the outcome, and a thread ended inside a native release can abort the
  // whole process (seen once here: a `caudal train` died with SIGABRT at the end of its run).
  const finish = async (msg: object, transfer: ArrayBuffer[] = []) => {
    const g = gemm;
    gemm = undefined;
    await g?.dispose?.();
    parentPort!.postMessage(msg, transfer);
  };
  try {
    const result = await runTraining(input.set, input.recipes, {
      gemm,
      folds: input.folds,
      budgetSeconds: input.budgetSeconds,
      resume: saved ? { state: saved.state, progress: saved.extra as RunProgress } : undefined,
      onEpoch: (report) => parentPort!.postMessage({ type: 'epoch', report }),
      onCheckpoint: (state, progress) => {
        writeCheckpoint(input.checkpointFile, state, progress);
        if (Atomics.load(flag, 0)) throw new Stopped();
      },
    });
    await finish({ type: 'done', result }, [result.W.buffer as ArrayBuffer, result.b.buffer as ArrayBuffer]);
  } catch (e) {
    if (e instanceof Stopped) await finish({ type: 'cancelled' });
    else await finish({ type: 'error', message: String((e as Error)?.stack ?? e) });
  }
}

void main();
