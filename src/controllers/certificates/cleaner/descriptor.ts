import type { ControllerDescriptor } from '../../context.js';
import { csrResource, type Csr } from '../csr.js';
import { CsrCleaner } from './cleaner.js';

export const csrCleanerControllerDescriptor: ControllerDescriptor = {
  name: 'csrcleaner',
  workers: 1,
  create: ({ client, informers, clock }) => new CsrCleaner({ csrs: informers.forResource(csrResource), csrClient: client.resource<Csr>(csrResource), clock }),
};
