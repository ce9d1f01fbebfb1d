// Query and path parameters of the resource operations. They are written inline on every
// operation (no $ref): kubectl's field-validation probe reads parameter names straight off the
// PATCH operation and would not follow a reference.

export interface ParameterObject {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  schema: { type: string; uniqueItems?: boolean };
}

function query(name: string, type: string, description: string): ParameterObject {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

export const nameParam: ParameterObject = {
  name: 'name',
  in: 'path',
  description: 'name of the object',
  required: true,
  schema: { type: 'string', uniqueItems: true },
};

export const namespaceParam: ParameterObject = {
  name: 'namespace',
  in: 'path',
  description: 'object name and auth scope, such as for teams and projects',
  required: true,
  schema: { type: 'string', uniqueItems: true },
};

export const pathParam: ParameterObject = {
  name: 'path',
  in: 'path',
  description: 'path to the resource',
  required: true,
  schema: { type: 'string', uniqueItems: true },
};

export const prettyParam = query('pretty', 'string', "If 'true', then the output is pretty printed.");

const dryRun = query(
  'dryRun',
  'string',
  'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed. Unrecognized values are rejected.',
);
const fieldManager = query(
  'fieldManager',
  'string',
  'fieldManager is the name of the actor or entity making these changes. At most 128 characters, printable only.',
);
const fieldValidation = query(
  'fieldValidation',
  'string',
  'fieldValidation tells the server how to treat unknown and duplicate fields in the request object: Ignore drops them silently, Warn (the default) keeps going and returns a warning for each, Strict fails the request with an error naming them.',
);
const force = query(
  'force',
  'boolean',
  'Force is going to "force" Apply requests: the request re-acquires conflicting fields owned by other managers. It must be unset for non-apply patch requests.',
);

const allowWatchBookmarks = query('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events of type "BOOKMARK"; servers may ignore it.');
const continueParam = query('continue', 'string', 'The continue token returned by a previous list call whose limit cut the result short; retrieves the next page.');
const fieldSelector = query('fieldSelector', 'string', 'A selector restricting the returned objects by their fields. Defaults to everything.');
const labelSelector = query('labelSelector', 'string', 'A selector restricting the returned objects by their labels. Defaults to everything.');
const limit = query('limit', 'integer', 'limit is the maximum number of results a list call returns; a continue token in the list metadata fetches the rest.');
const resourceVersion = query('resourceVersion', 'string', 'resourceVersion sets a constraint on which resource versions a request may be served from. Defaults to unset.');
const resourceVersionMatch = query('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls. Defaults to unset.');
const sendInitialEvents = query('sendInitialEvents', 'boolean', 'With watch=true, sendInitialEvents=true starts the watch stream with synthetic events for the current state of all objects.');
const timeoutSeconds = query('timeoutSeconds', 'integer', 'Timeout for the list/watch call, whatever the activity or inactivity.');
const watch = query('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.');

const gracePeriodSeconds = query('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted. Zero means delete immediately.');
const ignoreStoreReadError = query(
  'ignoreStoreReadErrorWithClusterBreakingPotential',
  'boolean',
  'if set to true, it triggers an unsafe deletion of the resource when the normal deletion flow fails with a corrupt object error.',
);
const orphanDependents = query('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy. Whether dependent objects are orphaned.');
const propagationPolicy = query(
  'propagationPolicy',
  'string',
  "Whether and how garbage collection is performed: 'Orphan', 'Background' or 'Foreground'.",
);

export const listParams: readonly ParameterObject[] = [
  allowWatchBookmarks,
  continueParam,
  fieldSelector,
  labelSelector,
  limit,
  resourceVersion,
  resourceVersionMatch,
  sendInitialEvents,
  timeoutSeconds,
  watch,
];
export const writeParams: readonly ParameterObject[] = [dryRun, fieldManager, fieldValidation];
export const patchParams: readonly ParameterObject[] = [dryRun, fieldManager, fieldValidation, force];
export const deleteParams: readonly ParameterObject[] = [
  dryRun,
  gracePeriodSeconds,
  ignoreStoreReadError,
  orphanDependents,
  propagationPolicy,
];
export const deleteCollectionParams: readonly ParameterObject[] = [
  continueParam,
  dryRun,
  fieldSelector,
  gracePeriodSeconds,
  ignoreStoreReadError,
  labelSelector,
  limit,
  orphanDependents,
  propagationPolicy,
  resourceVersion,
  resourceVersionMatch,
  sendInitialEvents,
  timeoutSeconds,
];
