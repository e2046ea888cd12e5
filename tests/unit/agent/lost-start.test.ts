import { status as grpcStatus } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { CriError } from '../../../vm-images/agent/cri/client';
import { answerLost, lostCreateKey, redoLostStart } from '../../../vm-images/agent/pods/lost-start';
import type { RuntimeContainer } from '../../../vm-images/agent/pods/runtime-state';

const ctr = (over: Partial<RuntimeContainer>): RuntimeContainer => ({
  id: 'c1', sandboxId: 's1', name: 'app', kind: 'app', attempt: 0, state: 'CONTAINER_CREATED', createdAt: 1, startedAt: 0, finishedAt: 0,
  exitCode: 0, reason: '', message: '', image: 'i', imageRef: 'r', hash: 'h', ...over,
});

describe('a container start the runtime never answered', () => {
  it('is one whose call lost its connection or deadline, not one the runtime refused', () => {
    expect(answerLost(new CriError('StartContainer', grpcStatus.UNAVAILABLE, 'Connection dropped'))).toBe(true);
    expect(answerLost(new CriError('StartContainer', grpcStatus.DEADLINE_EXCEEDED, 'Deadline exceeded'))).toBe(true);
    expect(answerLost(new CriError('StartContainer', grpcStatus.UNKNOWN, 'failed to create containerd task: exec: "nope": not found'))).toBe(false);
    expect(answerLost(new CriError('StartContainer', grpcStatus.NOT_FOUND, 'no such container'))).toBe(false);
    expect(answerLost(new Error('CreateContainerConfigError'))).toBe(false);
  });

  it('is made again when it never ran: created, or exited with the StartError of the task containerd left behind', () => {
    const lost = new Set(['c1']);
    expect(redoLostStart(ctr({}), lost)).toBe(true);
    expect(redoLostStart(ctr({ state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError', message: 'failed to create containerd task: task c1: already exists', finishedAt: 5 }), lost)).toBe(true);
    expect(redoLostStart(ctr({ state: 'CONTAINER_UNKNOWN' }), lost)).toBe(true);
  });

  it('is made again when its CreateContainer got no answer and it was found created (never started)', () => {
    const lost = new Set([lostCreateKey('app', 'app', 0)]);
    expect(redoLostStart(ctr({ id: 'c9' }), lost)).toBe(true);
    expect(redoLostStart(ctr({ id: 'c9', attempt: 1 }), lost)).toBe(false);
    // containerd killed mid-create shows it UNKNOWN after its restart: made again too (it never ran).
    expect(redoLostStart(ctr({ id: 'c9', state: 'CONTAINER_UNKNOWN' }), lost)).toBe(true);
    expect(redoLostStart(ctr({ id: 'c9', state: 'CONTAINER_RUNNING', startedAt: 3 }), lost)).toBe(false);
  });

  it('is left to the restart policy once it ran, while it runs, or when its start was answered', () => {
    const lost = new Set(['c1']);
    expect(redoLostStart(ctr({ state: 'CONTAINER_RUNNING', startedAt: 3 }), lost)).toBe(false);
    expect(redoLostStart(ctr({ state: 'CONTAINER_EXITED', startedAt: 3, finishedAt: 9, exitCode: 1 }), lost)).toBe(false);
    // A genuine StartError (a bad command) whose answer came: a restart as the kubelet counts it.
    expect(redoLostStart(ctr({ state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError', finishedAt: 5 }), new Set())).toBe(false);
    expect(redoLostStart(ctr({ id: 'other' }), lost)).toBe(false);
  });

  it('is recognised without the memory of the call (the agent restarted) by the StartError of its own left-over task', () => {
    const leftover = ctr({ state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError', message: 'failed to create containerd task: task c1: already exists', finishedAt: 5 });
    expect(redoLostStart(leftover, new Set())).toBe(true);
    expect(redoLostStart({ ...leftover, message: 'failed to create containerd task: task c2: already exists' }, new Set())).toBe(false);
    expect(redoLostStart({ ...leftover, startedAt: 2 }, new Set())).toBe(false);
    for (const message of ['failed to create containerd task: failed to create shim task: context canceled: unknown',
      'failed to create containerd task: failed to start shim: start failed: : signal: killed: unknown',
      'failed to start containerd task "c1": context deadline exceeded: unknown']) {
      expect(redoLostStart({ ...leftover, message }, new Set())).toBe(true);
    }
    // The container's own failure to start is a restart, as the kubelet counts it.
    const own = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown';
    expect(redoLostStart({ ...leftover, message: own }, new Set())).toBe(false);
  });
});
