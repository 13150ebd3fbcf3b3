// Lets TypeScript see `*.wgsl?raw` imports (and the rest of Vite's client types).
/// <reference types="vite/client" />
