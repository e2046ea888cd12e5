// SetDefaults_ReplicationController (core/v1): the selector and the object's labels from the pod
// template's labels when empty, replicas 1, and the template's pod spec defaults.
import type { KObject } from './types';
import { asObj, child, defaultPodSpec, setDefault } from './defaults-pod';

const isEmptyMap = (v: unknown): boolean => !asObj(v) || Object.keys(asObj(v)!).length === 0;

export function defaultReplicationController(o: KObject): void {
  const spec = child(o, 'spec');
  const template = asObj(spec.template);
  const labels = asObj(asObj(template?.metadata)?.labels);
  if (labels) {
    if (isEmptyMap(spec.selector)) spec.selector = { ...labels };
    const meta = child(o, 'metadata');
    if (isEmptyMap(meta.labels)) meta.labels = { ...labels };
  }
  setDefault(spec, 'replicas', 1);
  if (template) defaultPodSpec(child(template, 'spec'));
}
