// apiextensions.k8s.io/v1 CustomResourceDefinition: naming, scope, versions and the structural
// basics of each version's schema (upstream apiextensions-apiserver validation, abridged).
import { FieldPath, invalid, notSupported, required, type FieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { isDNS1035Label, isDNS1123Subdomain, nameIsDNSSubdomain } from '../names.js';
import { arr, immutable, o, root, str, type GroupValidator, type Obj } from './common.js';
import { goPointer, goQuote, invalidRendered } from './go-format.js';

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** %#v of []apiextensions.CustomResourceDefinitionVersion (the internal type upstream prints). */
function renderVersions(versions: unknown): string {
  if (!Array.isArray(versions)) return '[]apiextensions.CustomResourceDefinitionVersion(nil)';
  const one = (raw: unknown): string => {
    const v = o(raw);
    return (
      `apiextensions.CustomResourceDefinitionVersion{Name:${goQuote(str(v.name))}, Served:${v.served === true}, Storage:${v.storage === true}, ` +
      `Deprecated:${v.deprecated === true}, DeprecationWarning:${goPointer('string', present(v.deprecationWarning))}, ` +
      `Schema:${goPointer('apiextensions.CustomResourceValidation', present(v.schema))}, ` +
      `Subresources:${goPointer('apiextensions.CustomResourceSubresources', present(v.subresources))}, ` +
      `AdditionalPrinterColumns:[]apiextensions.CustomResourceColumnDefinition(nil), SelectableFields:[]apiextensions.SelectableField(nil)}`
    );
  };
  return `[]apiextensions.CustomResourceDefinitionVersion{${versions.map(one).join(', ')}}`;
}

function dns1035(path: FieldPath, value: string, mixedCase = false): FieldError[] {
  if (value === '') return [];
  const msgs = isDNS1035Label(mixedCase ? value.toLowerCase() : value);
  if (msgs.length === 0) return [];
  return [invalid(path, value, (mixedCase ? 'may have mixed case, but should otherwise match: ' : '') + msgs.join(','))];
}

function validateNames(names: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['plural', 'singular', 'kind', 'listKind']) if (str(names[f]) === '') errs.push(required(path.child(f)));
  errs.push(...dns1035(path.child('plural'), str(names.plural)), ...dns1035(path.child('singular'), str(names.singular)));
  errs.push(...dns1035(path.child('kind'), str(names.kind), true), ...dns1035(path.child('listKind'), str(names.listKind), true));
  arr(names.shortNames).forEach((s, i) => errs.push(...dns1035(path.child('shortNames').index(i), str(s))));
  if (str(names.kind) !== '' && names.kind === names.listKind) errs.push(invalid(path.child('listKind'), str(names.listKind), 'kind and listKind may not be the same'));
  arr(names.categories).forEach((c, i) => errs.push(...dns1035(path.child('categories').index(i), str(c))));
  return errs;
}

/** The structural-schema rules users hit most: typed root object and typed properties. */
function validateStructural(schema: Obj, path: FieldPath, isRoot: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(schema.type);
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  if (isRoot) {
    if (type === '') errs.push(required(path.child('type'), 'must not be empty at the root'));
    else if (type !== 'object') errs.push(invalid(path.child('type'), type, 'must be object at the root'));
  } else if (type === '' && !preserve && !intOrString) {
    errs.push(required(path.child('type'), 'must not be empty for specified object fields'));
  }
  for (const [name, sub] of Object.entries(o(schema.properties))) {
    errs.push(...validateStructural(o(sub), path.child('properties').key(name), false));
  }
  if (present(schema.items) && !Array.isArray(schema.items)) errs.push(...validateStructural(o(schema.items), path.child('items'), false));
  if (type === 'array' && !present(schema.items)) errs.push(required(path.child('items'), 'must be specified'));
  const additional = schema.additionalProperties;
  if (typeof additional === 'object' && additional !== null) {
    errs.push(...validateStructural(o(additional), path.child('additionalProperties'), false));
    if (present(schema.properties)) errs.push(invalid(path.child('additionalProperties'), false, 'additionalProperties and properties are mutual exclusive'));
  }
  return errs;
}

function validateSpec(s: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const group = str(s.group);
  if (group === '') errs.push(required(path.child('group')));
  else {
    errs.push(...isDNS1123Subdomain(group).map((m) => invalid(path.child('group'), group, m)));
    if (group.split('.').length < 2) errs.push(invalid(path.child('group'), group, 'should be a domain with at least one dot'));
  }
  const scope = str(s.scope);
  if (scope === '') errs.push(required(path.child('scope')));
  else if (scope !== 'Cluster' && scope !== 'Namespaced') errs.push(notSupported(path.child('scope'), scope, ['Cluster', 'Namespaced']));

  const versions = arr(s.versions);
  const versionsPath = path.child('versions');
  if (versions.length < 1) errs.push(required(versionsPath, 'must have exactly one version marked as storage version'));
  let storageCount = 0;
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((raw, i) => {
    const v = o(raw);
    const name = str(v.name);
    if (v.storage === true) storageCount++;
    if (seen.has(name)) unique = false;
    seen.add(name);
    const msgs = isDNS1035Label(name);
    if (msgs.length > 0) errs.push(invalid(versionsPath.index(i).child('name'), name, msgs.join(',')));
    const schemaPath = versionsPath.index(i).child('schema', 'openAPIV3Schema');
    const schema = o(v.schema).openAPIV3Schema;
    if (!present(schema)) errs.push(required(schemaPath, 'schemas are required'));
    else errs.push(...validateStructural(o(schema), schemaPath, true));
  });
  if (!unique) errs.push(invalidRendered(versionsPath, s.versions, renderVersions(s.versions), 'must contain unique version names'));
  if (storageCount !== 1) errs.push(invalidRendered(versionsPath, s.versions, renderVersions(s.versions), 'must have exactly one version marked as storage version'));
  errs.push(...validateNames(o(s.names), path.child('names')));
  return errs;
}

function validateCRD(obj: KubeObject): FieldError[] {
  const s = o(obj.spec);
  const errs: FieldError[] = [];
  const name = obj.metadata?.name ?? '';
  if (name !== `${str(o(s.names).plural)}.${str(s.group)}`) errs.push(invalid(root('metadata').child('name'), name, 'must be spec.names.plural+"."+spec.group'));
  return [...errs, ...validateSpec(s, root('spec'))];
}

export const apiextensionsValidators: Record<string, GroupValidator> = {
  'CustomResourceDefinition.apiextensions.k8s.io': {
    nameValidator: nameIsDNSSubdomain,
    validate: validateCRD,
    validateUpdate(obj, old) {
      const s = o(obj.spec);
      const os = o(old.spec);
      return [
        ...immutable(str(s.scope), str(os.scope), root('spec').child('scope')),
        ...immutable(str(s.group), str(os.group), root('spec').child('group')),
        ...immutable(str(o(s.names).plural), str(o(os.names).plural), root('spec').child('names', 'plural')),
      ];
    },
  },
};
