// The one error type of the patch modules. Its message is meant for the `message` of a Kubernetes
// Status; `code` says which HTTP status the API server should answer with.

export class PatchError extends Error {
  /** 422 for a patch that is well-formed but cannot be applied, 400 for a malformed patch. */
  readonly code: 400 | 422;

  constructor(message: string, code: 400 | 422 = 422) {
    super(message);
    this.name = 'PatchError';
    this.code = code;
  }
}
