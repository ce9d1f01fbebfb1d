// The client library every k8ts component (scheduler, controllers, kubelet, proxy) uses to talk
// to the API server: see docs in each module. Import from here.
export * from './config.js';
export * from './errors.js';
export * from './token-bucket.js';
export { Transport, type HttpRequest } from './transport.js';
export * from './rest.js';
export * from './watch.js';
export * from './events.js';
export * from './event-correlator.js';
export * from './event-recorder.js';
export * from './store.js';
export * from './informer.js';
export * from './informer-factory.js';
export * from './rate-limiter.js';
export * from './workqueue.js';
export * from './leader-election.js';
