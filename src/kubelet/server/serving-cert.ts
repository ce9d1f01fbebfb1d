// The kubelet's serving certificate, signed by the cluster CA for the node's name and addresses,
// so the API server (which verifies kubelets against that CA) can reach it by InternalIP or name.
import { issueServingCert, type CertAndKey, type CertificateAuthority } from '../../pki/certs.js';
import { classifySANs } from '../../pki/inspect.js';

export async function issueKubeletServingCert(ca: CertificateAuthority, node: { nodeName: string; addresses: readonly string[] }): Promise<CertAndKey> {
  const sans = classifySANs([node.nodeName, 'localhost', '127.0.0.1', ...node.addresses]);
  // The CN kubelets get from serverTLSBootstrap (the kubelet-serving signer).
  return issueServingCert(ca, { commonName: `system:node:${node.nodeName}`, ...sans });
}
