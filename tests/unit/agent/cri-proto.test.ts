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
});
