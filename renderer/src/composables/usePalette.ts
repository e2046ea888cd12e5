// The command palette's registry: any view or store adds the objects and actions it knows about
// as a source (a function, read when the palette opens), and removes it when it goes away.
// `usePaletteSource` in a component's setup does both.
import { onBeforeUnmount, shallowReactive } from 'vue';

export interface PaletteItem {
  /** Unique among all items. */
  id: string;
  /** What is matched and shown, e.g. "web-7d9c-abcde" or "Add node…". */
  title: string;
  /** A short word before the title: "Pod", "Node", "Action", "View"… */
  kind: string;
  /** Shown after the title, dimmed (a namespace, an image…); matched too. */
  detail?: string;
  run: () => void;
}

export type PaletteSource = () => PaletteItem[];

const sources = shallowReactive(new Map<string, PaletteSource>());

/** Adds (or replaces) a source; returns its removal. */
export function registerPaletteSource(id: string, source: PaletteSource): () => void {
  sources.set(id, source);
  return () => {
    if (sources.get(id) === source) sources.delete(id);
  };
}

/** In a component's setup: the source lives as long as the component. */
export function usePaletteSource(id: string, source: PaletteSource): void {
  onBeforeUnmount(registerPaletteSource(id, source));
}

/** Every item of every source, actions first (they are few), then objects. */
export function paletteItems(): PaletteItem[] {
  const all: PaletteItem[] = [];
  for (const s of sources.values()) all.push(...s());
  return all;
}
