// Start-up: pick the transport (the preload's window.flotilla in Electron, else the WebSocket of
// the server that served this page), then mount the app.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { setTransport } from './bridge/client';
import { alwaysOpen } from './bridge/transport';
import { useClusterStore } from './stores/cluster';
import { bridgeUrl, pageRefused, takeToken, wsTransport } from './bridge/ws-transport';
import './styles.css';

// Every static import loaded: the start-up reload guard (public/reload-on-load-error.js) stands aside.
document.documentElement.setAttribute('data-booted', '');
performance.mark('flotilla:start');
function webTransport() {
  const token = takeToken(location, sessionStorage, history);
  return wsTransport({ url: bridgeUrl(location, token), refusesToken: () => pageRefused(location.origin, token) });
}

setTransport(window.flotilla ? alwaysOpen(window.flotilla) : webTransport());
const pinia = createPinia();
// Back on the cluster this window showed before a reload (no wait at all for this Flotilla).
void useClusterStore(pinia).init().then(() => createApp(App).use(pinia).mount('#app'));
