// Defaults of the stored-only kinds kind clusters serve (PodTemplate's pod template, CSIDriver's spec), as
// Kubernetes' SetDefaults_* for them.
import type { KObject } from './types';
import { asObj, child, defaultPodSpec, setDefault } from './defaults-pod';

export function defaultPodTemplate(o: KObject): void {
  const spec = asObj(asObj(o.template)?.spec);
  if (spec) defaultPodSpec(spec);
}

/** SetDefaults_CSIDriver (storage/v1, Kubernetes 1.32). */
export function defaultCSIDriver(o: KObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'attachRequired', true);
  setDefault(spec, 'podInfoOnMount', false);
  setDefault(spec, 'storageCapacity', false);
  setDefault(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
  setDefault(spec, 'requiresRepublish', false);
  setDefault(spec, 'volumeLifecycleModes', ['Persistent']);
  setDefault(spec, 'seLinuxMount', false);
}
