// Start-up: pick the transport (the preload's window.flotilla in Electron, else the WebSocket of
// the server that served this page), then mount the app.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { setTransport } from './bridge/client';
import { alwaysOpen } from './bridge/transport';
import { bridgeUrl, takeToken, wsTransport } from './bridge/ws-transport';
import './styles.css';

performance.mark('flotilla:start');
setTransport(window.flotilla ? alwaysOpen(window.flotilla) : wsTransport({ url: bridgeUrl(location, takeToken(location, sessionStorage, history)) }));
createApp(App).use(createPinia()).mount('#app');
