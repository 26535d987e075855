// hash-wasm's argon2-only build (30 KB with its WebAssembly inlined, against ~270 KB for the package's whole index,
// which esbuild cannot tree-shake because each algorithm's WebAssembly is a top-level string).
declare module 'hash-wasm/dist/argon2.umd.min.js' {
  const argon2: { argon2id: typeof import('hash-wasm').argon2id };
  export default argon2;
}
