// The YAML editor: what it has open (a live object or a text), and its calls — the object, server-side apply
// (dry-run or for real) and the OpenAPI schemas of a group-version, fetched once per group-version.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ObjectKey } from '../../../main/bridge/contract';
import { call } from '../bridge/client';
import type { Schemas } from '../lib/yaml-schema';
import { groupVersion } from '../lib/group-version';

export type EditorSource = { object: ObjectKey } | { text: string };

export const useEditorStore = defineStore('editor', () => {
  const source = ref<EditorSource>();
  const schemas = new Map<string, Promise<Schemas>>();

  /** Opens an object by its key, or a text ('' for a new manifest). */
  function openEditor(what: ObjectKey | string): void {
    source.value = typeof what === 'string' ? { text: what } : { object: what };
  }

  /** The schemas of an apiVersion's group-version ({} when the server has none: the editor then checks nothing). */
  function schemasFor(apiVersion: string): Promise<Schemas> {
    const { group, version } = groupVersion(apiVersion);
    const gv = group ? `${group}/${version}` : version;
    let p = schemas.get(gv);
    if (!p) {
      p = call('openapiSchemas', { apiVersion: gv }).then((r) => r.schemas, () => {
        schemas.delete(gv);
        return {};
      });
      schemas.set(gv, p);
    }
    return p;
  }

  return {
    source,
    openEditor,
    close: () => (source.value = undefined),
    schemasFor,
    getObject: (key: ObjectKey) => call('getObjectByKind', key),
    applyDocuments: (yaml: string, dryRun: boolean, force = false) => call('applyDocuments', { yaml, dryRun, force }),
  };
});
