// The API calls the garbage collector makes, by object coordinates. REST-backed in the controller
// manager (through the RestMapper), a fake in unit tests.
import { isNotFound, type RestClient } from '../../client/index.js';
import type { PropagationPolicy } from '../../apiserver/registry/gc-finalizers.js';
import type { RestMapper } from './discovery.js';
import type { MetaObject } from './graph-builder.js';

export interface ObjectCoordinates {
  apiVersion: string;
  kind: string;
  /** Ignored for cluster-scoped kinds. */
  namespace: string;
  name: string;
}

export interface GarbageCollectorApi {
  /** Whether the kind is namespaced; throws RestMappingError for kinds discovery does not know. */
  isNamespaced(apiVersion: string, kind: string): boolean;
  /** The object, or undefined when it does not exist. */
  get(coordinates: ObjectCoordinates): Promise<MetaObject | undefined>;
  /** Deletes with uid (and resourceVersion, when given) preconditions; NotFound counts as done. */
  delete(coordinates: ObjectCoordinates, options: { uid: string; resourceVersion?: string; propagationPolicy: PropagationPolicy }): Promise<void>;
  /** A JSON merge patch; NotFound counts as done. */
  patch(coordinates: ObjectCoordinates, mergePatch: unknown): Promise<void>;
}

export function restGarbageCollectorApi(client: RestClient, mapper: RestMapper): GarbageCollectorApi {
  const resourceFor = (coordinates: ObjectCoordinates) => {
    const mapping = mapper.resolve(coordinates.apiVersion, coordinates.kind);
    return { resource: client.resource(mapping), namespace: mapping.namespaced ? coordinates.namespace : undefined, namespaced: mapping.namespaced };
  };
  return {
    isNamespaced: (apiVersion, kind) => mapper.resolve(apiVersion, kind).namespaced,
    async get(coordinates) {
      const { resource, namespace, namespaced } = resourceFor(coordinates);
      // A namespaced kind named without a namespace cannot exist (upstream's GET 404s).
      if (namespaced && !namespace) return undefined;
      try {
        const object = await resource.get(namespace, coordinates.name);
        return { ...object, apiVersion: object.apiVersion ?? resource.apiVersion, kind: object.kind ?? coordinates.kind } as MetaObject;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async delete(coordinates, options) {
      const { resource, namespace } = resourceFor(coordinates);
      try {
        await resource.delete(namespace, coordinates.name, { propagationPolicy: options.propagationPolicy, preconditions: { uid: options.uid, ...(options.resourceVersion ? { resourceVersion: options.resourceVersion } : {}) } });
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
    },
    async patch(coordinates, mergePatch) {
      const { resource, namespace } = resourceFor(coordinates);
      try {
        await resource.patch(namespace, coordinates.name, mergePatch, 'merge');
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
    },
  };
}
