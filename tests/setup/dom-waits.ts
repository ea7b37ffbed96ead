import { configure } from '@testing-library/dom';

// findBy* and waitFor give up after 1 s by default, which a real backend on a loaded 2-core
// machine (an onnxruntime session, a first SQLite read) can exceed: that made screen tests fail
// under `npm test` and pass alone. They return as soon as the screen is right, so a long limit
// costs nothing when a test passes and takes machine load out of the result.
configure({ asyncUtilTimeout: 120_000 });
