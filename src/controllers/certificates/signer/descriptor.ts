import type { ControllerDescriptor } from '../../context.js';
import { csrResource, type Csr } from '../csr.js';
import { signingWorkers } from '../limits.js';
import { CsrSigningController } from './signer.js';

/**
 * csrsigning: runs only when the controller manager has the signing CA (as upstream, which skips
 * it without --cluster-signing-cert-file/--cluster-signing-key-file).
 */
export const csrSigningControllerDescriptor: ControllerDescriptor = {
  name: 'csrsigning',
  workers: signingWorkers,
  create: ({ client, informers, clusterSigning }) => {
    if (!clusterSigning) {
      process.stderr.write('k8ts controller-manager: skipping csrsigning: no --cluster-signing-cert-file/--cluster-signing-key-file given\n');
      return { run: async () => undefined, shutDown: () => undefined };
    }
    return new CsrSigningController({
      csrs: informers.forResource(csrResource),
      csrClient: client.resource<Csr>(csrResource),
      ca: { certPem: clusterSigning.certPem, keyPem: clusterSigning.keyPem },
      signingDurationMs: clusterSigning.durationMs,
    });
  },
};
