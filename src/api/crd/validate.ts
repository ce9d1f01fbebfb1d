// Validation of a custom resource against its version's openAPIV3Schema, as the
// apiextensions strategy composes it: OpenAPI schema errors first, then embedded-resource
// and list-type checks. x-kubernetes-validations (CEL) rules are not evaluated.
import type { FieldError } from '../field-errors.js';
import { validateEmbeddedResources, validateListTypes } from './list-types.js';
import type { JSONSchemaProps } from './schema.js';
import { validateAgainstSchema } from './validate-schema.js';

/**
 * Validates obj (already pruned and defaulted) against schema. Paths are rooted at the
 * object ("spec.replicas"); metadata is validated by the caller as ObjectMeta.
 */
export function validateCustomResource(obj: unknown, schema: JSONSchemaProps | undefined): FieldError[] {
  if (schema === undefined) return [];
  const errs: FieldError[] = [];
  validateAgainstSchema(obj, schema, '', errs);
  errs.push(...validateEmbeddedResources(obj, schema));
  errs.push(...validateListTypes(obj, schema));
  // Not de-duplicated: upstream keeps every cause and only its aggregated message drops repeats.
  return errs;
}
