import { create } from 'zustand';
import { DEFAULT_LEARNERS, DEFAULT_PRETRAINED_EPOCHS } from '../../../electron/contract';

interface TrainingFormState {
  learners: number;
  epochs: number;
  setLearners(k: number): void;
  setEpochs(n: number): void;
}

/** The Training screen's choices: kept for the session, not reset by a run or by leaving the screen. */
export const useTrainingForm = create<TrainingFormState>((set) => ({
  learners: DEFAULT_LEARNERS,
  epochs: DEFAULT_PRETRAINED_EPOCHS,
  setLearners: (learners) => set({ learners }),
  setEpochs: (epochs) => set({ epochs }),
}));
