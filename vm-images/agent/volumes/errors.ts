// A volume that cannot be set up: the pod waits in ContainerCreating with a FailedMount event, as the
// kubelet reports it (`MountVolume.SetUp failed for volume "<name>" : <message>`), and it is retried.
export class MountError extends Error {
  constructor(readonly volume: string, readonly detail: string) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${detail}`);
  }
}
