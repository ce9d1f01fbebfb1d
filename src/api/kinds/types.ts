// Per-kind API behaviour, upstream's pkg/registry/<group>/<kind>/strategy.go split into values.
// The generic registry (apiserver/registry) calls these in this fixed order:
//   create: setDefaults -> prepareForCreate -> validate
//   update: setDefaults -> prepareForUpdate -> validate + validateUpdate
// Every function receives the storage-version object (apiVersion/kind already converted).
import type { FieldError } from '../field-errors.js';
import type { KubeObject } from '../object.js';

export interface KindBehaviour {
  /** Upstream's SetDefaults_* for this kind and everything it embeds; fills unset fields in place. */
  setDefaults?(obj: KubeObject): void;
  /** The kind sets (or accepts) its own status on create, so the server does not clear it. */
  keepStatusOnCreate?: boolean;
  /** Strategy.PrepareForCreate: e.g. a Pod's status is reset to phase Pending. */
  prepareForCreate?(obj: KubeObject): void;
  /** Strategy.PrepareForUpdate for writes to the main resource (status is already copied from old). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** ValidateX: every error found, with upstream's field paths and messages. Metadata is validated generically. */
  validate?(obj: KubeObject): FieldError[];
  /** ValidateXUpdate: immutable fields and transitions; run in addition to validate. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /**
   * Strategy.PrepareForUpdate of a status-like subresource ("status", or a CSR's "approval"); the
   * generic registry has already taken status from the request and the rest from the stored object.
   */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject, subresource: string): void;
  /** Validation of a write to the status subresource (ValidateXStatusUpdate), or to a CSR's approval. */
  validateStatusUpdate?(obj: KubeObject, old: KubeObject, subresource?: string): FieldError[];
}
