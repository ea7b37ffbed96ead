// Deliberately not a module: electron/core/tsconfig.json maps 'electron' here so that any
// `import ... from 'electron'` in the core, CLI or server fails type-checking.
declare const __caudalCoreMustNotImportElectron: never;
