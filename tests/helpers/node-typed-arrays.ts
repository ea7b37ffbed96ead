import v8 from 'node:v8';

// Imported first by jsdom tests that run the real backend in-process. jsdom puts its own typed
// array classes on the global; onnxruntime captures the global Float32Array when it loads and
// checks its native outputs (Node's own class) against it, and the matcher hands it Node Buffers
// checked against the global Uint8Array. Putting Node's classes back before onnxruntime loads
// keeps both checks true (the screens themselves do not use these classes). V8 deserialises into
// Node's realm, so it hands back Node's Float32Array.
globalThis.Uint8Array = Object.getPrototypeOf(Buffer.prototype).constructor;
globalThis.Float32Array = v8.deserialize(v8.serialize(new Float32Array(1))).constructor;
