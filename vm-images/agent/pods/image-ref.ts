// The kubelet's image reference parsing lives in main/api (the UI's Images view uses it too).
export { parseImageRef, withDefaultTag, type ImageRef } from '../../../main/api/image-ref';
