/// <reference types="vite/client" />
// A script, not a module (no top-level import): only then is the '*.vue' declaration ambient, which
// tools without Vue's own resolution (typescript-eslint's typed rules) need; vue-tsc reads the files.

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

interface Window {
  /** Present in Electron (set by the preload); absent in web mode. */
  flotilla?: import('../../main/bridge/contract').PreloadApi;
}
