// The CRI runtime.v1 subset the agent speaks, embedded as text so the bundled agent needs no .proto file on disk.
import { CRI_SERVICES } from './proto/services';
import { CRI_SANDBOX } from './proto/sandbox';
import { CRI_CONTAINERS } from './proto/containers';
import { CRI_STATS } from './proto/stats';
import { CRI_IMAGES } from './proto/images';

/** The whole .proto text: the parts in order (one file as far as protobuf is concerned). */
export const CRI_API_PROTO = CRI_SERVICES + CRI_SANDBOX + CRI_CONTAINERS + CRI_STATS + CRI_IMAGES;
