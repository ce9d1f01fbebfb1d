// `k8ts server --sim-nodes N`: the simulated-node agent as one of the server's components,
// talking to the API server over loopback like every other component.
import type { RestClient } from '../client/index.js';
import type { Component } from '../server/components.js';
import { SimAgent } from './agent.js';
import type { SimNodesOptions } from './options.js';

export function simNodesComponent(options: SimNodesOptions, makeClient: (overrides: { qps: number; burst: number }) => RestClient): Component {
  let client: RestClient | undefined;
  let agent: SimAgent | undefined;
  return {
    name: 'sim-nodes',
    async start() {
      client = makeClient({ qps: options.qps, burst: options.qps * 2 });
      agent = new SimAgent(client, options);
      await agent.start();
    },
    ready: () => agent?.ready() ?? false,
    async stop() {
      await agent?.stop();
      client?.close();
    },
  };
}
