// containerd's own Images service (containerd.services.images.v1) in the CRI plugin's namespace, on the same socket as CRI:
// CRI has no call to name an image, and a mirror's rewritten pull must end up under the name the pod asked for. The CRI
// plugin sees the records change through containerd's image events (ImageCreate/Update/Delete).
import * as grpc from '@grpc/grpc-js';
import { protoServices } from './load';
import { CriError, unaryCall } from './client';

/** The fields of containerd's images.proto and types/descriptor.proto that naming an image needs (numbers as there). */
const IMAGES_PROTO = `syntax = "proto3";
package containerd.services.images.v1;
message Descriptor { string media_type = 1; string digest = 2; int64 size = 3; map<string, string> annotations = 5; }
message Image { string name = 1; map<string, string> labels = 2; Descriptor target = 3; }
message GetImageRequest { string name = 1; }
message GetImageResponse { Image image = 1; }
message CreateImageRequest { Image image = 1; }
message CreateImageResponse { Image image = 1; }
message UpdateImageRequest { Image image = 1; }
message UpdateImageResponse { Image image = 1; }
message DeleteImageRequest { string name = 1; bool sync = 2; }
message Empty {}
service Images {
  rpc Get(GetImageRequest) returns (GetImageResponse);
  rpc Create(CreateImageRequest) returns (CreateImageResponse);
  rpc Update(UpdateImageRequest) returns (UpdateImageResponse);
  rpc Delete(DeleteImageRequest) returns (Empty);
}
`;

/** The CRI plugin's containerd namespace. */
export const CRI_NAMESPACE = 'k8s.io';

export interface ImageDescriptor { media_type: string; digest: string; size: string; annotations: Record<string, string> }
export interface ImageRecord { name: string; labels: Record<string, string>; target: ImageDescriptor }

let ctor: grpc.ServiceClientConstructor | undefined;

export class ContainerdImages {
  private readonly client: grpc.Client;

  constructor(socket: string, private readonly timeoutMs = 30_000) {
    ctor ??= protoServices(IMAGES_PROTO, ['containerd.services.images.v1.Images'])[0];
    this.client = new ctor(`unix://${socket}`, grpc.credentials.createInsecure());
  }

  close(): void {
    this.client.close();
  }

  private call<T>(method: string, req: unknown): Promise<T> {
    const meta = new grpc.Metadata();
    meta.set('containerd-namespace', CRI_NAMESPACE);
    return unaryCall(this.client, method, `images.${method}`, req, meta, this.timeoutMs);
  }

  /** The record of a name, or undefined when there is none. */
  async get(name: string): Promise<ImageRecord | undefined> {
    try {
      return (await this.call<{ image: ImageRecord }>('Get', { name })).image;
    } catch (e) {
      if (e instanceof CriError && e.notFound) return undefined;
      throw e;
    }
  }

  /** Names `target` (with these labels) `name`, replacing what the name pointed at. */
  async put(name: string, target: ImageDescriptor, labels: Record<string, string>): Promise<void> {
    const image = { name, labels, target };
    try {
      await this.call('Create', { image });
    } catch (e) {
      if (!(e instanceof CriError && e.code === grpc.status.ALREADY_EXISTS)) throw e;
      await this.call('Update', { image });
    }
  }

  /** Removes a name (not the content another name still holds); a missing one is no error. */
  async remove(name: string): Promise<void> {
    try {
      await this.call('Delete', { name, sync: false });
    } catch (e) {
      if (!(e instanceof CriError && e.notFound)) throw e;
    }
  }
}
