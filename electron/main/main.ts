// Electron's entry point (package.json "main"). Everything is in app.ts so tests can drive it
// with a stand-in for the electron module.
import { runDesktop } from './app';

runDesktop();
