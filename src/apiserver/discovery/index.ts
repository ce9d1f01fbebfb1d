// Discovery documents as pure functions of the served ResourceInfo list. The HTTP layer
// negotiates with negotiateDiscovery, builds the body here and sets the content type.
import type { ResourceInfo } from '../../api/resources/types.js';
import { buildAggregatedDiscovery, type DiscoveryRoot } from './aggregated.js';
import { buildApiGroupList, buildApiVersions } from './legacy.js';
import { discoveryContentType, negotiateDiscovery } from './negotiate.js';
import type { APIGroupDiscoveryList, APIGroupList, APIVersions } from './types.js';

export * from './types.js';
export { buildAggregatedDiscovery, type DiscoveryRoot } from './aggregated.js';
export {
  buildApiGroup,
  buildApiGroupList,
  buildApiResourceList,
  buildApiVersions,
  storageVersionHash,
} from './legacy.js';
export {
  AGGREGATED_V2BETA1_CONTENT_TYPE,
  AGGREGATED_V2_CONTENT_TYPE,
  LEGACY_CONTENT_TYPE,
  discoveryContentType,
  negotiateDiscovery,
  type DiscoveryFormat,
} from './negotiate.js';
export { arrangeByGroup, compareGroupPriority, compareVersionPriority } from './ordering.js';

export interface DiscoveryResponse {
  contentType: string;
  body: APIVersions | APIGroupList | APIGroupDiscoveryList;
}

/**
 * Everything GET /api or GET /apis needs in one call: negotiate on Accept, build the body.
 * serverAddress ("host:port") is only used by the legacy /api document.
 */
export function respondToDiscoveryRoot(
  resources: readonly ResourceInfo[],
  root: DiscoveryRoot,
  acceptHeader: string | undefined,
  serverAddress: string,
): DiscoveryResponse {
  const format = negotiateDiscovery(acceptHeader);
  const contentType = discoveryContentType(format);
  if (format === 'legacy') {
    return { contentType, body: root === 'api' ? buildApiVersions(serverAddress) : buildApiGroupList(resources) };
  }
  const version = format === 'aggregated-v2' ? 'v2' : 'v2beta1';
  return { contentType, body: buildAggregatedDiscovery(resources, root, version) };
}
