import { clientContract } from './vboxmanage-client.contract.js';
import { inMemoryHarness } from './harness.js';

clientContract('InMemoryVBoxManageClient', inMemoryHarness);
