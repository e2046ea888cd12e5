// VolumeBinding's Filter: a node must satisfy every bound claim's volume node affinity and have, for each
// claim waiting for its first consumer, an available volume it can reach or a provisioner; a pod without
// claims is never filtered. PreFilter verdicts read as Kubernetes' FitError with a PreFilter message.
import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim } from '../../../main/api/types';
import { NodeInfo } from '../../../main/scheduler/node-info';
import { newPodInfo } from '../../../main/scheduler/pod-info';
import { fitErrorMessage, preFilterMessage } from '../../../main/scheduler/fit-error';
import { volumeBindingFilter } from '../../../main/scheduler/plugins/volume-binding';

const node = (name: string) => new NodeInfo({ metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: {}, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } });
const onNode = (name: string, host: string): PersistentVolume => ({
  metadata: { name },
  spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [host] }] }] } } },
});
const claim: PersistentVolumeClaim = { metadata: { name: 'c', namespace: 'default' } };
const pod = () => newPodInfo({ metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [{ name: 'c' }] } });

describe('VolumeBinding filter', () => {
  it('passes every node for a pod without claims', () => {
    expect(volumeBindingFilter.filter(pod(), node('a'))).toBeUndefined();
  });

  it('passes only the nodes a bound volume reaches', () => {
    const pi = pod();
    pi.volumes = { bound: [onNode('pv', 'a')], delayed: [] };
    expect(volumeBindingFilter.filter(pi, node('a'))).toBeUndefined();
    expect(volumeBindingFilter.filter(pi, node('b'))).toEqual({ reasons: ['node(s) had volume node affinity conflict'], unresolvable: true });
  });

  it('passes a node with an available volume, or any node when the class provisions', () => {
    const pi = pod();
    pi.volumes = { bound: [], delayed: [{ claim, candidates: [onNode('pv', 'a')], provisionable: false }] };
    expect(volumeBindingFilter.filter(pi, node('a'))).toBeUndefined();
    expect(volumeBindingFilter.filter(pi, node('b'))).toEqual({ reasons: ["node(s) didn't find available persistent volumes to bind"], unresolvable: true });
    pi.volumes.delayed[0].provisionable = true;
    expect(volumeBindingFilter.filter(pi, node('b'))).toBeUndefined();
  });

  it('gives every reason that applies, as FindPodVolumes does, and words the FitError as kube-scheduler', () => {
    const pi = pod();
    pi.volumes = { bound: [onNode('pv', 'a')], delayed: [{ claim, candidates: [onNode('pv2', 'a')], provisionable: false }], boundVolumeMissing: true };
    const failure = volumeBindingFilter.filter(pi, node('b'))!;
    expect(failure).toEqual({
      reasons: ['node(s) had volume node affinity conflict', "node(s) didn't find available persistent volumes to bind",
        'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)'],
      unresolvable: true,
    });
    const noVolume = { reasons: ["node(s) didn't find available persistent volumes to bind"], unresolvable: true };
    expect(fitErrorMessage(2, [noVolume, noVolume])).toBe(
      "0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
  });

  it('words a PreFilter verdict as Kubernetes\' FitError does', () => {
    expect(preFilterMessage(2, 'persistentvolumeclaim "x" not found')).toBe(
      '0/2 nodes are available: persistentvolumeclaim "x" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
    expect(preFilterMessage(0, 'anything')).toBe('no nodes available to schedule pods');
  });
});
