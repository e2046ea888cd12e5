import { describe, expect, it } from 'vitest';
import { CRI_API_PROTO } from '../../../vm-images/agent/cri/api-proto';
import { loadCriServices } from '../../../vm-images/agent/cri/load';

describe('embedded CRI proto', () => {
  it('is the runtime.v1 subset with upstream package and field numbers', () => {
    expect(CRI_API_PROTO).toContain('package runtime.v1;');
    expect(CRI_API_PROTO).toMatch(/message PodSandboxConfig \{[^}]*PodSandboxMetadata metadata = 1;/);
  });
  it('loads both services with the methods the agent calls', () => {
    const { RuntimeService, ImageService } = loadCriServices();
    expect(Object.keys(RuntimeService.service)).toEqual(expect.arrayContaining(['Version', 'RunPodSandbox', 'CreateContainer', 'ExecSync', 'ListContainerStats', 'ReopenContainerLog']));
    expect(Object.keys(ImageService.service)).toEqual(['ListImages', 'ImageStatus', 'PullImage', 'RemoveImage', 'ImageFsInfo']);
    expect(RuntimeService.service.Version?.path).toBe('/runtime.v1.RuntimeService/Version');
  });
  it('encodes requests and decodes answers as types.ts describes them: int64 as strings, enums by name, defaults filled in', () => {
    const { RuntimeService } = loadCriServices();
    const status = RuntimeService.service.ContainerStatus;
    const wire = status.responseSerialize({ status: { id: 'c1', state: 'CONTAINER_EXITED', created_at: '1764941234123456789', exit_code: 137, labels: { app: 'web' } } });
    expect(Buffer.isBuffer(wire)).toBe(true);
    const decoded = status.responseDeserialize(wire) as { status: Record<string, unknown>; info: unknown };
    expect(decoded.status).toMatchObject({ id: 'c1', state: 'CONTAINER_EXITED', created_at: '1764941234123456789', started_at: '0', exit_code: 137, labels: { app: 'web' }, mounts: [], annotations: {}, reason: '', image: null });
    expect(decoded.info).toEqual({});
    const req: unknown = status.requestDeserialize(status.requestSerialize({ container_id: 'c1' }));
    expect(req).toEqual({ container_id: 'c1', verbose: false });
  });
  it('refuses a value of the wrong kind instead of sending it', () => {
    const { RuntimeService } = loadCriServices();
    expect(() => RuntimeService.service.ContainerStatus.responseSerialize({ status: { state: 'NO_SUCH_STATE', labels: 'x' } })).toThrow(/labels/);
  });
});
