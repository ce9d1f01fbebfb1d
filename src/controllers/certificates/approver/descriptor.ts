import type { ControllerDescriptor } from '../../context.js';
import { csrResource, nodesResource } from '../csr.js';
import { approvingWorkers } from '../limits.js';
import { restApprovalApi } from './access.js';
import { KubeletServingApprover } from './kubelet-serving.js';
import { CsrApprovingController } from './sar-approver.js';

/** Upstream's csrapproving: kubelet client certificates after a SubjectAccessReview. */
export const csrApprovingControllerDescriptor: ControllerDescriptor = {
  name: 'csrapproving',
  workers: approvingWorkers,
  create: ({ client, informers }) => new CsrApprovingController({ csrs: informers.forResource(csrResource), api: restApprovalApi(client) }),
};

/** k8ts's own: kubelet serving certificates of existing nodes for their own addresses (docs/controllers.md). */
export const kubeletServingApproverDescriptor: ControllerDescriptor = {
  name: 'kubelet-serving-approver',
  workers: approvingWorkers,
  create: ({ client, informers }) =>
    new KubeletServingApprover({ csrs: informers.forResource(csrResource), nodes: informers.forResource(nodesResource), api: restApprovalApi(client) }),
};
