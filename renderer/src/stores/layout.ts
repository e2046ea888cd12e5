// Layout preferences, remembered: the sidebar (labels or icons only), the map's app catalog (shown
// or folded away), and the colour theme (the system's, light or dark; set on <html data-theme>);
// which overlay is open (command palette, shortcuts).
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { isBoolean, readRemembered, remember } from '../lib/remembered';

export type Theme = 'system' | 'light' | 'dark';
const isTheme = (v: unknown): v is Theme => v === 'system' || v === 'light' || v === 'dark';

/** Narrower than this, the sidebar starts as icons only and the catalog folded (until the person says otherwise). */
const NARROW_PX = 980;

export const useLayoutStore = defineStore('layout', () => {
  const narrow = (globalThis.innerWidth ?? NARROW_PX) < NARROW_PX;
  const sidebarCollapsed = ref(readRemembered('flotilla.sidebarCollapsed', narrow, isBoolean));
  const catalogCollapsed = ref(readRemembered('flotilla.catalogCollapsed', narrow, isBoolean));
  const theme = ref<Theme>(readRemembered('flotilla.theme', 'system', isTheme));
  watch(sidebarCollapsed, (v) => remember('flotilla.sidebarCollapsed', v));
  watch(catalogCollapsed, (v) => remember('flotilla.catalogCollapsed', v));
  const applyTheme = (t: Theme) => {
    remember('flotilla.theme', t);
    if (t === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = t;
  };
  watch(theme, applyTheme, { immediate: true });
  /** Light ↔ dark; from 'system', the opposite of what the system shows. */
  function toggleTheme() {
    const dark = theme.value === 'dark' || (theme.value === 'system' && globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches);
    theme.value = dark ? 'light' : 'dark';
  }
  /** The command palette and the shortcuts overlay (not remembered). */
  const paletteOpen = ref(false);
  const helpOpen = ref(false);
  return { sidebarCollapsed, catalogCollapsed, theme, toggleTheme, paletteOpen, helpOpen };
});
