import { afterAll } from 'vitest';
import { removeTmpDirs } from '../helpers/tmp';

// Every test file runs this: its temporary catalogs and photos go once its last hook has run.
afterAll(() => removeTmpDirs());
