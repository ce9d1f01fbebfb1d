// How the API server reaches kubelets: TLS verified against the cluster CA, authenticated with
// the apiserver-kubelet-client certificate. Plain requests for logs and node proxy paths; raw
// upgraded connections for exec, attach and port-forward.
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { connect, type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import { StatusError } from '../../api/errors.js';
import { hostPort, type KubeletAddress } from './kubelet-address.js';

export interface KubeletClientTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** How long connecting to a kubelet may take before the request fails. */
export const kubeletDialTimeoutMs = 10_000;

function tlsOptions(address: KubeletAddress, tls: KubeletClientTls) {
  return {
    host: address.host,
    port: address.port,
    ca: tls.caPem,
    cert: tls.certPem,
    key: tls.keyPem,
    // SNI carries only names; an IP address is matched against the certificate's IP SANs.
    ...(isIP(address.host) ? {} : { servername: address.host }),
  };
}

/** Upstream's words when the kubelet cannot be reached. */
export function dialError(method: string, url: string, error: Error): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: error dialing backend: ${method} "${url}": ${error.message}`);
}

/** A GET to the kubelet; resolves with its response (any status) once headers arrive. */
export function kubeletGet(address: KubeletAddress, pathAndQuery: string, tls: KubeletClientTls, signal: AbortSignal): Promise<IncomingMessage> {
  const url = `https://${hostPort(address)}${pathAndQuery}`;
  return new Promise((resolve, reject) => {
    const req = request({ ...tlsOptions(address, tls), method: 'GET', path: pathAndQuery, signal, timeout: kubeletDialTimeoutMs, agent: false }, resolve);
    req.on('timeout', () => req.destroy(new Error('i/o timeout')));
    req.on('error', (error) => reject(dialError('Get', url, error)));
    req.end();
  });
}

/** A TLS connection to the kubelet, ready for a raw HTTP/1.1 upgrade request. */
export function dialKubelet(address: KubeletAddress, tls: KubeletClientTls): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ ...tlsOptions(address, tls), timeout: kubeletDialTimeoutMs });
    socket.once('secureConnect', () => {
      socket.setTimeout(0);
      resolve(socket);
    });
    socket.once('timeout', () => socket.destroy(new Error('i/o timeout')));
    socket.once('error', (error) => reject(dialError('Get', `https://${hostPort(address)}`, error)));
  });
}
