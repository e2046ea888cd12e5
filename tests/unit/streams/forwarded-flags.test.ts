// The boolean options of pods/log and pods/exec reach the node as the API server decoded them
// (Kubernetes' rule: "0" and any case of "false" are false, anything else true): `follow=True` from
// the Python client is a follow, `previous=0` is not asked for.
import { describe, expect, it } from 'vitest';
import { containerLogsPath } from '../../../main/apiserver/streams/logs';
import { execPath } from '../../../main/apiserver/streams/exec';
import type { StoredObject } from '../../../main/api/types';

const pod = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'u', resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { nodeName: 'n', containers: [{ name: 'c' }] },
} as StoredObject & { spec: { nodeName: string; containers: Array<{ name: string }> } };

describe('flags forwarded to the node', () => {
  it('pods/log: follow, timestamps and previous as Kubernetes decodes them; other options verbatim', () => {
    const q = new URLSearchParams('follow=True&timestamps=t&previous=0&tailLines=5');
    expect(containerLogsPath(pod, q)).toBe('/containerLogs/default/p/c?tailLines=5&follow=true&timestamps=true');
    expect(containerLogsPath(pod, new URLSearchParams('follow=FALSE&previous=False'))).toBe('/containerLogs/default/p/c');
  });

  it('pods/exec: stdin, stdout, stderr and tty as Kubernetes decodes them', () => {
    const q = new URLSearchParams('command=ls&stdin=True&stdout=1&stderr=TRUE&tty=false');
    expect(execPath(pod, q)).toBe('/exec/default/p/c?command=ls&stdin=true&stdout=true&stderr=true');
  });
});
