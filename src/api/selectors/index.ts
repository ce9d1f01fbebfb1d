// Label and field selectors, as the API server parses ?labelSelector= and ?fieldSelector=.
export * from './labels.js';
export * from './fields.js';
export * from './field-sets.js';
