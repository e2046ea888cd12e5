/// <reference types="vite/client" />
import type { BridgeApi } from '../../main/bridge/contract';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare global {
  interface Window {
    /** Present in Electron (set by the preload); absent in web mode. */
    flotilla?: BridgeApi;
  }
}
